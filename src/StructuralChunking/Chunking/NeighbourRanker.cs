using StructuralChunking.Graph;

namespace StructuralChunking.Chunking;

/// <summary>
/// Chooses which graph neighbours a chunk header names. A header has room for a handful of names, so they must be
/// the informative ones.
/// </summary>
/// <remarks>
/// <para>Rule, per candidate neighbour <c>n</c> reached by an edge of weight <c>w</c>:</para>
/// <code>score(n) = w × origin(n) / log2(2 + fan(n)) / log2(2 + nameCount(n))</code>
/// <list type="bullet">
/// <item><c>origin</c> is 1 for symbols declared in the indexed sources and 0.35 for external ones (framework or
/// package calls say less about what this code does);</item>
/// <item><c>fan</c> is how many symbols call a callee (or how many a caller calls): a utility called from everywhere,
/// like a logging or guard helper, tells little about any one caller;</item>
/// <item><c>nameCount</c> is how many symbols in the graph share the simple name: <c>ToString</c>, <c>Get</c> or
/// <c>Dispose</c> are generic, <c>ReadBearerToken</c> is specific.</item>
/// </list>
/// <para>Property, indexer and event accesses count half a call: reading <c>order.Total</c> says less about intent
/// than calling <c>PlaceOrder</c>.</para>
/// <para>Ties break by qualified name, so the choice is deterministic. Self-calls (recursion) are not named.</para>
/// </remarks>
internal sealed class NeighbourRanker
{
    private const double ExternalOrigin = 0.35;
    private const double AccessorCall = 0.5;

    private readonly CodeGraph _graph;
    private readonly Dictionary<string, int> _nameCounts = new(StringComparer.Ordinal);

    public NeighbourRanker(CodeGraph graph)
    {
        _graph = graph;
        foreach (var symbol in graph.Symbols)
        {
            _nameCounts[symbol.Name] = _nameCounts.GetValueOrDefault(symbol.Name) + 1;
        }
    }

    /// <summary>The best callees of the symbols in <paramref name="sources"/> that are not themselves in it.</summary>
    public IReadOnlyList<CodeSymbol> TopCallees(IReadOnlySet<SymbolId> sources, int count) => Top(sources, count, outgoing: true);

    /// <summary>The best callers of the symbols in <paramref name="sources"/> that are not themselves in it.</summary>
    public IReadOnlyList<CodeSymbol> TopCallers(IReadOnlySet<SymbolId> sources, int count) => Top(sources, count, outgoing: false);

    private List<CodeSymbol> Top(IReadOnlySet<SymbolId> sources, int count, bool outgoing)
    {
        if (count <= 0)
        {
            return [];
        }

        var candidates = new Dictionary<SymbolId, double>();
        foreach (var id in sources)
        {
            Collect(id, sources, outgoing, candidates);
        }

        return Best(candidates, count);
    }

    private void Collect(SymbolId id, IReadOnlySet<SymbolId> sources, bool outgoing, Dictionary<SymbolId, double> candidates)
    {
        var edges = outgoing ? _graph.OutgoingEdges(id) : _graph.IncomingEdges(id);
        foreach (var edge in edges)
        {
            if (edge.Kind != EdgeKind.Calls)
            {
                continue;
            }

            var other = outgoing ? edge.To : edge.From;
            if (other == id || (sources.Count > 1 && sources.Contains(other)))
            {
                continue;
            }

            var symbol = _graph[other];
            var fan = outgoing ? CountCalls(_graph.IncomingEdges(other)) : CountCalls(_graph.OutgoingEdges(other));
            var score = edge.Weight * (symbol.IsExternal ? ExternalOrigin : 1.0)
                * (symbol.Kind is SymbolKind.Property or SymbolKind.Indexer or SymbolKind.Event ? AccessorCall : 1.0)
                / Math.Log2(2 + fan)
                / Math.Log2(2 + _nameCounts.GetValueOrDefault(symbol.Name, 1));
            if (!candidates.TryGetValue(other, out var existing) || existing < score)
            {
                candidates[other] = score;
            }
        }
    }

    private List<CodeSymbol> Best(Dictionary<SymbolId, double> candidates, int count)
    {
        var ranked = new List<(CodeSymbol Symbol, double Score)>(candidates.Count);
        foreach (var (other, score) in candidates)
        {
            ranked.Add((_graph[other], score));
        }

        ranked.Sort(static (a, b) =>
        {
            var byScore = b.Score.CompareTo(a.Score);
            return byScore != 0 ? byScore : string.CompareOrdinal(a.Symbol.QualifiedName, b.Symbol.QualifiedName);
        });

        var result = new List<CodeSymbol>(Math.Min(count, ranked.Count));
        for (var i = 0; i < ranked.Count && result.Count < count; i++)
        {
            result.Add(ranked[i].Symbol);
        }

        return result;
    }

    private static int CountCalls(System.Collections.Immutable.ImmutableArray<CodeEdge> edges)
    {
        var count = 0;
        foreach (var edge in edges)
        {
            if (edge.Kind == EdgeKind.Calls)
            {
                count++;
            }
        }

        return count;
    }
}
