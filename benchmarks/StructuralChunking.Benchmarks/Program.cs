using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using StructuralChunking.Benchmarks;

if (args is ["reference-vectors", var path])
{
    return EmbeddingReferenceVectors.Write(path);
}

if (args is ["upgrade-index", var from, var to])
{
    return SearchStartup.Upgrade(from, to);
}

if (args is ["search-warm", var warmIndex, var warmQuery, .. var warmRest])
{
    return await SearchStartup.WarmAsync(warmIndex, warmQuery, warmRest.Length > 0 ? int.Parse(warmRest[0], System.Globalization.CultureInfo.InvariantCulture) : 5);
}

if (args is ["index-memory", var indexPath])
{
    return IndexMemory.Report(indexPath);
}

if (args is ["context-eval", var indexFolder, var evalFolder])
{
    return await ContextPackMeasurements.EvaluateAsync(indexFolder, evalFolder);
}

if (args is ["context-latency", .. var rest])
{
    return await ContextPackMeasurements.LatencyAsync(rest.Length > 0 ? rest[0] : null);
}

if (args is ["chunking-timing", var chunkFolder, .. var chunkRest])
{
    // tiny-methods=0,5 chunks the same loaded graph with each value in turn.
    var tinyMethods = chunkRest.Where(a => a.StartsWith("tiny-methods=", StringComparison.Ordinal))
        .SelectMany(a => a["tiny-methods=".Length..].Split(','))
        .Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0);
    var chunkOptions = tinyMethods.Select(n => new StructuralChunking.Chunking.ChunkingOptions { TinyMethodMaxLines = n }).ToList();
    chunkRest = chunkRest.Where(a => !a.Contains('=', StringComparison.Ordinal)).ToArray();
    return await ChunkingStageTiming.RunAsync(chunkFolder, chunkRest.Length > 0 ? int.Parse(chunkRest[0], System.Globalization.CultureInfo.InvariantCulture) : 3, chunkOptions);
}

if (args is ["embedding-batches", var chunksJson, var batchModel, var batchCount, var batchRounds, var batchSizes])
{
    // embedding-batches CHUNKS.json minilm-int8 3000 3 2048,512: the same texts with each MaxBatchTokens in turn.
    return EmbeddingBatchSizes.Run(chunksJson, batchModel, int.Parse(batchCount, System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(batchRounds, System.Globalization.CultureInfo.InvariantCulture),
        batchSizes.Split(',').Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToList());
}

if (args is ["graph-ranking-timing"])
{
    return GraphRankingBenchmarks.Time();
}

// BenchmarkDotNet builds a separate project per run; its default 120 s build timeout is too short on two cores, where
// restoring and building this project's dependency graph takes longer. --buildTimeout on the command line still wins.
var config = ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(15));
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
