using BenchmarkDotNet.Running;
using StructuralChunking.Benchmarks;

if (args is ["reference-vectors", var path])
{
    return EmbeddingReferenceVectors.Write(path);
}

if (args is ["index-memory", var indexPath])
{
    return IndexMemory.Report(indexPath);
}

if (args is ["graph-ranking-timing"])
{
    return GraphRankingBenchmarks.Time();
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
