using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace StructuralChunking.Search;

/// <summary>
/// Exact nearest-neighbour search over L2-normalised vectors in one contiguous block, scored by dot product (= cosine)
/// with <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>.
/// </summary>
/// <remarks>
/// <para>Vectors are normalised on insert, so a score is the cosine similarity in [-1, 1]. Optionally an int8 copy
/// (one scale per vector) is scanned first and the best candidates are re-scored exactly in float32, which reads a
/// quarter of the memory per vector.</para>
/// <para>Scans run on one thread for small indexes and split across all cores above
/// <see cref="ParallelThresholdFloats"/> floats, where the per-thread work outweighs the scheduling.</para>
/// <para>Reads are thread-safe; <see cref="Add"/> is not safe concurrently with anything else.</para>
/// </remarks>
public sealed class FlatVectorIndex
{
    /// <summary>Number of stored floats above which a scan uses all cores.</summary>
    public const int ParallelThresholdFloats = 2_000_000;

    /// <summary>How many candidates per requested result an int8 scan keeps for exact re-scoring.</summary>
    public const int RescoreFactor = 4;

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

    private void ScanFloat(float[] query, int from, int to, float minScore, Func<int, bool>? filter, TopK top)
    {
        var data = _vectors;
        var dimensions = Dimensions;
        for (var i = from; i < to; i++)
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

    private RangeScanner ScanInt8(sbyte[] query, float queryScale) => (_, from, to, _, filter, top) =>
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

            var score = DotInt8(query, new ReadOnlySpan<sbyte>(data, i * dimensions, dimensions)) * scales[i] * queryScale;
            if (score >= top.Threshold)
            {
                top.Add(i, score);
            }
        }
    };

    /// <summary>Integer dot product: widen to 16 bits, multiply, widen to 32 bits and accumulate (no overflow below 2^17 dims).</summary>
    internal static int DotInt8(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        var i = 0;
        var sum = 0;
        if (Vector256.IsHardwareAccelerated && a.Length >= Vector256<sbyte>.Count)
        {
            var accumulator = Vector256<int>.Zero;
            for (; i <= a.Length - Vector256<sbyte>.Count; i += Vector256<sbyte>.Count)
            {
                var (aLow, aHigh) = Vector256.Widen(Vector256.Create(a.Slice(i, Vector256<sbyte>.Count)));
                var (bLow, bHigh) = Vector256.Widen(Vector256.Create(b.Slice(i, Vector256<sbyte>.Count)));
                accumulator += WidenedProduct(aLow * bLow) + WidenedProduct(aHigh * bHigh);
            }

            sum = Vector256.Sum(accumulator);
        }

        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static Vector256<int> WidenedProduct(Vector256<short> product)
    {
        var (low, high) = Vector256.Widen(product);
        return low + high;
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
