using System.Collections.Immutable;

namespace StructuralChunking.Graph;

/// <summary>Collects symbols and edges from one or more front ends and produces an immutable <see cref="CodeGraph"/>.</summary>
/// <remarks>
/// <para>Adding a symbol whose id is already present merges the two: a declaration at a new location becomes an
/// additional location (C# partial types), a source declaration replaces an external placeholder, and missing
/// signature or documentation text is filled in. Adding the same edge twice keeps the higher weight.</para>
/// <para>Not thread-safe: front ends that work in parallel collect per worker and add the results in a fixed order.</para>
/// </remarks>
public sealed class CodeGraphBuilder
{
    private readonly Dictionary<SymbolId, CodeSymbol> _symbols = [];
    private readonly Dictionary<(SymbolId From, SymbolId To, EdgeKind Kind), float> _edges = [];

    /// <summary>Number of distinct symbols added so far.</summary>
    public int SymbolCount => _symbols.Count;

    /// <summary>Number of distinct edges added so far.</summary>
    public int EdgeCount => _edges.Count;

    /// <summary>True when a symbol with this id was added.</summary>
    public bool Contains(SymbolId id) => _symbols.ContainsKey(id);

    /// <summary>Adds a symbol, or merges it into the one already added with the same id.</summary>
    /// <returns><c>true</c> when the id was new.</returns>
    public bool AddSymbol(CodeSymbol symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        if (symbol.Id.IsEmpty)
        {
            throw new ArgumentException($"Symbol '{symbol.QualifiedName}' has an empty id.", nameof(symbol));
        }

        symbol.Location?.Validate();
        if (!_symbols.TryGetValue(symbol.Id, out var existing))
        {
            _symbols.Add(symbol.Id, symbol);
            return true;
        }

        _symbols[symbol.Id] = Merge(existing, symbol);
        return false;
    }

    /// <summary>Adds an edge; both ends must be added (before or after) by the time <see cref="Build"/> runs.</summary>
    public void AddEdge(CodeEdge edge)
    {
        if (edge.From.IsEmpty || edge.To.IsEmpty)
        {
            throw new ArgumentException("An edge needs two non-empty symbol ids.", nameof(edge));
        }

        if (!(edge.Weight > 0f && edge.Weight <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(edge), edge.Weight, "Edge weight must be in (0, 1].");
        }

        var key = (edge.From, edge.To, edge.Kind);
        if (!_edges.TryGetValue(key, out var weight) || weight < edge.Weight)
        {
            _edges[key] = edge.Weight;
        }
    }

    /// <summary>Adds an edge.</summary>
    public void AddEdge(SymbolId from, SymbolId to, EdgeKind kind, float weight = 1f) => AddEdge(new CodeEdge(from, to, kind, weight));

    /// <summary>Adds every symbol and edge of another graph (for example one per language of a mixed folder).</summary>
    public void AddGraph(CodeGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        foreach (var symbol in graph.Symbols)
        {
            AddSymbol(symbol);
        }

        foreach (var edge in graph.Edges)
        {
            AddEdge(edge);
        }
    }

    /// <summary>Produces the immutable graph.</summary>
    /// <exception cref="InvalidOperationException">An edge names a symbol that was never added (a front-end bug).</exception>
    public CodeGraph Build()
    {
        var dangling = new List<string>();
        var edges = new List<CodeEdge>(_edges.Count);
        foreach (var ((from, to, kind), weight) in _edges)
        {
            if (!_symbols.ContainsKey(from) || !_symbols.ContainsKey(to))
            {
                dangling.Add($"{from} -{kind.ToWireName()}-> {to}");
                continue;
            }

            edges.Add(new CodeEdge(from, to, kind, weight));
        }

        if (dangling.Count > 0)
        {
            dangling.Sort(StringComparer.Ordinal);
            throw new InvalidOperationException(
                $"{dangling.Count} edge(s) name symbols that were never added, for example: {string.Join("; ", dangling.Take(3))}. " +
                "Add external symbols (SymbolTraits.External) for targets outside the indexed sources.");
        }

        var symbols = _symbols.Values.ToList();
        symbols.Sort(CompareSymbols);
        edges.Sort(CodeEdge.Ordering);
        return new CodeGraph([.. symbols], [.. edges]);
    }

    internal static int CompareSymbols(CodeSymbol x, CodeSymbol y)
    {
        // Located symbols first, in reading order; external ones after, by name.
        var xLoc = x.Location;
        var yLoc = y.Location;
        if (xLoc.HasValue != yLoc.HasValue)
        {
            return xLoc.HasValue ? -1 : 1;
        }

        if (xLoc is { } a && yLoc is { } b)
        {
            var byPath = string.CompareOrdinal(a.Path, b.Path);
            if (byPath != 0)
            {
                return byPath;
            }

            var byStart = a.StartByte.CompareTo(b.StartByte);
            if (byStart != 0)
            {
                return byStart;
            }

            // Enclosing declarations before the ones they contain when both start at the same place.
            var byEnd = b.EndByte.CompareTo(a.EndByte);
            if (byEnd != 0)
            {
                return byEnd;
            }
        }

        var byName = string.CompareOrdinal(x.QualifiedName, y.QualifiedName);
        return byName != 0 ? byName : x.Id.CompareTo(y.Id);
    }

    private static CodeSymbol Merge(CodeSymbol existing, CodeSymbol incoming)
    {
        // A real declaration wins over an external placeholder created by a reference seen first; the placeholder
        // adds at most a signature, never its traits (it would clear Generated).
        if (existing.IsExternal && !incoming.IsExternal)
        {
            return incoming with { Signature = incoming.Signature ?? existing.Signature };
        }

        if (incoming.IsExternal)
        {
            return existing;
        }

        var locations = existing.AllLocations.ToList();
        foreach (var location in incoming.AllLocations)
        {
            if (!locations.Contains(location))
            {
                locations.Add(location);
            }
        }

        locations.Sort(static (a, b) =>
        {
            var byPath = string.CompareOrdinal(a.Path, b.Path);
            return byPath != 0 ? byPath : a.StartByte.CompareTo(b.StartByte);
        });

        return existing with
        {
            Location = locations.Count > 0 ? locations[0] : null,
            AdditionalLocations = locations.Count > 1 ? [.. locations.Skip(1)] : ImmutableArray<SourceLocation>.Empty,
            Signature = existing.Signature ?? incoming.Signature,
            Documentation = existing.Documentation ?? incoming.Documentation,
            ParentId = existing.ParentId ?? incoming.ParentId,
            // Generated only if every part is; a test symbol if any part is.
            Traits = (existing.Traits & incoming.Traits & SymbolTraits.Generated) | ((existing.Traits | incoming.Traits) & SymbolTraits.Test),
        };
    }
}
