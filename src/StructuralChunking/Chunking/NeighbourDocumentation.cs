using StructuralChunking.Graph;

namespace StructuralChunking.Chunking;

/// <summary>
/// Finds words for an undocumented definition in the doc comments of its graph neighbours: most of the code that
/// performs a behaviour has no doc comment, while the contract, the public entry point or the setting that names the
/// behaviour does.
/// </summary>
/// <remarks>
/// <para>Sources, in order, at most <see cref="MaxSentences"/> first sentences in all, each used once:</para>
/// <list type="number">
/// <item>the members and types it implements or overrides (<c>&lt;inheritdoc/&gt;</c> and undocumented overrides say
/// nothing of their own; the contract describes them);</item>
/// <item>a documented caller that only forwards to it (at most <see cref="MaxForwarderLines"/> lines and two calls),
/// the shortest first: the public overload that delegates to the undocumented worker;</item>
/// <item>a documented property of another type that it reads, the one with the fewest readers first: the option that
/// selects the behaviour the method performs.</item>
/// </list>
/// <para>Test code inherits nothing: a test reads the same settings as the code under test and must not borrow its
/// description. Nothing is borrowed from a generated forwarder or setting: a resource accessor's "Looks up a localized
/// string similar to …" is the rarest-read documented property of most form code, and says nothing about it.</para>
/// </remarks>
internal sealed class NeighbourDocumentation(CodeGraph graph)
{
    /// <summary>Most borrowed sentences in one header.</summary>
    public const int MaxSentences = 2;

    /// <summary>Longest caller that counts as forwarding.</summary>
    public const int MaxForwarderLines = 6;

    /// <summary>
    /// The borrowed first sentences for <paramref name="symbol"/> and then for the undocumented <paramref name="members"/>
    /// whose code shares its chunk (an <c>&lt;inheritdoc/&gt;</c> member of a small class), or an empty list when the
    /// symbol has its own doc comment.
    /// </summary>
    public IReadOnlyList<string> For(CodeSymbol symbol, IReadOnlyList<CodeSymbol> members)
    {
        if (HasDocumentation(symbol))
        {
            return [];
        }

        var sentences = new List<string>(MaxSentences);
        Borrow(symbol, sentences);
        foreach (var member in members)
        {
            if (sentences.Count >= MaxSentences)
            {
                break;
            }

            if (!HasDocumentation(member))
            {
                Borrow(member, sentences);
            }
        }

        return sentences;
    }

    private void Borrow(CodeSymbol symbol, List<string> sentences)
    {
        if ((symbol.Traits & SymbolTraits.Test) != 0 || symbol.Kind is SymbolKind.Namespace or SymbolKind.Module or SymbolKind.File)
        {
            return;
        }

        foreach (var edge in graph.OutgoingEdges(symbol.Id))
        {
            if (edge.Kind is EdgeKind.Implements or EdgeKind.Overrides && graph.TryGetSymbol(edge.To, out var contract))
            {
                Add(sentences, contract);
            }
        }

        if (sentences.Count < MaxSentences && BestForwarder(symbol) is { } forwarder)
        {
            Add(sentences, forwarder);
        }

        if (sentences.Count < MaxSentences && RarestSettingRead(symbol) is { } setting)
        {
            Add(sentences, setting);
        }
    }

    private CodeSymbol? BestForwarder(CodeSymbol symbol)
    {
        CodeSymbol? best = null;
        var bestLines = int.MaxValue;
        foreach (var edge in graph.IncomingEdges(symbol.Id))
        {
            if (edge.Kind != EdgeKind.Calls || edge.From == symbol.Id || !graph.TryGetSymbol(edge.From, out var caller)
                || !HasDocumentation(caller) || (caller.Traits & (SymbolTraits.Test | SymbolTraits.Generated)) != 0
                || caller.Location is not { LineCount: <= MaxForwarderLines } location || CallableCallees(caller.Id) > 2)
            {
                continue;
            }

            if (location.LineCount < bestLines || (location.LineCount == bestLines && string.CompareOrdinal(caller.QualifiedName, best!.QualifiedName) < 0))
            {
                best = caller;
                bestLines = location.LineCount;
            }
        }

        return best;
    }

    private CodeSymbol? RarestSettingRead(CodeSymbol symbol)
    {
        if (!symbol.Kind.IsCallable())
        {
            return null;
        }

        CodeSymbol? best = null;
        var bestReaders = int.MaxValue;
        foreach (var edge in graph.OutgoingEdges(symbol.Id))
        {
            if (edge.Kind != EdgeKind.Calls || !graph.TryGetSymbol(edge.To, out var property) || property.Kind != SymbolKind.Property
                || property.IsExternal || !HasDocumentation(property) || property.ParentId == symbol.ParentId
                || (property.Traits & SymbolTraits.Generated) != 0)
            {
                continue;
            }

            var readers = graph.IncomingEdges(property.Id).Length;
            if (readers < bestReaders || (readers == bestReaders && string.CompareOrdinal(property.QualifiedName, best!.QualifiedName) < 0))
            {
                best = property;
                bestReaders = readers;
            }
        }

        return best;
    }

    private int CallableCallees(SymbolId id)
    {
        var count = 0;
        foreach (var callee in graph.Callees(id))
        {
            if (callee.Kind.IsCallable() && callee.Kind is not (SymbolKind.Property or SymbolKind.Indexer or SymbolKind.Event))
            {
                count++;
            }
        }

        return count;
    }

    private static void Add(List<string> sentences, CodeSymbol source)
    {
        if (sentences.Count >= MaxSentences || !HasDocumentation(source))
        {
            return;
        }

        var sentence = ChunkText.FirstSentence(source.Documentation!);
        if (!sentences.Contains(sentence, StringComparer.Ordinal))
        {
            sentences.Add(sentence);
        }
    }

    private static bool HasDocumentation(CodeSymbol symbol) => !string.IsNullOrWhiteSpace(symbol.Documentation);
}
