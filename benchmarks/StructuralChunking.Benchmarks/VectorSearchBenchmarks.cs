using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using StructuralChunking.Search;

namespace StructuralChunking.Benchmarks;

/// <summary>
/// Exact top-10 search over N × 384 normalised vectors (the MiniLM dimension): a plain scalar loop (baseline), a pure
/// memory read of the same data (what the machine's bandwidth allows), USearch's native exact search on all cores, the
/// float32 flat index and the int8 index with exact re-scoring. GB/s = N × 384 × 4 bytes / time.
/// </summary>
/// <remarks>
/// Setup checks that USearch and the flat index return the same ten rows, so the comparison is between equal answers.
/// Run: <c>dotnet run -c Release --project benchmarks/StructuralChunking.Benchmarks -- --filter '*VectorSearch*'</c>.
/// </remarks>
[MemoryDiagnoser]
public class VectorSearchBenchmarks
{
    private const int Dimensions = 384;

    private FlatVectorIndex _float32 = null!;
    private FlatVectorIndex _int8 = null!;
    private float[] _query = [];
    private readonly ulong[] _keys = new ulong[10];
    private readonly float[] _distances = new float[10];

    [Params(100_000, 1_000_000)]
    public int Vectors { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var vector = new float[Dimensions];
        _float32 = new FlatVectorIndex(Dimensions, Vectors);
        _int8 = new FlatVectorIndex(Dimensions, Vectors);
        for (var i = 0; i < Vectors; i++)
        {
            for (var d = 0; d < Dimensions; d++)
            {
                vector[d] = (float)((random.NextDouble() * 2) - 1);
            }

            _float32.Add(vector);
            _int8.Add(vector);
        }

        _int8.EnableQuantization();
        _query = Enumerable.Range(0, Dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var norm = TensorPrimitives.Norm(_query);
        TensorPrimitives.Divide(_query, norm, _query);

        USearchExactFloat32();
        var ours = _float32.Search(_query, 10).Select(r => (ulong)r.Ordinal).Order();
        if (!ours.SequenceEqual(_keys.Order()))
        {
            throw new InvalidOperationException($"USearch found [{string.Join(", ", _keys)}], the flat index [{string.Join(", ", ours)}].");
        }
    }

    /// <summary>Scalar dot products and a linear best-10 list: what a first implementation would do.</summary>
    [Benchmark(Baseline = true)]
    public int PlainLoop()
    {
        var data = _float32.Data;
        Span<float> best = stackalloc float[10];
        best.Fill(float.NegativeInfinity);
        var bestIndex = -1;
        for (var i = 0; i < Vectors; i++)
        {
            var offset = i * Dimensions;
            var sum = 0f;
            for (var d = 0; d < Dimensions; d++)
            {
                sum += data[offset + d] * _query[d];
            }

            if (sum > best[9])
            {
                var j = 9;
                while (j > 0 && best[j - 1] < sum)
                {
                    best[j] = best[j - 1];
                    j--;
                }

                best[j] = sum;
                bestIndex = i;
            }
        }

        return bestIndex;
    }

    /// <summary>
    /// One pass reading every float on all cores, split the way the index splits its scan: the memory-bandwidth ceiling
    /// for a float32 scan on this machine.
    /// </summary>
    [Benchmark]
    public float MemoryRead()
    {
        var length = Vectors * Dimensions;
        var partitions = length >= FlatVectorIndex.ParallelThresholdFloats ? Environment.ProcessorCount : 1;
        var sums = new float[partitions];
        var size = (length + partitions - 1) / partitions;
        Parallel.For(0, partitions, p =>
        {
            var from = p * size;
            sums[p] = TensorPrimitives.Sum(_float32.Data.Slice(from, Math.Min(size, length - from)));
        });

        return sums.Sum();
    }

    /// <summary>USearch's brute-force search over the same float32 block, inner product, on all cores.</summary>
    [Benchmark]
    public ulong USearchExactFloat32()
    {
        USearchExact.Search(_float32.Data, Dimensions, _query, _keys, _distances, Environment.ProcessorCount);
        return _keys[0];
    }

    [Benchmark]
    public int FlatFloat32() => _float32.Search(_query, 10)[0].Ordinal;

    [Benchmark]
    public int FlatInt8Rescored() => _int8.Search(_query, 10)[0].Ordinal;
}
