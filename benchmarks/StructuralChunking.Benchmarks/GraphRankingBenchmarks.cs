using BenchmarkDotNet.Attributes;
using StructuralChunking.Chunking;
using StructuralChunking.Embeddings;
using StructuralChunking.Graph;
using StructuralChunking.Indexing;
using StructuralChunking.Search;

namespace StructuralChunking.Benchmarks;

/// <summary>
/// Hybrid search on a synthetic 20,000-chunk index with a dense graph, with and without graph ranking: the difference
/// is what passing score through the graph costs per query (the target is under 10 ms).
/// </summary>
/// <remarks>
/// Every fifth definition is a property read by the eight methods after it, every tenth method forwards to the next,
/// and every method has 20 lines, so every relation passes and every seed in the candidate pool has readers.
/// </remarks>
[MemoryDiagnoser]
public class GraphRankingBenchmarks
{
    private const int ChunkCount = 20_000;
    private static readonly string[] Words = ["token", "session", "retry", "cache", "loop", "reference", "handling", "writer", "reader", "schema", "contract", "resolver", "encoding", "header", "proxy", "timeout"];

    private CodeIndex _index = null!;
    private float[] _query = null!;

    [GlobalSetup]
    public void Setup()
    {
        var hashing = new HashingEmbeddingGenerator();
        var builder = new CodeGraphBuilder();
        var chunks = new List<CodeChunk>(ChunkCount);
        var symbols = new CodeSymbol[ChunkCount];
        for (var i = 0; i < ChunkCount; i++)
        {
            var kind = i % 5 == 0 ? SymbolKind.Property : SymbolKind.Method;
            var name = $"Type{i / 50}.Member{i}{Words[i % Words.Length]}";
            var path = $"src/File{i / 50}.cs";
            var start = (i % 50 * 25) + 1;
            var end = kind == SymbolKind.Property ? start : start + 19;
            var symbol = new CodeSymbol
            {
                Id = SymbolId.Create("csharp", name),
                Name = name[(name.LastIndexOf('.') + 1)..],
                QualifiedName = name,
                Kind = kind,
                Language = "csharp",
                Location = new SourceLocation(path, start, end, start * 80, end * 80),
            };
            symbols[i] = symbol;
            builder.AddSymbol(symbol);
            var text = $"{kind.ToWireName()} {string.Join(' ', Enumerable.Range(0, 6).Select(k => Words[(i * 7 + k * 3) % Words.Length]))}";
            chunks.Add(new CodeChunk
            {
                Id = symbol.Id + "#0",
                SymbolId = symbol.Id,
                SymbolName = name,
                SymbolKind = kind,
                Language = "csharp",
                Location = symbol.Location!.Value,
                EmbeddingText = text,
                LexicalText = ChunkText.Lexical(text, split: true),
                DisplayText = text,
                ContentHash = ContentHash.Of(text + i),
            });
        }

        for (var i = 0; i < ChunkCount; i++)
        {
            if (symbols[i].Kind == SymbolKind.Property)
            {
                for (var reader = i + 1; reader <= i + 8 && reader < ChunkCount; reader++)
                {
                    builder.AddEdge(symbols[reader].Id, symbols[i].Id, EdgeKind.Calls);
                }
            }
        }

        _index = CodeIndexBuilder.BuildAsync(chunks, builder.Build(), hashing, hashing.Profile, "synthetic").GetAwaiter().GetResult();
        _query = hashing.GenerateAsync(["how is the reference loop handling applied by the writer"]).GetAwaiter().GetResult()[0].Vector.ToArray();
    }

    /// <summary>
    /// A quick check without BenchmarkDotNet's separate build: mean time per query over 500 queries each way, after a
    /// warm-up (<c>dotnet run -c Release --project benchmarks/StructuralChunking.Benchmarks -- graph-ranking-timing</c>).
    /// </summary>
    public static int Time()
    {
        var benchmark = new GraphRankingBenchmarks();
        benchmark.Setup();
        Console.WriteLine($"index: {benchmark._index.Chunks.Length} chunks, {benchmark._index.Relations.Count} relations");
        foreach (var (name, run) in new (string, Func<int>)[] { ("without graph", benchmark.HybridWithoutGraph), ("with graph", benchmark.HybridWithGraph), ("without graph", benchmark.HybridWithoutGraph), ("with graph", benchmark.HybridWithGraph) })
        {
            for (var i = 0; i < 50; i++)
            {
                run();
            }

            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < 500; i++)
            {
                run();
            }

            Console.WriteLine($"hybrid search {name}: {stopwatch.Elapsed.TotalMilliseconds / 500:F3} ms per query");
        }

        return 0;
    }

    [Benchmark(Baseline = true)]
    public int HybridWithoutGraph() => _index.Search("how is the reference loop handling applied by the writer", _query, new SearchOptions { GraphWeight = 0 }).Count;

    [Benchmark]
    public int HybridWithGraph() => _index.Search("how is the reference loop handling applied by the writer", _query, new SearchOptions()).Count;
}
