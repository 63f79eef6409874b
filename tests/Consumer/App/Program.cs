// The README's example, compiled and run against the packed packages by tests/Consumer/run.sh.
// README: entry point
using StructuralChunking;
using StructuralChunking.Models;
using StructuralChunking.Roslyn;
using StructuralChunking.TreeSitter;

using var model = MiniLMModel.Create();
var engine = new CodeSearchEngine(new CodeSearchEngineOptions
{
    Embedder = model,
    FrontEnds = { new CSharpFrontEnd(), new TreeSitterFrontEnd() },
});

var indexed = await engine.IndexAsync(args[0]);
foreach (var hit in await engine.SearchAsync(indexed.Index, args[1]))
{
    Console.WriteLine($"{hit.Rank}. {hit.Path}:{hit.StartLine} {hit.Symbol}");
}
// README: end

await LowLevel.RunAsync(args[0]);
if (args.Length > 2 && args[2] == "--trust-build")
{
    // Opening a solution through MSBuild needs Roslyn's build host next to the app: the package must bring it.
    var trusted = await StructuralChunking.Roslyn.CSharpGraphLoader.LoadAsync(args[0], new CSharpGraphOptions { TrustProjectBuild = true });
    Console.WriteLine($"trusted load: {trusted.Mode}, {trusted.DocumentCount} documents");
}
