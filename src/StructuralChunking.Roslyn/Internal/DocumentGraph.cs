using StructuralChunking.Graph;

namespace StructuralChunking.Roslyn.Internal;

/// <summary>What one document contributes to the graph; collected in parallel, merged in document order.</summary>
internal sealed class DocumentGraph
{
    public List<CodeSymbol> Symbols { get; } = [];

    public List<CodeEdge> Edges { get; } = [];

    public int SyntaxErrorCount { get; set; }

    public int ByteLength { get; set; }
}
