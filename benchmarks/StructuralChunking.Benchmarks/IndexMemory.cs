using System.Globalization;
using StructuralChunking.Indexing;

namespace StructuralChunking.Benchmarks;

/// <summary>
/// What an index costs: bytes on disk and managed bytes it keeps alive once loaded, per chunk. Not a timing, so not a
/// BenchmarkDotNet benchmark. Run:
/// <c>dotnet run -c Release --project benchmarks/StructuralChunking.Benchmarks -- index-memory PATH/.structchunk/index.scidx</c>.
/// </summary>
internal static class IndexMemory
{
    public static int Report(string path)
    {
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"no index at {path}; build one with 'structchunk index'.");
            return 1;
        }

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var index = CodeIndex.Load(path);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var chunks = Math.Max(1, index.Chunks.Length);
        var retained = after - before;
        var vectors = (long)index.Vectors.Count * index.Vectors.Dimensions * sizeof(float);
        long textChars = 0;
        foreach (var chunk in index.Chunks)
        {
            textChars += chunk.EmbeddingText.Length + chunk.LexicalText.Length + chunk.DisplayText.Length;
        }

        var disk = new FileInfo(path).Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            {index.Chunks.Length} chunks, model {index.Metadata.ModelId} ({index.Vectors.Dimensions} dimensions)
            on disk:            {disk,12:N0} bytes  {disk / chunks,7:N0} per chunk
            resident (managed): {retained,12:N0} bytes  {retained / chunks,7:N0} per chunk
              vectors (float32):{vectors,12:N0} bytes  {vectors / chunks,7:N0} per chunk
              three texts:      {textChars * 2,12:N0} bytes  {textChars * 2 / chunks,7:N0} per chunk (UTF-16)
              the rest:         {retained - vectors - (textChars * 2),12:N0} bytes  {(retained - vectors - (textChars * 2)) / chunks,7:N0} per chunk (BM25 postings, chunk records, ids)
            """));
        GC.KeepAlive(index);
        return 0;
    }
}
