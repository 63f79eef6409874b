using System.Diagnostics;
using System.Globalization;
using StructuralChunking.Chunking;
using StructuralChunking.Context;
using StructuralChunking.Embeddings;
using StructuralChunking.Evaluation;
using StructuralChunking.Graph;
using StructuralChunking.Indexing;
using StructuralChunking.Mcp;
using StructuralChunking.Onnx;
using StructuralChunking.Search;

namespace StructuralChunking.Benchmarks;

/// <summary>
/// The two measurements of the context packs and the MCP server (docs/MCP.md):
/// <c>context-eval INDEX_FOLDER EVAL_FOLDER</c>, tokens against recall for budgets of 1k/2k/4k/8k tokens next to plain
/// top-10 chunks; <c>context-latency [QUERIES.jsonl]</c>, warm per-query latency in the server on a synthetic
/// 20,000-chunk index with the real model, with the query embedding alone as the in-run baseline.
/// </summary>
internal static class ContextPackMeasurements
{
    private static readonly int[] Budgets = [1000, 2000, 4000, 8000];

    public static async Task<int> EvaluateAsync(string indexFolder, string evalFolder)
    {
        var totals = new Totals(Budgets.Length);
        Console.WriteLine("| set | questions | top-10 chunks: tokens (median) | top-10: file recall | " +
            string.Join(" | ", Budgets.Select(b => $"pack {b / 1000}k: tokens (median) | pack {b / 1000}k: file recall | pack {b / 1000}k: symbol recall")) + " |");
        Console.WriteLine("|---|---|---|---|" + string.Concat(Enumerable.Repeat("---|---|---|", Budgets.Length)));
        foreach (var queriesPath in Directory.GetFiles(evalFolder, "*.queries.jsonl").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(queriesPath)[..^".queries.jsonl".Length];
            var indexPath = Path.Combine(indexFolder, name + ".scidx");
            if (!File.Exists(indexPath))
            {
                Console.Error.WriteLine($"{name}: no index at {indexPath}, skipped");
                continue;
            }

            var index = CodeIndex.Load(indexPath);
            using var generator = OnnxEmbeddingModels.Create(index.Metadata.ModelId);
            var engine = new CodeSearchEngine(new CodeSearchEngineOptions { Embedder = generator });
            var counter = generator.Tokenizer;
            var set = new Totals(Budgets.Length);
            foreach (var query in EvalQuery.Load(queriesPath).Where(q => q.Relevant.Count > 0))
            {
                var top = await engine.SearchAsync(index, query.Query, new SearchOptions { Top = 10 });
                var paths = query.Relevant.Select(r => r.Path).ToHashSet(StringComparer.Ordinal);
                set.TopTokens.Add(top.Sum(r => counter.CountTokens(r.Chunk.DisplayText)));
                set.TopFileHits += top.Any(r => paths.Contains(r.Path)) ? 1 : 0;
                for (var b = 0; b < Budgets.Length; b++)
                {
                    var pack = await engine.GetContextAsync(index, query.Query, new ContextPackOptions { Budget = Budgets[b] });
                    set.PackTokens[b].Add(pack.TokenCount);
                    set.PackFileHits[b] += pack.Files.Any(f => paths.Contains(f.Path)) ? 1 : 0;
                    set.PackSymbolHits[b] += pack.Files.Any(f => f.Items.Any(i => query.Relevant.Any(r =>
                        r.Path == f.Path && i.StartLine <= r.Line && r.Line <= i.EndLine))) ? 1 : 0;
                    if (pack.TokenCount > Budgets[b])
                    {
                        throw new InvalidOperationException($"{query.Id}: {pack.TokenCount} tokens over a budget of {Budgets[b]}");
                    }
                }

                set.Questions++;
            }

            Console.WriteLine(set.Row(name));
            totals.Add(set);
        }

        Console.WriteLine(totals.Row("all"));
        return 0;
    }

    public static async Task<int> LatencyAsync(string? queriesPath)
    {
        const int ChunkCount = 20_000;
        using var generator = OnnxEmbeddingModels.Create(OnnxEmbeddingModels.MiniLM);
        var index = await SyntheticIndexAsync(ChunkCount, generator.Profile);
        var engine = new CodeSearchEngine(new CodeSearchEngineOptions { Embedder = generator });
        var queries = queriesPath is null
            ? ["how is the reference loop handling applied by the writer", "where are retries with a timeout configured", "read the bearer token from the header"]
            : EvalQuery.Load(queriesPath).Select(q => q.Query).ToList();
        using var live = LiveCodeIndex.Open(engine, await SaveAsync(index));
        var tools = new CodeSearchTools(live);
        Console.WriteLine($"index: {live.Current!.Chunks.Length} chunks, {live.Current.Relations.Count} relations, model {generator.Profile.ModelId}; {queries.Count} distinct queries, 200 timed calls each");

        var steps = new (string Name, Func<string, Task> Run)[]
        {
            ("query embedding only (baseline)", q => generator.GenerateAsync([generator.Profile.ForQuery(q)])),
            ("search: embedding + hybrid search, top 10", q => engine.SearchAsync(live.Current!, q)),
            ("context pack 4k: embedding + search + pack", q => engine.GetContextAsync(live.Current!, q, new ContextPackOptions { Budget = 4000 })),
            ("MCP tool get_context_pack 4k (Markdown answer)", q => tools.GetContextPack(q, 4000)),
            ("MCP tool search_code top 10 (JSON answer)", q => tools.SearchCode(q, 10)),
        };

        foreach (var (name, run) in steps)
        {
            for (var i = 0; i < 20; i++)
            {
                await run(queries[i % queries.Count]);
            }

            var times = new List<double>(200);
            for (var i = 0; i < 200; i++)
            {
                var stopwatch = Stopwatch.StartNew();
                await run(queries[i % queries.Count]);
                times.Add(stopwatch.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {times[times.Count / 2]:F1} ms | {times[(int)(times.Count * 0.95)]:F1} ms |"));
        }

        return 0;
    }

    private static async Task<string> SaveAsync(CodeIndex index)
    {
        var path = Path.Combine(Path.GetTempPath(), $"structchunk-latency-{Environment.ProcessId}.scidx");
        index.Save(path);
        await Task.CompletedTask;
        return path;
    }

    /// <summary>
    /// 20,000 definitions of 20 lines of real-looking code in 400 files, with calls between neighbours, embedded by feature
    /// hashing into the model's dimension under the model's id: the scan, BM25, graph and packing work are those of a real
    /// index of that size, and the query is embedded by the real model.
    /// </summary>
    private static async Task<CodeIndex> SyntheticIndexAsync(int count, EmbeddingProfile profile)
    {
        string[] words = ["token", "session", "retry", "cache", "loop", "reference", "handling", "writer", "reader", "schema", "contract", "resolver", "encoding", "header", "proxy", "timeout"];
        var hashing = new HashingEmbeddingGenerator(new HashingEmbeddingOptions { Dimensions = profile.Dimensions });
        var builder = new CodeGraphBuilder();
        var chunks = new List<CodeChunk>(count);
        var symbols = new CodeSymbol[count];
        for (var i = 0; i < count; i++)
        {
            var member = $"{words[i % words.Length]}{words[(i / 16) % words.Length]}{i}";
            var name = $"App.Type{i / 50}.{char.ToUpperInvariant(member[0])}{member[1..]}";
            var path = $"src/Area{i / 5000}/File{i / 50}.cs";
            var start = (i % 50 * 25) + 1;
            var lines = new List<string> { $"    public int {name[(name.LastIndexOf('.') + 1)..]}(string {words[(i * 3) % words.Length]}, int count)", "    {" };
            for (var l = 0; l < 17; l++)
            {
                lines.Add($"        var {words[(i + l) % words.Length]}{l} = {words[(i * 7 + l) % words.Length]}.Length + count * {l}; // {words[(i + 3 * l) % words.Length]} {words[(i + 5 * l) % words.Length]}");
            }

            lines.Add("    }");
            var display = string.Join("\n", lines);
            var symbol = new CodeSymbol
            {
                Id = SymbolId.Create("csharp", name),
                Name = name[(name.LastIndexOf('.') + 1)..],
                QualifiedName = name,
                Kind = SymbolKind.Method,
                Language = "csharp",
                Location = new SourceLocation(path, start, start + lines.Count - 1, start * 80, (start + lines.Count) * 80),
            };
            symbols[i] = symbol;
            builder.AddSymbol(symbol);
            chunks.Add(new CodeChunk
            {
                Id = symbol.Id + "#0",
                SymbolId = symbol.Id,
                SymbolName = name,
                SymbolKind = SymbolKind.Method,
                Language = "csharp",
                Location = symbol.Location!.Value,
                EmbeddingText = $"path: {path}\nscope: {name} (method)\n{display}",
                LexicalText = ChunkText.Lexical(display, split: true),
                DisplayText = display,
                ContentHash = ContentHash.Of(display + i),
            });
        }

        for (var i = 0; i < count; i++)
        {
            for (var callee = i + 1; callee <= i + 3 && callee < count; callee++)
            {
                builder.AddEdge(symbols[i].Id, symbols[callee].Id, EdgeKind.Calls);
            }
        }

        return await CodeIndexBuilder.BuildAsync(chunks, builder.Build(), hashing, profile, "synthetic");
    }

    private sealed class Totals(int budgets)
    {
        public int Questions { get; set; }

        public List<int> TopTokens { get; } = [];

        public int TopFileHits { get; set; }

        public List<int>[] PackTokens { get; } = [.. Enumerable.Range(0, budgets).Select(_ => new List<int>())];

        public int[] PackFileHits { get; } = new int[budgets];

        public int[] PackSymbolHits { get; } = new int[budgets];

        public void Add(Totals other)
        {
            Questions += other.Questions;
            TopTokens.AddRange(other.TopTokens);
            TopFileHits += other.TopFileHits;
            for (var b = 0; b < PackFileHits.Length; b++)
            {
                PackTokens[b].AddRange(other.PackTokens[b]);
                PackFileHits[b] += other.PackFileHits[b];
                PackSymbolHits[b] += other.PackSymbolHits[b];
            }
        }

        public string Row(string name)
        {
            string Share(int hits) => Questions == 0 ? "-" : (hits / (double)Questions).ToString("F2", CultureInfo.InvariantCulture);
            static string Median(List<int> values) => values.Count == 0 ? "-" : values.Order().ElementAt(values.Count / 2).ToString(CultureInfo.InvariantCulture);
            return $"| {name} | {Questions} | {Median(TopTokens)} | {Share(TopFileHits)} | " +
                string.Join(" | ", Enumerable.Range(0, PackFileHits.Length).Select(b => $"{Median(PackTokens[b])} | {Share(PackFileHits[b])} | {Share(PackSymbolHits[b])}")) + " |";
        }
    }
}
