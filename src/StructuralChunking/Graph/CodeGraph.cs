using System.Collections.Frozen;
using System.Collections.Immutable;

namespace StructuralChunking.Graph;

/// <summary>
/// An immutable call graph: symbols and the typed edges between them, with the queries chunking and search need.
/// Build one with <see cref="CodeGraphBuilder"/>.
/// </summary>
/// <remarks>
/// Ordering is deterministic everywhere: <see cref="Symbols"/> by path, start line, qualified name and id (external
/// symbols last, by qualified name); <see cref="Edges"/> by source, kind and target; query results in symbol order.
/// Instances are thread-safe.
/// </remarks>
public sealed class CodeGraph
{
    private readonly FrozenDictionary<SymbolId, int> _ordinals;
    private readonly FrozenDictionary<SymbolId, ImmutableArray<CodeEdge>> _outgoing;
    private readonly FrozenDictionary<SymbolId, ImmutableArray<CodeEdge>> _incoming;

    internal CodeGraph(ImmutableArray<CodeSymbol> orderedSymbols, ImmutableArray<CodeEdge> orderedEdges)
    {
        Symbols = orderedSymbols;
        Edges = orderedEdges;

        var ordinals = new Dictionary<SymbolId, int>(orderedSymbols.Length);
        for (var i = 0; i < orderedSymbols.Length; i++)
        {
            ordinals.Add(orderedSymbols[i].Id, i);
        }

        _ordinals = ordinals.ToFrozenDictionary();
        _outgoing = GroupEdges(orderedEdges, static e => e.From);
        _incoming = GroupEdges(orderedEdges, static e => e.To);
    }

    /// <summary>A graph with no symbols and no edges.</summary>
    public static CodeGraph Empty { get; } = new([], []);

    /// <summary>Every symbol, in deterministic order.</summary>
    public ImmutableArray<CodeSymbol> Symbols { get; }

    /// <summary>Every edge, in deterministic order; both ends of each edge are in <see cref="Symbols"/>.</summary>
    public ImmutableArray<CodeEdge> Edges { get; }

    /// <summary>Looks a symbol up by id.</summary>
    /// <exception cref="KeyNotFoundException">The graph has no such symbol.</exception>
    public CodeSymbol this[SymbolId id] =>
        TryGetSymbol(id, out var symbol) ? symbol : throw new KeyNotFoundException($"The graph has no symbol '{id}'.");

    /// <summary>True when the graph holds a symbol with this id.</summary>
    public bool Contains(SymbolId id) => _ordinals.ContainsKey(id);

    /// <summary>Looks a symbol up by id.</summary>
    public bool TryGetSymbol(SymbolId id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CodeSymbol? symbol)
    {
        if (_ordinals.TryGetValue(id, out var ordinal))
        {
            symbol = Symbols[ordinal];
            return true;
        }

        symbol = null;
        return false;
    }

    /// <summary>Edges that start at <paramref name="id"/>, ordered by kind then target.</summary>
    public ImmutableArray<CodeEdge> OutgoingEdges(SymbolId id) => _outgoing.GetValueOrDefault(id, []);

    /// <summary>Edges that end at <paramref name="id"/>, ordered by source then kind.</summary>
    public ImmutableArray<CodeEdge> IncomingEdges(SymbolId id) => _incoming.GetValueOrDefault(id, []);

    /// <summary>Targets of the <paramref name="kind"/> edges that start at <paramref name="id"/>, in symbol order.</summary>
    public ImmutableArray<CodeSymbol> Outgoing(SymbolId id, EdgeKind kind) => Collect(OutgoingEdges(id), kind, static e => e.To);

    /// <summary>Sources of the <paramref name="kind"/> edges that end at <paramref name="id"/>, in symbol order.</summary>
    public ImmutableArray<CodeSymbol> Incoming(SymbolId id, EdgeKind kind) => Collect(IncomingEdges(id), kind, static e => e.From);

    /// <summary>What <paramref name="id"/> calls.</summary>
    public ImmutableArray<CodeSymbol> Callees(SymbolId id) => Outgoing(id, EdgeKind.Calls);

    /// <summary>What calls <paramref name="id"/>.</summary>
    public ImmutableArray<CodeSymbol> Callers(SymbolId id) => Incoming(id, EdgeKind.Calls);

    /// <summary>What <paramref name="id"/> contains (the members of a type, the types of a namespace).</summary>
    public ImmutableArray<CodeSymbol> Members(SymbolId id) => Outgoing(id, EdgeKind.Contains);

    /// <summary>Types or members that implement the interface or interface member <paramref name="id"/>.</summary>
    public ImmutableArray<CodeSymbol> Implementations(SymbolId id) => Incoming(id, EdgeKind.Implements);

    /// <summary>Interfaces or interface members that <paramref name="id"/> implements.</summary>
    public ImmutableArray<CodeSymbol> Implemented(SymbolId id) => Outgoing(id, EdgeKind.Implements);

    /// <summary>The enclosing symbol of <paramref name="id"/>, or <c>null</c>.</summary>
    public CodeSymbol? Parent(SymbolId id) =>
        TryGetSymbol(id, out var symbol) && symbol.ParentId is { } parentId && TryGetSymbol(parentId, out var parent)
            ? parent
            : null;

    /// <summary>
    /// The chain of enclosing symbols of <paramref name="id"/>, outermost first, ending with the symbol itself.
    /// </summary>
    public ImmutableArray<CodeSymbol> ScopeChain(SymbolId id)
    {
        var chain = ImmutableArray.CreateBuilder<CodeSymbol>();
        var seen = new HashSet<SymbolId>();
        for (var current = TryGetSymbol(id, out var symbol) ? symbol : null;
             current is not null && seen.Add(current.Id);
             current = current.ParentId is { } parentId && TryGetSymbol(parentId, out var parent) ? parent : null)
        {
            chain.Add(current);
        }

        chain.Reverse();
        return chain.ToImmutable();
    }

    private ImmutableArray<CodeSymbol> Collect(ImmutableArray<CodeEdge> edges, EdgeKind kind, Func<CodeEdge, SymbolId> end)
    {
        if (edges.IsEmpty)
        {
            return [];
        }

        var ordinals = new List<int>();
        foreach (var edge in edges)
        {
            if (edge.Kind == kind)
            {
                ordinals.Add(_ordinals[end(edge)]);
            }
        }

        ordinals.Sort();
        var result = ImmutableArray.CreateBuilder<CodeSymbol>(ordinals.Count);
        var previous = -1;
        foreach (var ordinal in ordinals)
        {
            // Weighted duplicates (same ends, same kind) were merged by the builder, but guard anyway.
            if (ordinal != previous)
            {
                result.Add(Symbols[ordinal]);
                previous = ordinal;
            }
        }

        return result.ToImmutable();
    }

    private static FrozenDictionary<SymbolId, ImmutableArray<CodeEdge>> GroupEdges(ImmutableArray<CodeEdge> edges, Func<CodeEdge, SymbolId> key)
    {
        var groups = new Dictionary<SymbolId, ImmutableArray<CodeEdge>.Builder>();
        foreach (var edge in edges)
        {
            var k = key(edge);
            if (!groups.TryGetValue(k, out var group))
            {
                group = ImmutableArray.CreateBuilder<CodeEdge>();
                groups.Add(k, group);
            }

            group.Add(edge);
        }

        return groups.ToFrozenDictionary(static p => p.Key, static p => p.Value.ToImmutable());
    }
}
