using System.Runtime.InteropServices;

namespace StructuralChunking.Benchmarks;

/// <summary>
/// USearch's brute-force (exact) k-nearest search, called through its C library: the Cloud.Unum.USearch package ships
/// <c>usearch_exact_search</c> in <c>libusearch_c</c> but its C# class only exposes the HNSW index.
/// </summary>
internal static partial class USearchExact
{
    // usearch_scalar_kind_t and usearch_metric_kind_t values, as the package's own ScalarKind and MetricKind enums.
    private const int Float32 = (int)Cloud.Unum.USearch.ScalarKind.Float32;
    private const int InnerProduct = (int)Cloud.Unum.USearch.MetricKind.Ip;

    /// <summary>The best <paramref name="keys"/>.Length rows of <paramref name="dataset"/> for one query, by inner product.</summary>
    public static unsafe void Search(ReadOnlySpan<float> dataset, int dimensions, ReadOnlySpan<float> query, Span<ulong> keys, Span<float> distances, int threads)
    {
        var rowBytes = (nuint)(dimensions * sizeof(float));
        nint error = 0;
        fixed (float* data = dataset)
        fixed (float* q = query)
        fixed (ulong* k = keys)
        fixed (float* d = distances)
        {
            ExactSearch(
                data, (nuint)(dataset.Length / dimensions), rowBytes,
                q, 1, rowBytes,
                Float32, (nuint)dimensions,
                InnerProduct, (nuint)keys.Length, (nuint)threads,
                k, (nuint)(keys.Length * sizeof(ulong)),
                d, (nuint)(distances.Length * sizeof(float)),
                &error);
        }

        if (error != 0)
        {
            throw new InvalidOperationException("usearch_exact_search: " + Marshal.PtrToStringUTF8(error));
        }
    }

    [LibraryImport("usearch_c", EntryPoint = "usearch_exact_search")]
    private static unsafe partial void ExactSearch(
        float* dataset, nuint datasetCount, nuint datasetStride,
        float* queries, nuint queriesCount, nuint queriesStride,
        int scalarKind, nuint dimensions,
        int metricKind, nuint count, nuint threads,
        ulong* keys, nuint keysStride,
        float* distances, nuint distancesStride,
        nint* error);
}
