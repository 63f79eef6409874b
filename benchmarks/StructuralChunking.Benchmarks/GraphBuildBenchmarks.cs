using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StructuralChunking.Discovery;
using StructuralChunking.Roslyn;

namespace StructuralChunking.Benchmarks;

/// <summary>
/// The C# front end on the newtonsoft-json 6.0.8 corpus (about 190 files, 50k lines): bare parsing as the baseline,
/// our ad-hoc parse, and the full graph through the ad-hoc path and through MSBuildWorkspace.
/// </summary>
[MemoryDiagnoser]
public class GraphBuildBenchmarks
{
    private string _root = "";
    private string[] _texts = [];

    [GlobalSetup]
    public void Setup()
    {
        _root = Corpora.NewtonsoftJson;
        _texts = SourceDiscovery.Discover(_root, new SourceDiscoveryOptions { Languages = new HashSet<string> { LanguageIds.CSharp } })
            .Files.Select(f => f.ReadText()).ToArray();
    }

    /// <summary>Every file through <c>CSharpSyntaxTree.ParseText</c>, sequentially: what parsing costs at minimum.</summary>
    [Benchmark(Baseline = true)]
    public int BareParseText()
    {
        var nodes = 0;
        foreach (var text in _texts)
        {
            nodes += CSharpSyntaxTree.ParseText(text).GetRoot().FullSpan.Length > 0 ? 1 : 0;
        }

        return nodes;
    }

    /// <summary>Discovery (ignore rules, binary and UTF-8 checks) plus parallel parsing, as the ad-hoc load does it.</summary>
    [Benchmark]
    public int ParseOnly() => CSharpGraphLoader.ParseFolder(_root, new CSharpGraphOptions(), CancellationToken.None).Count;

    /// <summary>Parse, bind and extract the full graph of the folder without MSBuild.</summary>
    [Benchmark]
    public int FullGraphAdHoc() => CSharpGraphLoader.LoadAsync(_root).GetAwaiter().GetResult().Graph.Symbols.Length;

    /// <summary>The same through MSBuildWorkspace on the corpus's own project file.</summary>
    [Benchmark]
    public int FullGraphMSBuild() =>
        CSharpGraphLoader.LoadAsync(Path.Combine(_root, "Newtonsoft.Json.csproj")).GetAwaiter().GetResult().Graph.Symbols.Length;
}
