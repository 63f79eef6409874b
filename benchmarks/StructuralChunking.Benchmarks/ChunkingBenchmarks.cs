using BenchmarkDotNet.Attributes;
using StructuralChunking.Chunking;
using StructuralChunking.Graph;
using StructuralChunking.Roslyn;

namespace StructuralChunking.Benchmarks;

/// <summary>Chunking throughput given a ready graph and loaded texts, on the newtonsoft-json corpus.</summary>
[MemoryDiagnoser]
public class ChunkingBenchmarks
{
    private CodeGraph _graph = CodeGraph.Empty;
    private SourceTexts _sources = null!;
    private List<ChunkSourceFile> _files = [];

    [GlobalSetup]
    public void Setup()
    {
        var result = CSharpGraphLoader.LoadAsync(Corpora.NewtonsoftJson).GetAwaiter().GetResult();
        _graph = result.Graph;
        _sources = SourceTexts.FromDirectory(result.RootDirectory);
        _files = _graph.Symbols.Where(s => s.Path is not null).Select(s => s.Path!).Distinct().Order(StringComparer.Ordinal)
            .Select(p => new ChunkSourceFile(p, "csharp")).ToList();
        foreach (var file in _files)
        {
            _ = _sources.Get(file.Path);
        }

        var chunks = new StructuralChunker().Chunk(_graph, _sources, _files);
        var bytes = _files.Sum(f => (long)_sources.Get(f.Path)!.Offsets.ByteLength);
        Console.WriteLine($"// corpus: {_files.Count} files, {bytes / 1024.0 / 1024.0:F2} MB, {_graph.Symbols.Length} symbols, {chunks.Count} structural chunks");
    }

    [Benchmark(Baseline = true)]
    public int LineWindows() => new LineWindowChunker().Chunk(_graph, _sources, _files).Count;

    [Benchmark]
    public int Structural() => new StructuralChunker().Chunk(_graph, _sources, _files).Count;

    [Benchmark]
    public int StructuralWithoutGraphContext() => new StructuralChunker(new ChunkingOptions { IncludeGraphContext = false }).Chunk(_graph, _sources, _files).Count;
}
