using BenchmarkDotNet.Running;
using StructuralChunking.Benchmarks;

if (args is ["reference-vectors", var path])
{
    return EmbeddingReferenceVectors.Write(path);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
