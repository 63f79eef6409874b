using System.Globalization;
using System.Text;
using StructuralChunking.Graph;

namespace StructuralChunking.Chunking;

/// <summary>
/// Writes the compact header that gives a chunk the meaning its code lost when it was cut out of its file.
/// </summary>
/// <remarks>
/// Each part is optional and capped at a share of the token budget, in priority order, and the header as a whole at
/// <see cref="ChunkingOptions.MaxHeaderShare"/>, so the code always keeps most of the budget:
/// <code>
/// path: Serialization/JsonSerializerInternalWriter.cs                                        (12%)
/// scope: Newtonsoft.Json.Serialization &gt; JsonSerializerInternalWriter &gt; ShouldWriteProperty (method, part 2 of 3) (14%)
/// signature: private bool ShouldWriteProperty(object memberValue, JsonProperty property)     (16%, parts after the first)
/// doc: Determines whether the property should be written.                                     (12%)
///      (undocumented: borrowed from what it implements, the API forwarding to it, the setting it reads)
/// words: should write property, member value, json property | json serializer internal writer            (10%)
/// implements: i contract resolver resolve contract                                            (6%)
/// calls: is default value, write reference                                                    (8%)
/// called by: calculate property values                                                        (7%)
/// </code>
/// </remarks>
internal sealed class ChunkHeaderBuilder(CodeGraph graph, ChunkingOptions options, ITokenCounter counter, NeighbourRanker ranker)
{
    private const double PathShare = 0.12;
    private const double ScopeShare = 0.14;
    private const double SignatureShare = 0.16;
    private const double DocShare = 0.12;
    private const double WordsShare = 0.10;
    private const double RelationsShare = 0.06;
    private const double CalleesShare = 0.08;
    private const double CallersShare = 0.07;

    private readonly NeighbourDocumentation _neighbourDocumentation = new(graph);

    /// <summary>Everything in a symbol's header that does not depend on which part of it is being written.</summary>
    /// <param name="symbol">The symbol the chunk presents.</param>
    /// <param name="path">The chunk's file.</param>
    /// <param name="kindLabel">Replaces the kind in the scope line; a run of members is labelled this way, and its scope
    /// then ends at the container rather than at its first member.</param>
    /// <param name="members">Symbols whose code is inside the chunk too (a small type embedded whole): their names join
    /// the words and their callers and callees the graph context.</param>
    public PreparedHeader Prepare(CodeSymbol symbol, string path, string? kindLabel = null, IReadOnlyList<CodeSymbol>? members = null)
    {
        members ??= [];
        var lines = new List<(string Text, int Cap)>();
        string? scope = null;
        string? signature = null;

        if (options.IncludePath)
        {
            lines.Add(("path: " + path, Cap(PathShare)));
        }

        if (options.IncludeScope)
        {
            scope = ScopeText(symbol, ofContainer: kindLabel is not null) + " (" + (kindLabel ?? symbol.Kind.ToWireName());
        }

        if (options.IncludeSignature && !string.IsNullOrEmpty(symbol.Signature))
        {
            signature = "signature: " + symbol.Signature;
        }

        var rest = new List<(string Text, int Cap)>();
        if (options.IncludeDocumentation && !options.HideDocumentation)
        {
            if (!string.IsNullOrWhiteSpace(symbol.Documentation))
            {
                rest.Add(("doc: " + ChunkText.FirstSentence(symbol.Documentation), Cap(DocShare)));
            }
            else if (options.InheritDocumentation && _neighbourDocumentation.For(symbol, members) is { Count: > 0 } borrowed)
            {
                rest.Add(("doc: " + string.Join(" ", borrowed), Cap(DocShare)));
            }
        }

        if (options.SplitIdentifiers)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var phrases = new List<string>();
            ChunkText.IdentifierPhrases(symbol.Name, phrases, seen);
            ChunkText.IdentifierPhrases(symbol.Signature ?? string.Empty, phrases, seen);
            foreach (var member in members)
            {
                ChunkText.IdentifierPhrases(member.Name, phrases, seen);
            }

            var text = new StringBuilder("words: ").AppendJoin(", ", phrases);
            if (graph.Parent(symbol.Id) is { Kind: not (SymbolKind.Namespace or SymbolKind.Module or SymbolKind.File) } container)
            {
                text.Append(" | ").Append(ChunkText.NameText(container.Name, split: true));
            }

            rest.Add((text.ToString(), Cap(WordsShare)));
        }

        if (options.IncludeGraphContext)
        {
            var sources = new HashSet<SymbolId> { symbol.Id };
            foreach (var member in members)
            {
                sources.Add(member.Id);
            }

            AddRelations(rest, symbol);
            AddNeighbours(rest, "calls: ", ranker.TopCallees(sources, options.MaxCallees), Cap(CalleesShare));
            AddNeighbours(rest, "called by: ", ranker.TopCallers(sources, options.MaxCallers), Cap(CallersShare));
        }

        return new PreparedHeader(lines, scope, signature, rest);
    }

    /// <summary>
    /// Whether the scope line of a run presented under <paramref name="first"/> and labelled <paramref name="kindLabel"/>
    /// fits its share of the header uncut, so that every member's name is in it.
    /// </summary>
    public bool ScopeFits(CodeSymbol first, string kindLabel) =>
        !options.IncludeScope || counter.CountTokens("scope: " + ScopeText(first, ofContainer: true) + " (" + kindLabel + ")") <= Cap(ScopeShare);

    /// <summary>The header of part <paramref name="partIndex"/>; <paramref name="withSignature"/> is false when the code starts with it.</summary>
    public string Render(PreparedHeader prepared, int partIndex, int partCount, bool withSignature)
    {
        var header = new HeaderAccumulator((int)(options.TokenBudget * options.MaxHeaderShare), counter);
        foreach (var (text, cap) in prepared.Leading)
        {
            header.Add(text, cap);
        }

        if (prepared.Scope is { } scope)
        {
            var part = partCount > 1 ? string.Create(CultureInfo.InvariantCulture, $", part {partIndex + 1} of {partCount}") : string.Empty;
            header.Add("scope: " + scope + part + ")", Cap(ScopeShare));
        }

        if (withSignature && prepared.Signature is { } signature)
        {
            header.Add(signature, Cap(SignatureShare));
        }

        foreach (var (text, cap) in prepared.Trailing)
        {
            header.Add(text, cap);
        }

        return header.ToString();
    }

    /// <summary>Header of a chunk that is not a symbol (module-level code, line windows).</summary>
    public string BuildForFile(string path, int partIndex, int partCount)
    {
        var header = new HeaderAccumulator((int)(options.TokenBudget * options.MaxHeaderShare), counter);
        if (options.IncludePath)
        {
            header.Add("path: " + path, Cap(PathShare));
        }

        if (options.IncludeScope)
        {
            var part = partCount > 1 ? string.Create(CultureInfo.InvariantCulture, $", part {partIndex + 1} of {partCount}") : string.Empty;
            header.Add($"scope: {path} (file-level code{part})", Cap(ScopeShare));
        }

        return header.ToString();
    }

    /// <summary>
    /// <c>Namespace &gt; Type &gt; Member</c>: the innermost namespace or module by its qualified name (its parents add
    /// nothing), then every enclosing declaration by its simple name.
    /// </summary>
    private string ScopeText(CodeSymbol symbol, bool ofContainer)
    {
        var chain = graph.ScopeChain(symbol.Id);
        if (ofContainer && chain.Length > 1)
        {
            chain = chain.RemoveAt(chain.Length - 1);
        }

        var parts = new List<string>(chain.Length);
        for (var i = 0; i < chain.Length; i++)
        {
            var isContainer = chain[i].Kind is SymbolKind.Namespace or SymbolKind.Module;
            if (isContainer && i + 1 < chain.Length && chain[i + 1].Kind is SymbolKind.Namespace or SymbolKind.Module)
            {
                continue;
            }

            parts.Add(isContainer ? chain[i].QualifiedName : chain[i].Name);
        }

        return string.Join(" > ", parts);
    }

    private void AddRelations(List<(string Text, int Cap)> lines, CodeSymbol symbol)
    {
        var related = new List<string>();
        foreach (var edge in graph.OutgoingEdges(symbol.Id))
        {
            if (edge.Kind is EdgeKind.Implements or EdgeKind.Inherits or EdgeKind.Overrides)
            {
                var target = graph[edge.To];
                var container = graph.Parent(edge.To);
                var name = container is not null && !target.Kind.IsType() ? container.Name + "." + target.Name : target.Name;
                related.Add($"{edge.Kind.ToWireName()} {ChunkText.NameText(name, options.SplitIdentifiers)}");
            }
        }

        if (related.Count > 0)
        {
            lines.Add((string.Join("; ", related), Cap(RelationsShare)));
        }
    }

    private void AddNeighbours(List<(string Text, int Cap)> lines, string label, IReadOnlyList<CodeSymbol> neighbours, int cap)
    {
        if (neighbours.Count == 0)
        {
            return;
        }

        var names = new List<string>(neighbours.Count);
        foreach (var neighbour in neighbours)
        {
            // External members are named with their type: "append" alone says less than "string builder append".
            var name = neighbour.Kind == SymbolKind.Constructor
                ? "new " + WithoutTypeArguments(neighbour.Name)
                : neighbour.IsExternal && neighbour.QualifiedName.LastIndexOf('.') is var dot and > 0
                    ? WithoutTypeArguments(NameWithType(neighbour.QualifiedName, dot))
                    : neighbour.Name;
            names.Add(ChunkText.NameText(name, options.SplitIdentifiers));
        }

        lines.Add((label + string.Join(", ", names), cap));
    }

    /// <summary><c>Dictionary&lt;TKey, TValue&gt;.Add</c> → <c>Dictionary.Add</c>: type parameters are noise in a name list.</summary>
    private static string WithoutTypeArguments(string name)
    {
        if (!name.Contains('<', StringComparison.Ordinal))
        {
            return name;
        }

        var builder = new StringBuilder(name.Length);
        var depth = 0;
        foreach (var c in name)
        {
            depth += c == '<' ? 1 : 0;
            if (depth == 0)
            {
                builder.Append(c);
            }

            depth -= c == '>' && depth > 0 ? 1 : 0;
        }

        return builder.ToString();
    }

    private static string NameWithType(string qualifiedName, int lastDot)
    {
        var typeStart = qualifiedName.LastIndexOf('.', lastDot - 1) + 1;
        return qualifiedName[typeStart..];
    }

    /// <summary>Header parts of one symbol, ready to render for any part.</summary>
    internal sealed record PreparedHeader(List<(string Text, int Cap)> Leading, string? Scope, string? Signature, List<(string Text, int Cap)> Trailing);

    private int Cap(double share) => Math.Max(4, (int)(options.TokenBudget * share));

    private sealed class HeaderAccumulator(int maxTokens, ITokenCounter counter)
    {
        private readonly StringBuilder _text = new();
        private int _tokens;

        public void Add(string line, int cap)
        {
            var room = Math.Min(cap, maxTokens - _tokens);
            if (room <= 2)
            {
                return;
            }

            var fitted = ChunkText.Truncate(line, room, counter, out var tokens);
            if (fitted.Length == 0)
            {
                return;
            }

            _text.Append(fitted).Append('\n');
            _tokens += tokens;
        }

        public override string ToString() => _text.ToString();
    }
}
