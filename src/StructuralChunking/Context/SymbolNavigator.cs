using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using StructuralChunking.Chunking;
using StructuralChunking.Graph;
using StructuralChunking.Indexing;
using StructuralChunking.Search;

namespace StructuralChunking.Context;

/// <summary>
/// Finds definitions in an index by name or id and walks the code graph the index stored: callers, callees,
/// implementations, the members a definition implements, the code that uses a type. Built once per index (see
/// <see cref="For"/>); needs no source files.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class SymbolNavigator
{
    private const int MaxSignatureLines = 4;
    private const int MaxSignatureChars = 240;
    private static readonly ConditionalWeakTable<CodeIndex, SymbolNavigator> Cache = new();

    private readonly CodeIndex _index;
    private readonly int[] _head;
    private readonly FrozenDictionary<string, int> _headById;
    private readonly FrozenDictionary<int, int[]> _parts;
    private readonly FrozenDictionary<string, int[]> _bySimpleName;
    private readonly FrozenDictionary<int, int[]> _implements;
    private readonly IndexedSymbol?[] _symbols;

    private SymbolNavigator(CodeIndex index)
    {
        _index = index;
        var chunks = index.Chunks;
        _head = new int[chunks.Length];
        var heads = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < chunks.Length; i++)
        {
            var key = CodeIndex.GroupKey(chunks[i].Id);
            if (!heads.TryGetValue(key, out var head) || chunks[i].PartIndex < chunks[head].PartIndex)
            {
                heads[key] = i;
            }
        }

        var parts = new Dictionary<int, List<int>>();
        for (var i = 0; i < chunks.Length; i++)
        {
            var head = heads[CodeIndex.GroupKey(chunks[i].Id)];
            _head[i] = head;
            if (!parts.TryGetValue(head, out var list))
            {
                parts[head] = list = [];
            }

            list.Add(i);
        }

        _headById = heads.ToFrozenDictionary(StringComparer.Ordinal);
        _parts = parts.ToFrozenDictionary(p => p.Key, p => p.Value.OrderBy(o => chunks[o].PartIndex).ThenBy(o => o).ToArray());

        var names = new Dictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
        foreach (var head in parts.Keys.Order())
        {
            if (chunks[head].SymbolName is { } name)
            {
                // A run of small members is found by each member's name, not only by its first member's.
                var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (var simple in RunMemberNames(chunks[head]).Prepend(SimpleName(name)))
                {
                    if (!seen.Add(simple))
                    {
                        continue;
                    }

                    if (!names.TryGetValue(simple, out var list))
                    {
                        names[simple] = list = [];
                    }

                    list.Add(head);
                }
            }
        }

        _bySimpleName = names.ToFrozenDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.OrdinalIgnoreCase);

        // The relations are stored on the implemented member; "what does this implement" reads them backwards.
        var implements = new Dictionary<int, List<int>>();
        var relations = index.Relations;
        foreach (var head in parts.Keys)
        {
            var targets = relations.Targets(head);
            var kinds = relations.Kinds(head);
            for (var r = 0; r < targets.Length; r++)
            {
                if (kinds[r] == ChunkRelationKind.Implementation)
                {
                    if (!implements.TryGetValue(targets[r], out var list))
                    {
                        implements[targets[r]] = list = [];
                    }

                    list.Add(head);
                }
            }
        }

        _implements = implements.ToFrozenDictionary(p => p.Key, p => p.Value.Distinct().Order().ToArray());
        _symbols = new IndexedSymbol?[chunks.Length];
    }

    /// <summary>
    /// The simple names of the members of a run of small members (a chunk id with <c>+members</c>), as the chunker lists
    /// them in the scope line (<c>scope: Ns &gt; Type (members A, B, C)</c>); a name cut off by the header's budget is
    /// left out. Empty for every other chunk.
    /// </summary>
    internal static IEnumerable<string> RunMemberNames(CodeChunk chunk)
    {
        if (!chunk.Id.Contains("+members#", StringComparison.Ordinal))
        {
            return [];
        }

        var text = chunk.EmbeddingText;
        var scope = text.StartsWith("scope: ", StringComparison.Ordinal) ? 0 : text.IndexOf("\nscope: ", StringComparison.Ordinal) + 1;
        var label = scope < 0 ? -1 : text.IndexOf(" (members ", scope, StringComparison.Ordinal);
        var lineEnd = scope < 0 ? -1 : text.IndexOf('\n', scope);
        if (scope < 0 || label < 0 || (lineEnd >= 0 && label > lineEnd))
        {
            return [];
        }

        var list = text[(label + " (members ".Length)..(lineEnd < 0 ? text.Length : lineEnd)];
        var complete = list.EndsWith(')');
        list = complete ? list[..^1] : list;
        var names = list.Split(", ").ToList();
        if (names.Count > 0 && names[^1].StartsWith("part ", StringComparison.Ordinal) && names[^1].Contains(" of ", StringComparison.Ordinal))
        {
            names.RemoveAt(names.Count - 1);
        }
        else if (!complete && names.Count > 0)
        {
            names.RemoveAt(names.Count - 1);
        }

        return names.Where(n => n.Length > 0).Select(SimpleName);
    }

    /// <summary>The qualified names a definition answers to: its symbol's, and for a run of small members each member's.</summary>
    private IEnumerable<string> QualifiedNames(int head)
    {
        var name = _index.Chunks[head].SymbolName!;
        yield return name;
        var container = name[..(name.LastIndexOf('.') + 1)];
        foreach (var member in RunMemberNames(_index.Chunks[head]))
        {
            yield return container + member;
        }
    }

    /// <summary>The navigator of <paramref name="index"/>, built on first use and kept as long as the index lives.</summary>
    public static SymbolNavigator For(CodeIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return Cache.GetValue(index, static i => new SymbolNavigator(i));
    }

    /// <summary>The index this navigator reads.</summary>
    public CodeIndex Index => _index;

    /// <summary>Number of definitions (split definitions count once).</summary>
    public int DefinitionCount => _parts.Count;

    /// <summary>
    /// Definitions matching <paramref name="nameOrId"/>: an id (<see cref="IndexedSymbol.Id"/>) exactly, else a qualified
    /// name exactly, else a qualified name ending in it (<c>Order.Place</c>), else the simple name, case-sensitively
    /// first and then ignoring case. A member merged into a run of small members is found by its own name, as that run.
    /// Production code before test code, then by path and line.
    /// </summary>
    /// <param name="nameOrId">An id, a qualified name or a simple name.</param>
    /// <param name="max">Most definitions returned.</param>
    public IReadOnlyList<IndexedSymbol> Find(string nameOrId, int max = 20)
    {
        ArgumentNullException.ThrowIfNull(nameOrId);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var text = nameOrId.Trim();
        if (text.Length == 0)
        {
            return [];
        }

        if (_headById.TryGetValue(text, out var byId))
        {
            return [Symbol(byId)];
        }

        if (!_bySimpleName.TryGetValue(SimpleName(text), out var candidates))
        {
            return [];
        }

        IEnumerable<int> matches = candidates.Where(h => QualifiedNames(h).Any(n => string.Equals(n, text, StringComparison.Ordinal))).ToList();
        if (!matches.Any())
        {
            matches = candidates.Where(h => QualifiedNames(h).Any(n => n.EndsWith("." + text, StringComparison.Ordinal))).ToList();
        }

        if (!matches.Any())
        {
            matches = candidates.Where(h => QualifiedNames(h).Any(n => string.Equals(SimpleName(n), SimpleName(text), StringComparison.Ordinal))).ToList();
        }

        if (!matches.Any())
        {
            matches = candidates;
        }

        return matches.Select(Symbol)
            .OrderBy(s => (s.Traits & SymbolTraits.Test) != 0)
            .ThenBy(s => s.Path, StringComparer.Ordinal)
            .ThenBy(s => s.StartLine)
            .Take(max)
            .ToList();
    }

    /// <summary>
    /// Definitions whose code spells <paramref name="name"/> as a whole identifier, those that seem to declare it first
    /// (the name followed by a parameter list or a type on the same line). For names that have no definition of their own
    /// in the index: a small member is stored inside its type.
    /// </summary>
    /// <param name="name">A simple or qualified name; its last part is looked for.</param>
    /// <param name="max">Most definitions returned.</param>
    public IReadOnlyList<IndexedSymbol> FindContaining(string name, int max = 5)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var simple = SimpleName(name.Trim());
        if (simple.Length == 0)
        {
            return [];
        }

        var found = new List<(int Head, bool Declares)>();
        foreach (var (head, parts) in _parts)
        {
            var declares = false;
            var mentions = false;
            foreach (var part in parts)
            {
                var text = _index.Chunks[part].DisplayText;
                for (var at = text.IndexOf(simple, StringComparison.Ordinal); at >= 0; at = text.IndexOf(simple, at + 1, StringComparison.Ordinal))
                {
                    var end = at + simple.Length;
                    if ((at > 0 && IsIdentifierChar(text[at - 1])) || (end < text.Length && IsIdentifierChar(text[end])))
                    {
                        continue;
                    }

                    mentions = true;
                    var lineStart = text.LastIndexOf('\n', Math.Max(0, at - 1)) + 1;
                    var before = text.AsSpan(lineStart, at - lineStart).Trim();
                    var next = end < text.Length ? text.AsSpan(end).TrimStart(' ') : [];
                    if (before.Length > 0 && !before.EndsWith('.') && !before.EndsWith('=') && !before.EndsWith('(') && (next.StartsWith('(') || next.StartsWith('<') || next.StartsWith('{') || next.StartsWith(':')))
                    {
                        declares = true;
                        break;
                    }
                }

                if (declares)
                {
                    break;
                }
            }

            if (mentions)
            {
                found.Add((head, declares));
            }
        }

        return found
            .OrderByDescending(f => f.Declares)
            .ThenBy(f => (_index.Chunks[f.Head].Traits & SymbolTraits.Test) != 0)
            .ThenBy(f => _index.Chunks[f.Head].Path, StringComparer.Ordinal)
            .ThenBy(f => _index.Chunks[f.Head].StartLine)
            .Take(max)
            .Select(f => Symbol(f.Head))
            .ToList();
    }

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';

    /// <summary>The definition a search result belongs to.</summary>
    public IndexedSymbol Of(SearchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Symbol(_headById[CodeIndex.GroupKey(result.Chunk.Id)]);
    }

    /// <summary>The definitions related to <paramref name="symbol"/> by <paramref name="relation"/>, largest first (the ones doing the most work).</summary>
    /// <param name="symbol">A definition of this index.</param>
    /// <param name="relation">Which relation to follow.</param>
    /// <param name="max">Most definitions returned.</param>
    public IReadOnlyList<IndexedSymbol> Related(IndexedSymbol symbol, SymbolRelation relation, int max = 50)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        return RelatedHeads(symbol.Head, relation).Take(max).Select(Symbol).ToList();
    }

    /// <summary>The whole source text of a definition (all its parts, in line order), as the index stored it.</summary>
    public string GetText(IndexedSymbol symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        var (_, lines, text) = Lines(symbol.Head);
        return lines is null ? text : string.Join("\n", lines);
    }

    /// <summary>The head ordinals related to <paramref name="head"/>.</summary>
    internal IEnumerable<int> RelatedHeads(int head, SymbolRelation relation)
    {
        if (relation == SymbolRelation.Implements)
        {
            return _implements.TryGetValue(head, out var implemented) ? implemented : [];
        }

        var kind = relation switch
        {
            SymbolRelation.Callers => ChunkRelationKind.Caller,
            SymbolRelation.Callees => ChunkRelationKind.Callee,
            SymbolRelation.Implementations => ChunkRelationKind.Implementation,
            _ => ChunkRelationKind.User,
        };
        var targets = _index.Relations.Targets(head);
        var kinds = _index.Relations.Kinds(head);
        var result = new List<int>();
        for (var r = 0; r < targets.Length; r++)
        {
            if (kinds[r] == kind && !result.Contains(targets[r]))
            {
                result.Add(targets[r]);
            }
        }

        return result;
    }

    /// <summary>The definition whose first chunk is <paramref name="head"/>.</summary>
    internal IndexedSymbol Symbol(int head)
    {
        head = _head[head];
        var cached = Volatile.Read(ref _symbols[head]);
        if (cached is not null)
        {
            return cached;
        }

        var chunk = _index.Chunks[head];
        var parts = _parts[head];
        var start = parts.Min(p => _index.Chunks[p].StartLine);
        var end = parts.Max(p => _index.Chunks[p].EndLine);
        var symbol = new IndexedSymbol
        {
            Id = CodeIndex.GroupKey(chunk.Id),
            Name = chunk.SymbolName,
            Kind = chunk.SymbolKind,
            Language = chunk.Language,
            Path = chunk.Path,
            StartLine = start,
            EndLine = end,
            Signature = SignatureOf(parts.Select(p => _index.Chunks[p])),
            Documentation = HeaderLine(chunk.EmbeddingText, "doc: "),
            Traits = chunk.Traits,
            Head = head,
        };
        Volatile.Write(ref _symbols[head], symbol);
        return symbol;
    }

    /// <summary>The head of the definition chunk <paramref name="ordinal"/> belongs to.</summary>
    internal int HeadOf(int ordinal) => _head[ordinal];

    /// <summary>
    /// The definition's source lines, first line number and lines, when its parts' texts map one to one onto their line
    /// spans (the usual case); otherwise null lines and the parts' texts joined.
    /// </summary>
    internal (int Start, string[]? Lines, string Text) Lines(int head)
    {
        var parts = _parts[_head[head]];
        var chunks = _index.Chunks;
        var start = parts.Min(p => chunks[p].StartLine);
        var end = parts.Max(p => chunks[p].EndLine);
        var lines = new string?[end - start + 1];
        foreach (var part in parts)
        {
            var chunk = chunks[part];
            var partLines = SplitLines(chunk.DisplayText);
            if (partLines.Length != chunk.EndLine - chunk.StartLine + 1)
            {
                return (start, null, string.Join("\n", parts.Select(p => chunks[p].DisplayText.TrimEnd('\n'))));
            }

            for (var i = 0; i < partLines.Length; i++)
            {
                lines[chunk.StartLine - start + i] ??= partLines[i];
            }
        }

        // Lines no part covers (between parts) are shown empty rather than invented.
        return (start, lines.Select(l => l ?? string.Empty).ToArray(), string.Empty);
    }

    internal static string[] SplitLines(string text)
    {
        var trimmed = text.EndsWith('\n') ? text[..^1] : text;
        return trimmed.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
    }

    /// <summary>The declaration of a definition: the signature its header recorded, else its first code lines up to the body.</summary>
    internal static string SignatureOf(IEnumerable<CodeChunk> parts)
    {
        var list = parts.ToList();
        foreach (var part in list)
        {
            if (HeaderLine(part.EmbeddingText, "signature: ") is { } recorded)
            {
                return recorded;
            }
        }

        var collected = new List<string>();
        string? firstLine = null;
        foreach (var raw in SplitLines(list[0].DisplayText))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            firstLine ??= line;
            if (collected.Count == 0 && IsPreamble(line))
            {
                continue;
            }

            var brace = line.IndexOf('{', StringComparison.Ordinal);
            if (brace >= 0)
            {
                var head = line[..brace].TrimEnd();
                if (head.Length > 0 || collected.Count == 0)
                {
                    collected.Add(head.Length > 0 ? head : line);
                }

                break;
            }

            collected.Add(line);
            if (line.EndsWith(':') || line.EndsWith(';') || line.Contains("=>", StringComparison.Ordinal) || collected.Count == MaxSignatureLines)
            {
                break;
            }
        }

        var signature = collected.Count > 0 ? string.Join(" ", collected) : firstLine ?? string.Empty;
        return signature.Length <= MaxSignatureChars ? signature : signature[..MaxSignatureChars] + "…";
    }

    /// <summary>Comments, attributes and decorators before a declaration.</summary>
    private static bool IsPreamble(string line) =>
        line.StartsWith("//", StringComparison.Ordinal) || line.StartsWith("/*", StringComparison.Ordinal) || line.StartsWith('*')
        || line.StartsWith('[') || line.StartsWith('@') || line.StartsWith("#[", StringComparison.Ordinal)
        || (line.StartsWith('#') && !line.StartsWith("#define", StringComparison.Ordinal))
        || line.StartsWith("\"\"\"", StringComparison.Ordinal) || line.StartsWith("'''", StringComparison.Ordinal);

    /// <summary>A line of the chunk header (<see cref="CodeChunk.EmbeddingText"/>) that starts with <paramref name="prefix"/>.</summary>
    private static string? HeaderLine(string embeddingText, string prefix)
    {
        foreach (var line in embeddingText.Split('\n'))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                var value = line[prefix.Length..].Trim();
                return value.Length > 0 ? value : null;
            }

            if (!IsHeaderLine(line))
            {
                break;
            }
        }

        return null;
    }

    private static bool IsHeaderLine(string line) =>
        line.StartsWith("path: ", StringComparison.Ordinal) || line.StartsWith("scope: ", StringComparison.Ordinal)
        || line.StartsWith("signature: ", StringComparison.Ordinal) || line.StartsWith("doc: ", StringComparison.Ordinal)
        || line.StartsWith("words: ", StringComparison.Ordinal) || line.StartsWith("implements: ", StringComparison.Ordinal)
        || line.StartsWith("calls: ", StringComparison.Ordinal) || line.StartsWith("called by: ", StringComparison.Ordinal)
        || line.StartsWith("uses: ", StringComparison.Ordinal) || line.StartsWith("used by: ", StringComparison.Ordinal);

    private static string SimpleName(string name)
    {
        var generic = name.IndexOf('<', StringComparison.Ordinal);
        var plain = generic > 0 ? name[..generic] : name;
        var paren = plain.IndexOf('(', StringComparison.Ordinal);
        plain = paren > 0 ? plain[..paren] : plain;
        var dot = plain.LastIndexOf('.');
        return dot >= 0 ? plain[(dot + 1)..] : plain;
    }
}
