// README: low level
using StructuralChunking.Chunking;
using StructuralChunking.Identifiers;
using StructuralChunking.TreeSitter;

internal static class LowLevel
{
    public static async Task RunAsync(string folder)
    {
        Console.WriteLine(IdentifierSplitter.SplitToText("useAdminJwtValidationMiddleware"));

        var graph = (await TreeSitterGraphLoader.LoadAsync(folder)).Graph;
        var files = graph.Symbols.Where(s => s.Path is not null).Select(s => new ChunkSourceFile(s.Path!, s.Language)).Distinct().ToList();
        foreach (var chunk in new StructuralChunker().Chunk(graph, SourceTexts.FromDirectory(folder), files))
        {
            Console.WriteLine($"chunk {chunk.Path}:{chunk.StartLine}-{chunk.EndLine} {chunk.SymbolName}");
        }
    }
}
// README: end
