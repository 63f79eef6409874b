using StructuralChunking.Graph;

namespace StructuralChunking.Tests.Roslyn;

internal static class GraphAssertions
{
    public static CodeSymbol Symbol(this CodeGraph graph, string qualifiedName)
    {
        var matches = graph.Symbols.Where(s => s.QualifiedName == qualifiedName).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new Xunit.Sdk.XunitException($"No symbol '{qualifiedName}'. Similar: " +
                string.Join(", ", graph.Symbols.Select(s => s.QualifiedName).Where(n => n.Contains(qualifiedName.Split('.')[^1], StringComparison.Ordinal)).Take(10))),
            _ => throw new Xunit.Sdk.XunitException($"{matches.Count} symbols named '{qualifiedName}'."),
        };
    }

    public static bool HasEdge(this CodeGraph graph, string from, string to, EdgeKind kind)
    {
        var source = graph.Symbol(from);
        var target = graph.Symbol(to);
        return graph.OutgoingEdges(source.Id).Any(e => e.To == target.Id && e.Kind == kind);
    }

    public static void AssertEdge(this CodeGraph graph, string from, string to, EdgeKind kind)
    {
        if (!graph.HasEdge(from, to, kind))
        {
            var source = graph.Symbol(from);
            var actual = graph.OutgoingEdges(source.Id).Select(e => $"{e.Kind.ToWireName()} {graph[e.To].QualifiedName}");
            throw new Xunit.Sdk.XunitException($"Expected {from} -{kind.ToWireName()}-> {to}. Actual edges: {string.Join("; ", actual)}");
        }
    }

    public static IReadOnlyList<string> Targets(this CodeGraph graph, string from, EdgeKind kind) =>
        graph.Outgoing(graph.Symbol(from).Id, kind).Select(s => s.QualifiedName).ToList();
}
