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
