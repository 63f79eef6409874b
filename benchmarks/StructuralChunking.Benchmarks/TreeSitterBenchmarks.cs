using BenchmarkDotNet.Attributes;
using StructuralChunking.Discovery;
using StructuralChunking.TreeSitter;
using StructuralChunking.TreeSitter.Internal;

namespace StructuralChunking.Benchmarks;

/// <summary>
/// The tree-sitter front end on real code, one thread: bare parsing as the baseline against the whole load (discovery,
/// parse, tags query, extraction, name resolution, graph). Python: requests 2.28.1; JavaScript: commander 15.1.0.
/// MB/s = <see cref="SourceBytes"/> / mean time (printed once by the setup).
/// </summary>
[MemoryDiagnoser]
public class TreeSitterBenchmarks : IDisposable
{
    private string _root = "";
    private byte[][] _texts = [];
    private Grammar _grammar = null!;
    private SyntaxWorker _worker = null!;

    [Params("python", "javascript")]
    public string Language { get; set; } = "python";

    public long SourceBytes { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        _root = Language == "python" ? Corpora.Requests : Corpora.Commander;
        _texts = SourceDiscovery.Discover(_root, new SourceDiscoveryOptions { Languages = new HashSet<string> { Language } })
            .Files.Select(f => f.ReadUtf8Bytes()).ToArray();
        SourceBytes = _texts.Sum(t => (long)t.Length);
        _grammar = TreeSitterLanguages.Get(Language, out var error) ?? throw new InvalidOperationException(error);
        _worker = new SyntaxWorker(4096);
        Console.WriteLine($"// {Language}: {_texts.Length} files, {SourceBytes} bytes in {_root}");
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _worker?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Every file through the parser only.</summary>
    [Benchmark(Baseline = true)]
    public int ParseOnly()
    {
        var nodes = 0;
        foreach (var text in _texts)
        {
            _worker.Begin(Timeout.InfiniteTimeSpan, CancellationToken.None);
            using var tree = _worker.Parse(_grammar, text);
            nodes += tree is null ? 0 : 1;
        }

        return nodes;
    }

    /// <summary>The whole load on one thread: discovery, parse, tags query, extraction, resolution, graph.</summary>
    [Benchmark]
    public int FullGraph() => TreeSitterGraphLoader.LoadAsync(_root, new TreeSitterGraphOptions
    {
        Languages = new HashSet<string> { Language },
        MaxDegreeOfParallelism = 1,
    }).GetAwaiter().GetResult().Graph.Symbols.Length;
}
