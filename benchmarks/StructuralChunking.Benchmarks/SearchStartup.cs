using System.Diagnostics;
using System.Globalization;
using StructuralChunking.Indexing;
using StructuralChunking.Onnx;
using StructuralChunking.Search;

namespace StructuralChunking.Benchmarks;

/// <summary>
/// The warm side of a search's start-up (benchmarks/search-startup/run.sh measures the cold side): in one process,
/// the index loaded and the model created again after a first time, and the same query answered again.
/// </summary>
internal static class SearchStartup
{
    /// <summary><c>upgrade-index IN OUT</c>: reads an index of any readable version and writes it in the current format, unchanged.</summary>
    public static int Upgrade(string from, string to)
    {
        CodeIndex.Load(from).Save(to);
        return 0;
    }

    /// <summary><c>search-warm INDEX QUERY [ROUNDS]</c>: median milliseconds of a second and later load, model creation and query.</summary>
    public static async Task<int> WarmAsync(string indexPath, string query, int rounds)
    {
        var loads = new List<double>();
        var models = new List<double>();
        var queries = new List<double>();
        var cache = OnnxEmbeddingOptions.DefaultOptimizedModelCacheDirectory;
        for (var round = 0; round <= rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            var index = CodeIndex.Load(indexPath);
            var load = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            using var model = OnnxEmbeddingModels.Create(index.Metadata.ModelId, OnnxEmbeddingModels.GetOptions(index.Metadata.ModelId) with { OptimizedModelCacheDirectory = cache });
            var create = clock.Elapsed.TotalMilliseconds;
            var options = new SearchOptions { CandidatePool = 100 };
            for (var i = 0; i < 3; i++)
            {
                clock.Restart();
                var results = await index.SearchAsync(query, model, options);
                _ = results.Count > 0 ? results[0].Chunk.DisplayText : null;
                if (round > 0)
                {
                    queries.Add(clock.Elapsed.TotalMilliseconds);
                }
            }

            // Round 0 is the cold one; the rest measure a process that has loaded once already.
            if (round > 0)
            {
                loads.Add(load);
                models.Add(create);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"warm, median of {rounds}: load {Median(loads):F0} ms, model {Median(models):F0} ms, query {Median(queries):F1} ms; resident {Process.GetCurrentProcess().WorkingSet64 / (1024 * 1024)} MB"));
        return 0;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count == 0 ? double.NaN : values[values.Count / 2];
    }
}
