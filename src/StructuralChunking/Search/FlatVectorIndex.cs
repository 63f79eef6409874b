using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace StructuralChunking.Search;

/// <summary>
/// Exact nearest-neighbour search over L2-normalised vectors in one contiguous block, scored by dot product (= cosine):
/// an FMA kernel four rows per pass where AVX2 is there, <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>
/// elsewhere.
/// </summary>
/// <remarks>
/// <para>Vectors are normalised on insert, so a score is the cosine similarity in [-1, 1]. Optionally an int8 copy
/// (one scale per vector) is scanned first and the best candidates are re-scored exactly in float32, which reads a
/// quarter of the memory per vector.</para>
/// <para>Scans run on one thread for small indexes and split across all cores above
/// <see cref="ParallelThresholdFloats"/> floats, where the per-thread work outweighs the scheduling.</para>
/// <para>Reads are thread-safe; <see cref="Add(ReadOnlySpan{float})"/> is not safe concurrently with anything else.</para>
/// </remarks>
public sealed class FlatVectorIndex
{
    /// <summary>Number of stored floats above which a scan uses all cores.</summary>
    public const int ParallelThresholdFloats = 2_000_000;

    /// <summary>How many candidates per requested result an int8 scan keeps for exact re-scoring.</summary>
    public const int RescoreFactor = 4;

    // How far ahead the float32 scan prefetches, in rows, and the cache line it steps by.
    private const int PrefetchRows = 8;
    private const int CacheLineBytes = 64;

    private float[] _vectors;
    private sbyte[]? _quantized;
    private float[]? _scales;

    /// <summary>Creates an empty index of vectors of <paramref name="dimensions"/> floats.</summary>
    public FlatVectorIndex(int dimensions, int capacity = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Dimensions = dimensions;
        _vectors = new float[checked(dimensions * Math.Max(capacity, 1))];
    }

    /// <summary>
    /// Adopts <paramref name="vectors"/> (<paramref name="count"/> normalised vectors, contiguous, read back from an index
    /// file) without copying; the caller has checked that every value is finite.
    /// </summary>
    internal FlatVectorIndex(int dimensions, float[] vectors, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(vectors.Length, checked(dimensions * Math.Max(count, 1)), nameof(vectors));
        Dimensions = dimensions;
        _vectors = vectors;
        Count = count;
    }

    /// <summary>Length of every vector.</summary>
    public int Dimensions { get; }

    /// <summary>Number of vectors.</summary>
    public int Count { get; private set; }

    /// <summary>True when an int8 copy is kept and used for scanning.</summary>
    public bool IsQuantized => _quantized is not null;

    /// <summary>The stored (normalised) vector at <paramref name="ordinal"/>.</summary>
    public ReadOnlySpan<float> this[int ordinal]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)ordinal, (uint)Count, nameof(ordinal));
            return _vectors.AsSpan(ordinal * Dimensions, Dimensions);
        }
    }

    /// <summary>All stored vectors, contiguous, <see cref="Count"/> × <see cref="Dimensions"/>.</summary>
    public ReadOnlySpan<float> Data => _vectors.AsSpan(0, Count * Dimensions);

    /// <summary>Appends <paramref name="vector"/> (normalised on the way in) and returns its ordinal.</summary>
    /// <exception cref="ArgumentException">Wrong length, or a non-finite value.</exception>
    public int Add(ReadOnlySpan<float> vector) => Add(vector, normalize: true);

    /// <summary>Appends a vector that is already normalised (read back from an index file), keeping its exact bits.</summary>
    internal int AddNormalized(ReadOnlySpan<float> vector) => Add(vector, normalize: false);

    private int Add(ReadOnlySpan<float> vector, bool normalize)
    {
        if (vector.Length != Dimensions)
        {
            throw new ArgumentException($"Expected a vector of {Dimensions} floats, got {vector.Length}.", nameof(vector));
        }

        var needed = (Count + 1) * Dimensions;
        if (needed > _vectors.Length)
        {
            Array.Resize(ref _vectors, (int)Math.Min(Array.MaxLength, Math.Max((long)needed, (long)_vectors.Length * 2)));
        }

        var target = _vectors.AsSpan(Count * Dimensions, Dimensions);
        vector.CopyTo(target);
        if (!float.IsFinite(TensorPrimitives.Sum(target)))
        {
            throw new ArgumentException("The vector contains NaN or infinity.", nameof(vector));
        }

        if (normalize)
        {
            Normalize(target);
        }

        var ordinal = Count++;
        if (_quantized is not null)
        {
            QuantizeInto(ordinal);
        }

        return ordinal;
    }

    /// <summary>Keeps an int8 copy of every vector (now and on later adds) and scans it first.</summary>
    public void EnableQuantization()
    {
        _quantized = new sbyte[_vectors.Length];
        _scales = new float[Math.Max(1, _vectors.Length / Dimensions)];
        for (var i = 0; i < Count; i++)
        {
            QuantizeInto(i);
        }
    }

    /// <summary>
    /// The <paramref name="k"/> vectors most similar to <paramref name="query"/> with score ≥ <paramref name="minScore"/>,
    /// best first, ties broken by lower ordinal.
    /// </summary>
    /// <param name="query">Query vector (normalised here; the caller's span is not changed).</param>
    /// <param name="k">How many results at most.</param>
    /// <param name="minScore">Results scoring below this are not returned; returning nothing is a valid answer.</param>
    /// <param name="filter">Optional: only ordinals for which it returns true are considered.</param>
    public List<ScoredItem> Search(ReadOnlySpan<float> query, int k, float minScore = float.NegativeInfinity, Func<int, bool>? filter = null)
    {
        if (query.Length != Dimensions)
        {
            throw new ArgumentException($"Expected a query of {Dimensions} floats, got {query.Length}.", nameof(query));
        }

        if (k <= 0 || Count == 0)
        {
            return [];
        }

        var normalized = query.ToArray();
        Normalize(normalized);
        if (_quantized is null)
        {
            return Scan(normalized, k, minScore, filter, ScanFloat).ToSortedList();
        }

        // int8 first, generously: quantisation error may reorder near-ties, which exact re-scoring settles.
        var candidates = Scan(normalized, k * RescoreFactor, float.NegativeInfinity, filter, ScanInt8(Quantize(normalized, out var queryScale), queryScale)).ToSortedList();
        var exact = new TopK(k);
        foreach (var candidate in candidates)
        {
            var score = TensorPrimitives.Dot(normalized, this[candidate.Ordinal]);
            if (score >= minScore)
            {
                exact.Add(candidate.Ordinal, score);
            }
        }

        return exact.ToSortedList();
    }

    private delegate void RangeScanner(float[] query, int from, int to, float minScore, Func<int, bool>? filter, TopK top);

    private TopK Scan(float[] query, int k, float minScore, Func<int, bool>? filter, RangeScanner scanner)
    {
        var capacity = Math.Min(k, Count);
        if ((long)Count * Dimensions < ParallelThresholdFloats || Environment.ProcessorCount == 1)
        {
            var top = new TopK(capacity);
            scanner(query, 0, Count, minScore, filter, top);
            return top;
        }

        var partitions = Environment.ProcessorCount;
        var partials = new TopK[partitions];
        var size = (Count + partitions - 1) / partitions;
        Parallel.For(0, partitions, p =>
        {
            var local = new TopK(capacity);
            scanner(query, p * size, Math.Min(Count, (p + 1) * size), minScore, filter, local);
            partials[p] = local;
        });

        var merged = new TopK(capacity);
        foreach (var partial in partials)
        {
            merged.AddRange(partial);
        }

        return merged;
    }

    private unsafe void ScanFloat(float[] query, int from, int to, float minScore, Func<int, bool>? filter, TopK top)
    {
        var data = _vectors;
        var dimensions = Dimensions;
        var i = from;
        if (filter is null && Fma.IsSupported && dimensions % Vector256<float>.Count == 0)
        {
            // Four rows per pass: each query block is loaded once for four rows and four independent FMA chains keep the
            // core busy while the next rows stream in. The rows PrefetchRows ahead are requested now, so their cache lines
            // are in flight while these are multiplied: the hardware prefetcher alone left a third of the bandwidth unused.
            Span<float> scores = stackalloc float[4];
            var blockBytes = 4 * dimensions * sizeof(float);
            fixed (float* pinned = data)
            fixed (float* pinnedQuery = query)
            {
                for (; i <= to - 4; i += 4)
                {
                    // Past the end of the array this is a hint about a harmless address: prefetches never fault.
                    var ahead = (byte*)(pinned + ((long)(i + PrefetchRows) * dimensions));
                    for (var line = 0; line < blockBytes; line += CacheLineBytes)
                    {
                        Sse.Prefetch0(ahead + line);
                    }

                    DotFour(pinnedQuery, pinned + ((long)i * dimensions), dimensions, scores);
                    for (var r = 0; r < 4; r++)
                    {
                        if (scores[r] >= minScore && scores[r] >= top.Threshold)
                        {
                            top.Add(i + r, scores[r]);
                        }
                    }
                }
            }
        }

        for (; i < to; i++)
        {
            if (filter is not null && !filter(i))
            {
                continue;
            }

            var score = TensorPrimitives.Dot(query, new ReadOnlySpan<float>(data, i * dimensions, dimensions));
            if (score >= minScore && score >= top.Threshold)
            {
                top.Add(i, score);
            }
        }
    }

    // Dot products of the query with four consecutive rows; dimensions is a multiple of 8. Pointers rather than spans:
    // the caller has pinned both blocks and checked the range, and bounds checks here cost measurable bandwidth.
    private static unsafe void DotFour(float* query, float* rows, int dimensions, Span<float> scores)
    {
        var r1 = rows + dimensions;
        var r2 = r1 + dimensions;
        var r3 = r2 + dimensions;
        var a0 = Vector256<float>.Zero;
        var a1 = Vector256<float>.Zero;
        var a2 = Vector256<float>.Zero;
        var a3 = Vector256<float>.Zero;
        for (var d = 0; d < dimensions; d += Vector256<float>.Count)
        {
            var block = Avx.LoadVector256(query + d);
            a0 = Fma.MultiplyAdd(Avx.LoadVector256(rows + d), block, a0);
            a1 = Fma.MultiplyAdd(Avx.LoadVector256(r1 + d), block, a1);
            a2 = Fma.MultiplyAdd(Avx.LoadVector256(r2 + d), block, a2);
            a3 = Fma.MultiplyAdd(Avx.LoadVector256(r3 + d), block, a3);
        }

        scores[0] = Vector256.Sum(a0);
        scores[1] = Vector256.Sum(a1);
        scores[2] = Vector256.Sum(a2);
        scores[3] = Vector256.Sum(a3);
    }

    private RangeScanner ScanInt8(sbyte[] query, float queryScale)
    {
        // Widened once per search, so the per-row kernel only sign-extends the row.
        var wideQuery = new short[query.Length];
        for (var d = 0; d < query.Length; d++)
        {
            wideQuery[d] = query[d];
        }

        return (_, from, to, _, filter, top) =>
        {
            var data = _quantized!;
            var scales = _scales!;
            var dimensions = Dimensions;
            for (var i = from; i < to; i++)
            {
                if (filter is not null && !filter(i))
                {
                    continue;
                }

                var score = DotInt8(wideQuery, new ReadOnlySpan<sbyte>(data, i * dimensions, dimensions)) * scales[i] * queryScale;
                if (score >= top.Threshold)
                {
                    top.Add(i, score);
                }
            }
        };
    }

    /// <summary>
    /// Integer dot product of a query already widened to 16 bits with an int8 row. With AVX2: sign-extend 16 row values,
    /// multiply with the query and add adjacent pairs into 32 bits in one instruction (<c>vpmaddwd</c>), two accumulators
    /// deep. Exact: a pair sum is at most 2 × 127², far from overflow.
    /// </summary>
    internal static int DotInt8(ReadOnlySpan<short> query, ReadOnlySpan<sbyte> row)
    {
        if (query.Length != row.Length)
        {
            throw new ArgumentException("The query and the row must have the same length.", nameof(row));
        }

        var i = 0;
        var sum = 0;
        if (Avx2.IsSupported && row.Length >= 32)
        {
            ref var q = ref MemoryMarshal.GetReference(query);
            ref var r = ref MemoryMarshal.GetReference(row);
            var first = Vector256<int>.Zero;
            var second = Vector256<int>.Zero;
            for (; i <= row.Length - 32; i += 32)
            {
                var rowLow = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref r, (nuint)i));
                var rowHigh = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref r, (nuint)(i + 16)));
                first = Avx2.Add(first, Avx2.MultiplyAddAdjacent(rowLow, Vector256.LoadUnsafe(ref q, (nuint)i)));
                second = Avx2.Add(second, Avx2.MultiplyAddAdjacent(rowHigh, Vector256.LoadUnsafe(ref q, (nuint)(i + 16))));
            }

            sum = Vector256.Sum(Avx2.Add(first, second));
        }
        else if (Vector256.IsHardwareAccelerated && row.Length >= Vector256<short>.Count)
        {
            var accumulator = Vector256<int>.Zero;
            for (; i <= row.Length - Vector256<short>.Count; i += Vector256<short>.Count)
            {
                var wideRow = Vector256.WidenLower(Vector256.Create(Vector128.Create(row.Slice(i, Vector128<sbyte>.Count)), Vector128<sbyte>.Zero));
                var (low, high) = Vector256.Widen(wideRow * Vector256.Create(query.Slice(i, Vector256<short>.Count)));
                accumulator += low + high;
            }

            sum = Vector256.Sum(accumulator);
        }

        for (; i < row.Length; i++)
        {
            sum += query[i] * row[i];
        }

        return sum;
    }

    private void QuantizeInto(int ordinal)
    {
        if (_quantized!.Length < _vectors.Length)
        {
            Array.Resize(ref _quantized, _vectors.Length);
        }

        if (_scales!.Length <= ordinal)
        {
            Array.Resize(ref _scales, Math.Max(ordinal + 1, _scales.Length * 2));
        }

        var source = _vectors.AsSpan(ordinal * Dimensions, Dimensions);
        var target = _quantized.AsSpan(ordinal * Dimensions, Dimensions);
        _scales[ordinal] = QuantizeSpan(source, target);
    }

    private static sbyte[] Quantize(ReadOnlySpan<float> vector, out float scale)
    {
        var result = new sbyte[vector.Length];
        scale = QuantizeSpan(vector, result);
        return result;
    }

    private static float QuantizeSpan(ReadOnlySpan<float> source, Span<sbyte> target)
    {
        var max = TensorPrimitives.MaxMagnitude(source);
        if (max == 0f)
        {
            target.Clear();
            return 0f;
        }

        var scale = Math.Abs(max) / 127f;
        for (var i = 0; i < source.Length; i++)
        {
            target[i] = (sbyte)Math.Clamp((int)MathF.Round(source[i] / scale), -127, 127);
        }

        return scale;
    }

    private static void Normalize(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0f)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
    }
}
