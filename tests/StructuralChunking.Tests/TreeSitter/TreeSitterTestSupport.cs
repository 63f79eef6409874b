using System.Globalization;
using System.Text;
using StructuralChunking.Graph;
using StructuralChunking.TreeSitter;

namespace StructuralChunking.Tests.TreeSitter;

/// <summary>Loading fixtures and looking symbols and edges up by qualified name.</summary>
internal static class TreeSitterTestSupport
{
    public static TreeSitterGraphResult Load(string folder, params string[] languages) =>
        TreeSitterGraphLoader.LoadAsync(folder, languages.Length == 0 ? null : new TreeSitterGraphOptions { Languages = languages.ToHashSet() })
            .GetAwaiter().GetResult();

    public static CodeSymbol Symbol(this CodeGraph graph, string qualifiedName)
    {
        var matches = graph.Symbols.Where(s => s.QualifiedName == qualifiedName).ToList();
        Assert.True(matches.Count == 1, $"expected one symbol '{qualifiedName}', found {matches.Count}; symbols:\n{Dump(graph)}");
        return matches[0];
    }

    public static void AssertDefinition(this CodeGraph graph, string qualifiedName, SymbolKind kind, int startLine, int endLine)
    {
        var symbol = graph.Symbol(qualifiedName);
        Assert.Equal(kind, symbol.Kind);
        Assert.True(startLine == symbol.StartLine && endLine == symbol.EndLine,
            $"{qualifiedName}: expected lines {startLine}-{endLine}, got {symbol.StartLine}-{symbol.EndLine}");
    }

    public static float EdgeWeight(this CodeGraph graph, string from, string to, EdgeKind kind)
    {
        var source = graph.Symbol(from);
        var target = graph.Symbol(to);
        var edge = graph.OutgoingEdges(source.Id).Where(e => e.To == target.Id && e.Kind == kind).ToList();
        return edge.Count == 0 ? 0f : edge[0].Weight;
    }

    public static void AssertEdge(this CodeGraph graph, string from, string to, EdgeKind kind = EdgeKind.Calls, float weight = 1f)
    {
        var actual = graph.EdgeWeight(from, to, kind);
        Assert.True(Math.Abs(actual - weight) < 1e-4,
            $"expected {from} -{kind.ToWireName()}-> {to} (weight {weight}), got weight {actual}; edges of {from}:\n{Edges(graph, from)}");
    }

    public static void AssertNoEdge(this CodeGraph graph, string from, string to, EdgeKind kind = EdgeKind.Calls) =>
        Assert.Equal(0f, graph.EdgeWeight(from, to, kind));

    public static string Dump(CodeGraph graph)
    {
        var text = new StringBuilder();
        foreach (var symbol in graph.Symbols)
        {
            text.Append(CultureInfo.InvariantCulture, $"{symbol.Kind.ToWireName(),-13} {symbol.QualifiedName} {symbol.StartLine}-{symbol.EndLine} sig=[{symbol.Signature}] doc=[{symbol.Documentation?.ReplaceLineEndings(" ")}]\n");
        }

        foreach (var edge in graph.Edges)
        {
            text.Append(CultureInfo.InvariantCulture, $"{graph[edge.From].QualifiedName} -{edge.Kind.ToWireName()}-> {graph[edge.To].QualifiedName} {edge.Weight:0.##}\n");
        }

        return text.ToString();
    }

    private static string Edges(CodeGraph graph, string from) =>
        string.Join("\n", graph.OutgoingEdges(graph.Symbol(from).Id).Select(e => $"  -{e.Kind.ToWireName()}-> {graph[e.To].QualifiedName} {e.Weight}"));
}
