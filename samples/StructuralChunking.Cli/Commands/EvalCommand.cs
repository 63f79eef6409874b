using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using StructuralChunking.Chunking;
using StructuralChunking.Evaluation;
using StructuralChunking.Indexing;
using StructuralChunking.Search;
using StructuralChunking.FrontEnds;

namespace StructuralChunking.Cli.Commands;

/// <summary>
/// <c>structchunk eval QUERIES.jsonl --root DIR</c>: measure retrieval on real queries (MRR@10, Recall@1/5/10, symbol and
/// file level), calibrate the minimum score, and with <c>--compare</c> run the ablation grid.
/// </summary>
internal static class EvalCommand
{
    public static Command Create(CliContext context)
    {
        var queriesPath = new Argument<string?>("queries") { Description = "Query set (JSON lines, the shared eval format). Omit with --from-docs.", Arity = ArgumentArity.ZeroOrOne };
        var root = new Option<string?>("--root") { Description = "Code base the queries are about (folder, .sln, .slnx or .csproj)." };
        var fromDocs = new Option<string?>("--from-docs") { Description = "Build queries from this code base's own doc comments (hidden from the index for the run)." };
        var maxQueries = new Option<int>("--max-queries") { Description = "With --from-docs: most queries generated.", DefaultValueFactory = _ => 200 };
        var indexPath = new Option<string?>("--index") { Description = "Reuse this index instead of building one (its chunker and model apply)." };
        var embedders = new Option<string[]>("--embedder") { Description = $"Embedding model(s): {Embedders.Names}. Several with --compare.", DefaultValueFactory = _ => [Embedders.DefaultName], AllowMultipleArgumentsPerToken = true };
        var mode = new Option<string>("--mode") { Description = "dense, lexical or hybrid.", DefaultValueFactory = _ => "hybrid" };
        mode.AcceptOnlyFromAmong("dense", "lexical", "hybrid");
        var lexicalWeights = new Option<double[]>("--lexical-weight") { Description = "Weight of the BM25 list in hybrid fusion (dense and exact-name lists weigh 1). Several values evaluate each on the same index.", DefaultValueFactory = _ => [1.0], AllowMultipleArgumentsPerToken = true };
        var graphWeights = new Option<double[]>("--graph-weight") { Description = "Share of a declaration-like hit's score passed through the code graph to the code that reads, calls or implements it (0: off). Several values evaluate each on the same index.", DefaultValueFactory = _ => [SearchOptions.DefaultGraphWeight], AllowMultipleArgumentsPerToken = true };
        var testWeights = new Option<double[]>("--test-weight") { Description = "Factor on the fused score of test code (1: ranked like production code). Several values evaluate each on the same index.", DefaultValueFactory = _ => [SearchOptions.DefaultTestCodeWeight], AllowMultipleArgumentsPerToken = true };
        var declarationWeights = new Option<double[]>("--declaration-weight") { Description = "Factor on the score of a declaration: one that passed score through the code graph to the code acting on it, and any property, field, enum, interface or body-less member (1: off). Several values evaluate each on the same index.", DefaultValueFactory = _ => [SearchOptions.DefaultDeclarationWeight], AllowMultipleArgumentsPerToken = true };
        var compare = new Option<bool>("--compare") { Description = "Run the ablation grid: line windows vs structural chunks; graph context, inherited doc and identifier splitting on/off; dense vs lexical vs hybrid; graph ranking and the declaration and test priors on/off." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (with --compare: one per configuration, one per line)." };
        var markdown = new Option<bool>("--markdown") { Description = "With --compare: print the table as Markdown." };
        var failures = new Option<int>("--failures") { Description = "How many failed queries to list.", DefaultValueFactory = _ => 10 };
        var resultsFile = new Option<string?>("--results") { Description = "Also append one JSON object per configuration to this file (the --json form), whatever is printed." };
        var negatives = new Option<string[]>("--negatives") { Description = "Questions the code base cannot answer, added as negative queries: text files (one question a line) or query sets (JSON lines; their questions are used).", AllowMultipleArgumentsPerToken = true };
        var samplesFile = new Option<string?>("--samples") { Description = "Append the labelled confidence evidence (each positive's first hit, every result of each negative) to this file, one JSON object a line, for fit-confidence." };
        var saveIndex = new Option<string?>("--save-index") { Description = "Write the index this run builds to this file, so later runs can reuse it with --index (with --save-queries for --from-docs)." };
        var holdOut = new Option<double>("--hold-out") { Description = "With --from-docs: share of the doc-comment queries turned into negative ones by leaving the definition they describe out of the index (0-1).", DefaultValueFactory = _ => 0 };
        var saveQueries = new Option<string?>("--save-queries") { Description = "Write the queries used (for example those built with --from-docs) to this file as a query set." };
        var files = new Option<bool>("--files") { Description = "File-level figures over distinct files (Acc@1/5/10, function Recall@10) against BM25 over whole files; needs --index and --root." };
        var fusions = new Option<string[]>("--long-query-fusion") { Description = "With --files: how a long query's windows are fused on the dense side (max, mean, rrf, first). Several values evaluate each.", DefaultValueFactory = _ => [SearchOptions.DefaultLongQueryFusion.ToString().ToLowerInvariant()], AllowMultipleArgumentsPerToken = true };
        var decays = new Option<double[]>("--file-decay") { Description = "With --files: weight of each further definition of a file (0: the best one only). Several values evaluate each.", DefaultValueFactory = _ => [SearchOptions.DefaultFileScoreDecay], AllowMultipleArgumentsPerToken = true };
        var analyses = new Option<string[]>("--query-analysis") { Description = "With --files: auto, off or always. Several values evaluate each.", DefaultValueFactory = _ => ["auto"], AllowMultipleArgumentsPerToken = true };
        var evidenceWeights = new Option<double[]>("--evidence-weight") { Description = "With --files: weight of a report's evidence lists in hybrid fusion. Several values evaluate each.", DefaultValueFactory = _ => [1.0], AllowMultipleArgumentsPerToken = true };
        var windowWords = new Option<int[]>("--window-words") { Description = "With --files: words per embedded window of a long query. Several values evaluate each.", DefaultValueFactory = _ => [120], AllowMultipleArgumentsPerToken = true };
        var chunkerOptions = new ChunkerCliOptions();
        var command = new Command("eval", "Measure retrieval quality on a query set (or on doc comments) and calibrate the minimum score.")
        {
            queriesPath, root, fromDocs, maxQueries, indexPath, embedders, mode, lexicalWeights, graphWeights, testWeights, compare, json, markdown, failures, resultsFile,
            negatives, samplesFile, saveQueries, holdOut, saveIndex, declarationWeights, files, fusions, decays, analyses, evidenceWeights, windowWords,
        };
        chunkerOptions.AddTo(command);

        command.SetAction(context.Guard(async (parseResult, cancellationToken) =>
        {
            var docsRoot = parseResult.GetValue(fromDocs);
            var existingIndex = parseResult.GetValue(indexPath);
            var rootPath = parseResult.GetValue(root) ?? docsRoot;
            if (rootPath is null && existingIndex is null)
            {
                throw new CliUserException("Give --root DIR (the code base the queries are about), --index FILE, or --from-docs DIR.");
            }

            var searchMode = Enum.Parse<SearchMode>(parseResult.GetValue(mode)!, ignoreCase: true);
            if (parseResult.GetValue(files))
            {
                if (existingIndex is null || parseResult.GetValue(root) is null)
                {
                    throw new CliUserException("--files needs --index FILE and --root DIR (the folder the index was built from).");
                }

                var fileIndex = LoadIndex(existingIndex);
                using var fileEmbedder = Embedders.Create(parseResult.GetValue(embedders)!.FirstOrDefault(n => n != Embedders.DefaultName) ?? fileIndex.Metadata.ModelId);
                await FileLevelEval.RunAsync(context, fileIndex, LoadQueries(parseResult.GetValue(queriesPath) ?? throw new CliUserException("Give a query set (QUERIES.jsonl).")),
                    parseResult.GetValue(root)!, fileEmbedder.Generator, searchMode, parseResult.GetValue(fusions)!, parseResult.GetValue(decays)!, parseResult.GetValue(analyses)!,
                    parseResult.GetValue(evidenceWeights)!, parseResult.GetValue(windowWords)!, parseResult.GetValue(json), cancellationToken).ConfigureAwait(false);
                return CliContext.Success;
            }


            // A reused index needs no parse, unless the queries come from the code base's doc comments.
            var codeBase = rootPath is not null && (existingIndex is null || docsRoot is not null)
                ? await FrontEndSet.LoadAsync(rootPath, 2 * 1024 * 1024, cancellationToken).ConfigureAwait(false)
                : null;

            IReadOnlyList<EvalQuery> queries;
            IReadOnlyList<RelevantLocation> heldOut = [];
            if (docsRoot is not null)
            {
                queries = DocCommentQueries.FromGraph(codeBase!.Graph, Math.Max(1, parseResult.GetValue(maxQueries)));
                if (queries.Count == 0)
                {
                    throw new CliUserException($"No documented definitions with a first sentence of {DocCommentQueries.MinimumWords}+ words were found in '{docsRoot}'.");
                }

                if (parseResult.GetValue(holdOut) is > 0 and var share)
                {
                    (queries, heldOut) = DocCommentQueries.HoldOut(queries, Math.Min(1, share));
                }
            }
            else
            {
                var file = parseResult.GetValue(queriesPath) ?? throw new CliUserException("Give a query set (QUERIES.jsonl), or --from-docs DIR.");
                queries = LoadQueries(file);
            }

            queries = [.. queries, .. LoadNegatives(parseResult.GetValue(negatives) ?? [], queries)];
            if (parseResult.GetValue(saveQueries) is { } savePath)
            {
                await File.WriteAllLinesAsync(savePath, queries.Select(q => JsonSerializer.Serialize(new
                {
                    id = q.Id, query = q.Query, kind = q.Kind, relevant = q.Relevant.Select(r => new { path = r.Path, line = r.Line, symbol = r.Symbol }),
                })), cancellationToken).ConfigureAwait(false);
            }

            if ((parseResult.GetValue(holdOut) > 0 || parseResult.GetValue(saveIndex) is not null) && (existingIndex is not null || parseResult.GetValue(compare)))
            {
                throw new CliUserException("--hold-out and --save-index apply to the one index this run builds: leave out --index and --compare.");
            }

            var hideDocs = docsRoot is not null;
            var runs = new List<(string Name, EvalReport Report)>();
            if (existingIndex is { } existing)
            {
                var index = LoadIndex(existing);
                using var embedderChoice = Embedders.Create(parseResult.GetValue(embedders)!.FirstOrDefault(n => n != Embedders.DefaultName) ?? index.Metadata.ModelId);
                await RunWeightsAsync(runs, $"{index.Metadata.Chunker} / {index.Metadata.ModelId} / {searchMode.ToString().ToLowerInvariant()}", index, queries, embedderChoice,
                    searchMode, parseResult.GetValue(lexicalWeights)!, parseResult.GetValue(graphWeights)!, parseResult.GetValue(testWeights)!, parseResult.GetValue(declarationWeights)!, cancellationToken).ConfigureAwait(false);
            }
            else if (parseResult.GetValue(compare))
            {
                foreach (var embedderName in parseResult.GetValue(embedders)!)
                {
                    runs.AddRange(await RunGridAsync(codeBase!, queries, embedderName, hideDocs, context.Error, cancellationToken).ConfigureAwait(false));
                }
            }
            else
            {
                var embedderName = parseResult.GetValue(embedders)!.FirstOrDefault() ?? Embedders.DefaultName;
                using var embedderChoice = Embedders.Create(embedderName);
                var chunker = chunkerOptions.CreateChunker(parseResult, embedderChoice.TokenCounter, hideDocumentation: hideDocs);
                var index = await BuildIndexAsync(codeBase!, chunker, embedderChoice, heldOut, cancellationToken).ConfigureAwait(false);
                if (parseResult.GetValue(saveIndex) is { } saveIndexPath)
                {
                    CodeIndex.EnsureReplaceable(saveIndexPath);
                    index.Save(saveIndexPath);
                }

                await RunWeightsAsync(runs, $"{chunker.Name} / {embedderName} / {searchMode.ToString().ToLowerInvariant()}", index, queries, embedderChoice,
                    searchMode, parseResult.GetValue(lexicalWeights)!, parseResult.GetValue(graphWeights)!, parseResult.GetValue(testWeights)!, parseResult.GetValue(declarationWeights)!, cancellationToken).ConfigureAwait(false);
            }

            if (parseResult.GetValue(samplesFile) is { } samplesPath)
            {
                await File.AppendAllLinesAsync(samplesPath, runs.SelectMany(r => r.Report.ConfidenceSamples).Select(ConfidenceSampleFile.ToJson), cancellationToken).ConfigureAwait(false);
            }

            if (parseResult.GetValue(resultsFile) is { } resultsPath)
            {
                await File.AppendAllLinesAsync(resultsPath, runs.Select(r => ToJson(r.Name, r.Report)), cancellationToken).ConfigureAwait(false);
            }

            await WriteAsync(context, runs, parseResult.GetValue(json), parseResult.GetValue(markdown), parseResult.GetValue(failures)).ConfigureAwait(false);
            return CliContext.Success;
        }));

        return command;
    }

    /// <summary><c>structchunk calibrate QUERIES.jsonl --index FILE</c>: store the calibrated minimum score in the index.</summary>
    public static Command CreateCalibrate(CliContext context)
    {
        var queriesPath = new Argument<string>("queries") { Description = "Query set with positive and negative queries (JSON lines)." };
        var indexPath = new Option<string>("--index") { Description = "Index file to calibrate (rewritten in place, atomically).", Required = true };
        var mode = new Option<string>("--mode") { Description = "Search mode to calibrate: dense, lexical or hybrid.", DefaultValueFactory = _ => "hybrid" };
        mode.AcceptOnlyFromAmong("dense", "lexical", "hybrid");
        var embedder = new Option<string?>("--embedder") { Description = "Embedding model (default: the one the index was built with; folder models need onnx:PATH)." };
        var command = new Command("calibrate", "Choose the minimum score from a query set and store it in the index, so search applies it by default.")
        {
            queriesPath, indexPath, mode, embedder,
        };

        command.SetAction(context.Guard(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(indexPath)!;
            var queries = LoadQueries(parseResult.GetValue(queriesPath)!);
            var searchMode = Enum.Parse<SearchMode>(parseResult.GetValue(mode)!, ignoreCase: true);
            using var indexLock = IndexLock.Acquire(path);
            var index = LoadIndex(path);
            using var embedderChoice = Embedders.Create(parseResult.GetValue(embedder) ?? index.Metadata.ModelId);
            var (report, _) = await IndexEvaluation.RunAsync(index, queries, embedderChoice.Generator, new SearchOptions { Mode = searchMode }, cancellationToken).ConfigureAwait(false);
            if (report.Threshold.Threshold is null)
            {
                throw new CliUserException("No positive query found a relevant result, so there is nothing to calibrate on.");
            }

            var (calibrated, calibration) = CodeSearchEngine.Calibrated(index, report, searchMode);
            calibrated.Save(path);
            var modeName = searchMode.ToString().ToLowerInvariant();
            var what = calibrated.Metadata.Confidence is not null && searchMode != SearchMode.Lexical ? "confidence threshold" : "minimum score";
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"stored {modeName} {what} {calibration.Threshold:F4} in {path}: keeps {calibration.PositivesKept:P0} of first hits, empties {calibration.NegativesEmptied:P0} of negative queries")).ConfigureAwait(false);
            return CliContext.Success;
        }));

        return command;
    }

    /// <summary>Evaluates every pair of fusion weights on one index (the query embeddings are the only repeated work).</summary>
    private static async Task RunWeightsAsync(List<(string Name, EvalReport Report)> runs, string name, CodeIndex index, IReadOnlyList<EvalQuery> queries,
        EmbedderChoice embedder, SearchMode mode, double[] lexicalWeights, double[] graphWeights, double[] testWeights, double[] declarationWeights, CancellationToken cancellationToken)
    {
        foreach (var (lexicalWeight, graphWeight, testWeight, declarationWeight) in
            from l in lexicalWeights from g in graphWeights from t in testWeights from d in declarationWeights select (l, g, t, d))
        {
            {
                var options = new SearchOptions { Mode = mode, LexicalWeight = lexicalWeight, GraphWeight = graphWeight, TestCodeWeight = testWeight, DeclarationWeight = declarationWeight };
                try
                {
                    options.Validate();
                }
                catch (ArgumentException ex)
                {
                    throw new CliUserException(ex.Message);
                }

                var (report, _) = await IndexEvaluation.RunAsync(index, queries, embedder.Generator, options, cancellationToken).ConfigureAwait(false);
                var suffix = (lexicalWeights.Length > 1 || lexicalWeight != 1.0 ? string.Create(CultureInfo.InvariantCulture, $" (lexical weight {lexicalWeight})") : string.Empty)
                    + (graphWeights.Length > 1 || graphWeight != SearchOptions.DefaultGraphWeight ? string.Create(CultureInfo.InvariantCulture, $" (graph weight {graphWeight})") : string.Empty)
                    + (testWeights.Length > 1 || testWeight != SearchOptions.DefaultTestCodeWeight ? string.Create(CultureInfo.InvariantCulture, $" (test weight {testWeight})") : string.Empty)
                    + (declarationWeights.Length > 1 || declarationWeight != SearchOptions.DefaultDeclarationWeight ? string.Create(CultureInfo.InvariantCulture, $" (declaration weight {declarationWeight})") : string.Empty);
                runs.Add((name + suffix, report));
            }
        }
    }

    /// <summary>Negative queries from text files (one question a line) or query sets, minus questions already asked.</summary>
    private static List<EvalQuery> LoadNegatives(string[] files, IReadOnlyList<EvalQuery> asked)
    {
        var seen = asked.Select(q => q.Query).ToHashSet(StringComparer.Ordinal);
        var negatives = new List<EvalQuery>();
        foreach (var file in files)
        {
            var questions = file.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)
                ? LoadQueries(file).Select(q => q.Query)
                : File.Exists(file) ? File.ReadLines(file).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')) : throw new CliUserException($"Negative questions file '{file}' does not exist.");
            foreach (var question in questions)
            {
                if (seen.Add(question))
                {
                    negatives.Add(new EvalQuery($"negative-{negatives.Count + 1}", question, "negative", []));
                }
            }
        }

        return negatives;
    }

    private static IReadOnlyList<EvalQuery> LoadQueries(string file)
    {
        if (!File.Exists(file))
        {
            throw new CliUserException($"Query set '{file}' does not exist.");
        }

        try
        {
            var queries = EvalQuery.Load(file);
            return queries.Count > 0 ? queries : throw new CliUserException($"Query set '{file}' is empty.");
        }
        catch (InvalidDataException ex)
        {
            throw new CliUserException(ex.Message);
        }
    }

    internal static CodeIndex LoadIndex(string path)
    {
        try
        {
            return CodeIndex.Load(path);
        }
        catch (Exception ex) when (ex is IndexFormatException or FileNotFoundException)
        {
            throw new CliUserException(ex.Message);
        }
    }

    private static Task<CodeIndex> BuildIndexAsync(CodeBase codeBase, ICodeChunker chunker, EmbedderChoice embedder, IReadOnlyList<RelevantLocation> heldOut, CancellationToken cancellationToken)
    {
        var chunks = chunker.Chunk(codeBase.Graph, SourceTexts.FromDirectory(codeBase.Root), codeBase.Files, cancellationToken)
            .Where(chunk => heldOut.Count == 0 || !DocCommentQueries.IsHeldOut(chunk, heldOut)).ToList();
        return CodeIndexBuilder.BuildAsync(chunks, codeBase.Graph, embedder.Generator, embedder.Profile, chunker.Description, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The ablation grid for one embedder. Each chunking is built once and searched in several modes; embeddings are
    /// reused across chunkings by content hash, so the grid costs little more than its distinct chunks. The ranking
    /// features (graph ranking, the declaration and test priors) are switched off one at a time on the structural
    /// chunks, so each feature's effect shows against the default row. Line windows are left out when the queries are
    /// doc comments: the windows would contain the very sentences asked for.
    /// </summary>
    private static async Task<List<(string Name, EvalReport Report)>> RunGridAsync(CodeBase codeBase, IReadOnlyList<EvalQuery> queries, string embedderName,
        bool hideDocs, TextWriter log, CancellationToken cancellationToken)
    {
        using var embedder = Embedders.Create(embedderName);
        var (generator, profile, counter) = (embedder.Generator, embedder.Profile, embedder.TokenCounter);
        static (string, SearchOptions)[] Modes(params SearchMode[] modes) => [.. modes.Select(m => (m.ToString().ToLowerInvariant(), new SearchOptions { Mode = m }))];
        var lineWindows = new (string Name, ICodeChunker Chunker, (string Label, SearchOptions Options)[] Searches)[]
        {
            ("lines 30/15, no split", new LineWindowChunker(splitIdentifiers: false, tokenCounter: counter), Modes(SearchMode.Dense, SearchMode.Lexical)),
            ("lines 30/15", new LineWindowChunker(tokenCounter: counter), Modes(SearchMode.Lexical, SearchMode.Hybrid)),
        };
        var structural = new (string Name, ICodeChunker Chunker, (string Label, SearchOptions Options)[] Searches)[]
        {
            ("structural", new StructuralChunker(new ChunkingOptions { HideDocumentation = hideDocs }, counter),
            [
                .. Modes(SearchMode.Dense, SearchMode.Lexical, SearchMode.Hybrid),
                ("hybrid, no graph ranking", new SearchOptions { GraphWeight = 0 }),
                ("hybrid, no declaration prior", new SearchOptions { DeclarationWeight = 1 }),
                ("hybrid, no test prior", new SearchOptions { TestCodeWeight = 1 }),
            ]),
            ("structural, no graph context", new StructuralChunker(new ChunkingOptions { IncludeGraphContext = false, HideDocumentation = hideDocs }, counter), Modes(SearchMode.Dense, SearchMode.Hybrid)),
            ("structural, no inherited doc", new StructuralChunker(new ChunkingOptions { InheritDocumentation = false, HideDocumentation = hideDocs }, counter), Modes(SearchMode.Dense, SearchMode.Hybrid)),
            ("structural, no identifier splitting", new StructuralChunker(new ChunkingOptions { SplitIdentifiers = false, HideDocumentation = hideDocs }, counter), Modes(SearchMode.Dense, SearchMode.Hybrid)),
        };

        var runs = new List<(string, EvalReport)>();
        CodeIndex? cache = null;
        foreach (var (name, chunker, searches) in hideDocs ? structural : [.. lineWindows, .. structural])
        {
            await log.WriteLineAsync($"eval: {name} / {embedderName}").ConfigureAwait(false);
            var chunks = chunker.Chunk(codeBase.Graph, SourceTexts.FromDirectory(codeBase.Root), codeBase.Files, cancellationToken);
            var index = await CodeIndexBuilder.BuildAsync(chunks, codeBase.Graph, generator, profile, chunker.Description, previous: cache, cancellationToken: cancellationToken).ConfigureAwait(false);
            cache = index;
            foreach (var (label, options) in searches)
            {
                var (report, _) = await IndexEvaluation.RunAsync(index, queries, generator, options, cancellationToken).ConfigureAwait(false);
                runs.Add(($"{name} / {embedderName} / {label}", report));
            }
        }

        return runs;
    }

    private static async Task WriteAsync(CliContext context, List<(string Name, EvalReport Report)> runs, bool json, bool markdown, int failureCount)
    {
        var output = context.Output;
        if (json)
        {
            foreach (var (name, report) in runs)
            {
                await output.WriteLineAsync(ToJson(name, report)).ConfigureAwait(false);
            }

            return;
        }

        if (runs.Count > 1 || markdown)
        {
            await output.WriteLineAsync(Table(runs, markdown)).ConfigureAwait(false);
            return;
        }

        var (single, result) = runs[0];
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{single}: {result.Queries} queries ({result.Symbol.Queries} with answers)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  symbol  MRR@10 {result.Symbol.Mrr10:F3}  R@1 {result.Symbol.Recall1:F2}  R@5 {result.Symbol.Recall5:F2}  R@10 {result.Symbol.Recall10:F2}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  file    MRR@10 {result.File.Mrr10:F3}  R@1 {result.File.Recall1:F2}  R@5 {result.File.Recall5:F2}  R@10 {result.File.Recall10:F2}");
        foreach (var (kind, (symbol, file)) in result.ByKind)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {kind,-15} {symbol.Queries,3} queries  symbol MRR@10 {symbol.Mrr10:F3}  file MRR@10 {file.Mrr10:F3}");
        }

        var threshold = result.Threshold;
        text.AppendLine(threshold.Threshold is { } t
            ? string.Create(CultureInfo.InvariantCulture, $"  threshold {t:F4}: keeps {threshold.PositivesKept:P0} of first hits, empties {threshold.NegativesEmptied:P0} of negative queries (as run: {result.NegativesEmptyAsRun:P0} empty)")
            : "  threshold: nothing to calibrate on");
        if (result.AtDefaultConfidence is { } atDefault)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"  confidence at the default threshold {atDefault.Threshold:F4}: keeps {atDefault.PositivesKept:P0} of first hits, empties {atDefault.NegativesEmptied:P0} of negative queries"));
        }

        if (result.ConfidenceThreshold is { Threshold: { } ct } calibratedConfidence)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"  confidence calibrated on this set {ct:F4}: keeps {calibratedConfidence.PositivesKept:P0} of first hits, empties {calibratedConfidence.NegativesEmptied:P0} of negative queries"));
        }
        if (result.Failures.Count > 0 && failureCount > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  failed ({result.Failures.Count}; first {Math.Min(failureCount, result.Failures.Count)}):");
            foreach (var failure in result.Failures.Take(failureCount))
            {
                var first = failure.FirstResult is { } f ? $"{f.Path}:{f.StartLine} {f.Symbol}" : "(nothing)";
                text.AppendLine(CultureInfo.InvariantCulture, $"    [{failure.Query.Id}] {failure.Query.Query}");
                text.AppendLine(CultureInfo.InvariantCulture, $"        wanted {string.Join(" or ", failure.Query.Relevant.Select(r => $"{r.Path}:{r.Line} {r.Symbol}"))}; got {first}{(failure.FileHitRank is { } rank ? $" (right file at rank {rank})" : string.Empty)}");
            }
        }

        await output.WriteAsync(text.ToString()).ConfigureAwait(false);
    }

    internal static string Table(IReadOnlyList<(string Name, EvalReport Report)> runs, bool markdown)
    {
        var text = new StringBuilder();
        if (markdown)
        {
            text.AppendLine("| configuration | symbol MRR@10 | R@1 | R@5 | R@10 | file MRR@10 | file R@10 | negatives emptied at calibrated threshold | default confidence: first hits kept / negatives emptied |");
            text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        }
        else
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{"configuration",-62} {"sym MRR",8} {"R@1",5} {"R@5",5} {"R@10",5} {"file MRR",9} {"fR@10",6} {"neg@thr",8} {"conf kept/empty",16}");
        }

        foreach (var (name, report) in runs)
        {
            var negatives = report.Threshold.Curve.Count == 0 ? "—" : report.Threshold.NegativesEmptied.ToString("P0", CultureInfo.InvariantCulture);
            var confidence = report.AtDefaultConfidence is { } point
                ? string.Create(CultureInfo.InvariantCulture, $"{point.PositivesKept:P0} / {point.NegativesEmptied:P0}")
                : "—";
            text.AppendLine(markdown
                ? string.Create(CultureInfo.InvariantCulture, $"| {name} | {report.Symbol.Mrr10:F3} | {report.Symbol.Recall1:F2} | {report.Symbol.Recall5:F2} | {report.Symbol.Recall10:F2} | {report.File.Mrr10:F3} | {report.File.Recall10:F2} | {negatives} | {confidence} |")
                : string.Create(CultureInfo.InvariantCulture, $"{name,-62} {report.Symbol.Mrr10,8:F3} {report.Symbol.Recall1,5:F2} {report.Symbol.Recall5,5:F2} {report.Symbol.Recall10,5:F2} {report.File.Mrr10,9:F3} {report.File.Recall10,6:F2} {negatives,8} {confidence,16}"));
        }

        return text.ToString();
    }

    internal static string ToJson(string name, EvalReport report)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("configuration", name);
            writer.WriteNumber("queries", report.Queries);
            WriteMetrics(writer, "symbol", report.Symbol);
            WriteMetrics(writer, "file", report.File);
            writer.WriteStartObject("byKind");
            foreach (var (kind, (symbol, file)) in report.ByKind)
            {
                writer.WriteStartObject(kind);
                WriteMetrics(writer, "symbol", symbol);
                WriteMetrics(writer, "file", file);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteStartObject("threshold");
            if (report.Threshold.Threshold is { } value)
            {
                writer.WriteNumber("value", Math.Round(value, 5));
            }
            else
            {
                writer.WriteNull("value");
            }

            writer.WriteNumber("positivesKept", Math.Round(report.Threshold.PositivesKept, 4));
            writer.WriteNumber("negativesEmptied", Math.Round(report.Threshold.NegativesEmptied, 4));
            writer.WriteNumber("negativesEmptyAsRun", Math.Round(report.NegativesEmptyAsRun, 4));
            WriteCurve(writer, report.Threshold.Curve);
            writer.WriteEndObject();
            writer.WriteStartObject("confidence");
            if (report.AtDefaultConfidence is { } atDefault)
            {
                writer.WriteNumber("defaultThreshold", Math.Round(atDefault.Threshold, 5));
                writer.WriteNumber("positivesKept", Math.Round(atDefault.PositivesKept, 4));
                writer.WriteNumber("negativesEmptied", Math.Round(atDefault.NegativesEmptied, 4));
            }

            if (report.ConfidenceThreshold is { Threshold: { } calibratedConfidence } calibration)
            {
                writer.WriteNumber("calibratedThreshold", Math.Round(calibratedConfidence, 5));
                writer.WriteNumber("calibratedPositivesKept", Math.Round(calibration.PositivesKept, 4));
                writer.WriteNumber("calibratedNegativesEmptied", Math.Round(calibration.NegativesEmptied, 4));
                WriteCurve(writer, calibration.Curve);
            }

            writer.WriteEndObject();
            writer.WriteStartArray("failed");
            foreach (var failure in report.Failures)
            {
                writer.WriteStartObject();
                writer.WriteString("id", failure.Query.Id);
                writer.WriteString("query", failure.Query.Query);
                writer.WriteString("first", failure.FirstResult is { } f ? $"{f.Path}:{f.StartLine}-{f.EndLine} {f.Symbol}" : null);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteCurve(Utf8JsonWriter writer, IReadOnlyList<ThresholdPoint> curve)
    {
        writer.WriteStartArray("curve");
        foreach (var point in curve)
        {
            writer.WriteStartObject();
            writer.WriteNumber("threshold", Math.Round(point.Threshold, 5));
            writer.WriteNumber("positivesKept", Math.Round(point.PositivesKept, 4));
            writer.WriteNumber("negativesEmptied", Math.Round(point.NegativesEmptied, 4));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteMetrics(Utf8JsonWriter writer, string name, RetrievalMetrics metrics)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("mrr@10", Math.Round(metrics.Mrr10, 4));
        writer.WriteNumber("recall@1", Math.Round(metrics.Recall1, 4));
        writer.WriteNumber("recall@5", Math.Round(metrics.Recall5, 4));
        writer.WriteNumber("recall@10", Math.Round(metrics.Recall10, 4));
        writer.WriteEndObject();
    }
}
