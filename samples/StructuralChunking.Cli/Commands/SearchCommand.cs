using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using StructuralChunking.Indexing;
using StructuralChunking.Search;

namespace StructuralChunking.Cli.Commands;

/// <summary><c>structchunk search QUERY</c>: answer one query, or every line of a file, from an index.</summary>
internal static class SearchCommand
{
    public static Command Create(CliContext context)
    {
        var query = new Argument<string?>("query") { Description = "What you are looking for, in words or identifiers.", Arity = ArgumentArity.ZeroOrOne };
        var index = new Option<string?>("--index") { Description = $"Index file. Default: {IndexCommand.DefaultFolder}/{IndexCommand.DefaultFileName} in the current folder." };
        var top = new Option<int>("--top") { Description = "Most results per query.", DefaultValueFactory = _ => 10 };
        var minScore = new Option<float?>("--min-score") { Description = "Drop results scoring below this (default: the threshold calibrated into the index, if any)." };
        var mode = new Option<string>("--mode") { Description = "dense, lexical or hybrid.", DefaultValueFactory = _ => "hybrid" };
        mode.AcceptOnlyFromAmong("dense", "lexical", "hybrid");
        var json = new Option<bool>("--json") { Description = "One JSON object per query: {\"query\", \"results\": [...]}." };
        var queriesFile = new Option<string?>("--queries-file") { Description = "Answer every line of this file (one query per line) in one process; implies --json." };
        var embedder = new Option<string?>("--embedder") { Description = "Embedding model (default: the one the index was built with)." };
        var pathGlob = new Option<string?>("--path") { Description = "Only results whose path matches this glob (e.g. 'src/**/*.cs')." };
        var noTests = new Option<bool>("--exclude-tests") { Description = "Leave out test code (the same as --tests exclude)." };
        var tests = new Option<string>("--tests") { Description = "Test code: include (ranked below production code), exclude, or only.", DefaultValueFactory = _ => "include" };
        tests.AcceptOnlyFromAmong("include", "exclude", "only");
        var noGenerated = new Option<bool>("--exclude-generated") { Description = "Leave out generated code." };
        var graphWeight = new Option<double>("--graph-weight") { Description = "Share of a declaration-like hit's score passed through the code graph to the code that reads, calls or implements it (hybrid mode; 0: off).", DefaultValueFactory = _ => SearchOptions.DefaultGraphWeight };
        var declarationWeight = new Option<double>("--declaration-weight") { Description = "Factor on the score of a declaration that passed score to the code acting on it, and of any property, field, enum, interface or body-less member (hybrid mode; 1: off).", DefaultValueFactory = _ => SearchOptions.DefaultDeclarationWeight };

        var files = new Option<bool>("--files") { Description = "Rank distinct files (which files to open or edit), each with its best definitions as reasons; --top counts files." };
        var queryFile = new Option<string?>("--query-file") { Description = "Read one query from this file ('-': standard input), e.g. a pasted issue report or stack trace." };
        var analysis = new Option<string>("--query-analysis") { Description = "Analyse the query as an issue report (stack frames, names, paths, windows): auto (long or structured queries), off or always.", DefaultValueFactory = _ => "auto" };
        analysis.AcceptOnlyFromAmong("auto", "off", "always");

        var command = new Command("search", "Search an index. Returns nothing when nothing scores above the minimum score.")
        {
            query, index, top, minScore, mode, json, queriesFile, embedder, pathGlob, noTests, tests, noGenerated, graphWeight, declarationWeight, files, queryFile, analysis,
        };

        var storeOptions = new StoreOptions();
        storeOptions.AddTo(command, search: true);

        command.SetAction(context.Guard(async (parseResult, cancellationToken) =>
        {
            var opened = await storeOptions.OpenAsync(parseResult, Directory.GetCurrentDirectory(), cancellationToken).ConfigureAwait(false);
            await using var store = opened?.Store;
            var indexPath = parseResult.GetValue(index) ?? Path.Combine(Directory.GetCurrentDirectory(), IndexCommand.DefaultFolder, IndexCommand.DefaultFileName);
            if (opened is null && !File.Exists(indexPath))
            {
                throw new CliUserException($"No index at '{indexPath}'. Build one with: structchunk index <path>  (or pass --index FILE).");
            }

            CodeIndex? codeIndex = null;
            IndexMetadata metadata;
            Task<EmbedderChoice>? earlyEmbedder = null;
            try
            {
                if (opened is { CodeBase: var stored })
                {
                    metadata = await stored.ReadMetadataAsync(cancellationToken).ConfigureAwait(false)
                        ?? throw new CliUserException($"Nothing is stored for {stored.Description}. Build it with: structchunk index <path> --store STORE (and the same --repository and --branch).");
                }
                else
                {
                    StartupTrace.Mark("command parsed");

                    // The model loads on another core while the index is read: each takes a few hundred milliseconds.
                    // (An index of format 2 or earlier is verified only as a whole, so its model is known only after.)
                    if ((parseResult.GetValue(embedder) ?? CodeIndex.ReadMetadata(indexPath)?.ModelId) is { } modelName)
                    {
                        earlyEmbedder = Task.Run(() => Embedders.Create(modelName), cancellationToken);
                    }

                    codeIndex = CodeIndex.Load(indexPath);
                    metadata = codeIndex.Metadata;
                    StartupTrace.Mark("index loaded");
                }
            }
            catch (Exception ex)
            {
                // Whatever the model load does now, nobody waits for it: dispose what it makes, observe how it fails.
                earlyEmbedder?.ContinueWith(static t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
                earlyEmbedder?.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                if (ex is IndexFormatException)
                {
                    throw new CliUserException(ex.Message);
                }

                throw;
            }

            using var embedderChoice = earlyEmbedder is not null
                ? await earlyEmbedder.ConfigureAwait(false)
                : Embedders.Create(parseResult.GetValue(embedder) ?? metadata.ModelId);
            StartupTrace.Mark("embedder created");
            var storeEngine = opened is null ? null : new CodeSearchEngine(new CodeSearchEngineOptions { Embedder = embedderChoice.Generator, Profile = embedderChoice.Profile });
            var generator = embedderChoice.Generator;
            var options = new SearchOptions
            {
                Top = parseResult.GetValue(top),
                MinScore = parseResult.GetValue(minScore),
                Mode = Enum.Parse<SearchMode>(parseResult.GetValue(mode)!, ignoreCase: true),
                PathGlob = parseResult.GetValue(pathGlob),
                ExcludeTests = parseResult.GetValue(noTests),
                Tests = Enum.Parse<TestCodeInclusion>(parseResult.GetValue(tests)!, ignoreCase: true),
                ExcludeGenerated = parseResult.GetValue(noGenerated),
                CandidatePool = Math.Max(100, parseResult.GetValue(top)),
                GraphWeight = parseResult.GetValue(graphWeight),
                DeclarationWeight = parseResult.GetValue(declarationWeight),
                QueryAnalysis = parseResult.GetValue(analysis) switch { "off" => QueryAnalysisMode.Off, "always" => QueryAnalysisMode.Always, _ => QueryAnalysisMode.Auto },
            };
            var fileLevel = parseResult.GetValue(files);
            if (fileLevel && opened is not null)
            {
                throw new CliUserException("--files works on an index file, not on a store.");
            }
            try
            {
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                throw new CliUserException(ex.Message);
            }

            IReadOnlyList<string> queries;
            var asJson = parseResult.GetValue(json);
            if (parseResult.GetValue(queriesFile) is { } file)
            {
                if (!File.Exists(file))
                {
                    throw new CliUserException($"Queries file '{file}' does not exist.");
                }

                queries = (await File.ReadAllLinesAsync(file, cancellationToken).ConfigureAwait(false)).Where(l => !string.IsNullOrWhiteSpace(l)).ToList();
                asJson = true;
            }
            else if (parseResult.GetValue(queryFile) is { } single)
            {
                if (single != "-" && !File.Exists(single))
                {
                    throw new CliUserException($"Query file '{single}' does not exist.");
                }

                var text = single == "-"
                    ? await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)
                    : await File.ReadAllTextAsync(single, cancellationToken).ConfigureAwait(false);
                if (string.IsNullOrWhiteSpace(text))
                {
                    throw new CliUserException($"Query file '{single}' is empty.");
                }

                queries = [text];
            }
            else
            {
                var text = parseResult.GetValue(query);
                if (string.IsNullOrWhiteSpace(text))
                {
                    throw new CliUserException("Give a query, or --queries-file FILE.");
                }

                queries = [text];
            }

            foreach (var text in queries)
            {
                if (fileLevel)
                {
                    IReadOnlyList<FileSearchResult> fileResults;
                    try
                    {
                        fileResults = await codeIndex!.SearchFilesAsync(text, generator, options, cancellationToken).ConfigureAwait(false);
                    }
                    catch (IndexModelMismatchException ex)
                    {
                        throw new CliUserException($"{ex.Message} Pass --embedder {metadata.ModelId} to search with it.");
                    }

                    await context.Output.WriteLineAsync(asJson ? FilesToJson(text, fileResults) : FilesToText(text, fileResults)).ConfigureAwait(false);
                    continue;
                }

                IReadOnlyList<SearchResult> results;
                try
                {
                    results = opened is { CodeBase: var stored }
                        ? await storeEngine!.SearchStoreAsync(stored, text, options, cancellationToken).ConfigureAwait(false)
                        : await codeIndex!.SearchAsync(text, generator, options, cancellationToken).ConfigureAwait(false);
                }
                catch (IndexModelMismatchException ex)
                {
                    throw new CliUserException($"{ex.Message} Pass --embedder {metadata.ModelId} to search with it.");
                }

                StartupTrace.Mark("searched");
                if (asJson)
                {
                    await context.Output.WriteLineAsync(ToJson(text, results)).ConfigureAwait(false);
                }
                else
                {
                    await WriteReadableAsync(context.Output, text, results).ConfigureAwait(false);
                }
            }

            StartupTrace.Mark("written");
            return CliContext.Success;
        }));

        return command;
    }

    internal static string ToJson(string query, IReadOnlyList<SearchResult> results)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("query", query);
            writer.WriteStartArray("results");
            foreach (var result in results)
            {
                writer.WriteStartObject();
                writer.WriteNumber("rank", result.Rank);
                writer.WriteNumber("score", Math.Round(result.Score, 5));
                writer.WriteNumber("thresholdScore", Math.Round(result.ThresholdScore, 5));
                if (result.Confidence is { } confidence)
                {
                    writer.WriteNumber("confidence", Math.Round(confidence, 5));
                }

                if (result.Signals is { } signals)
                {
                    writer.WriteStartObject("signals");
                    writer.WriteNumber("cosine", Math.Round(signals.Cosine, 5));
                    writer.WriteNumber("topCosine", Math.Round(signals.TopCosine, 5));
                    writer.WriteNumber("cosineSpread", Math.Round(signals.CosineSpread, 5));
                    writer.WriteNumber("queryWordsKnown", Math.Round(signals.QueryWordsKnown, 5));
                    writer.WriteNumber("queryWordsMatched", Math.Round(signals.QueryWordsMatched, 5));
                    writer.WriteBoolean("exactName", signals.ExactName);
                    writer.WriteEndObject();
                }

                writer.WriteString("path", result.Path);
                writer.WriteNumber("startLine", result.StartLine);
                writer.WriteNumber("endLine", result.EndLine);
                writer.WriteString("symbol", result.Symbol);
                writer.WriteString("kind", Graph.SymbolKindExtensions.ToWireName(result.Kind));
                writer.WriteString("chunk", result.Chunk.Id);
                if (result.DenseScore is { } dense)
                {
                    writer.WriteNumber("denseScore", Math.Round(dense, 5));
                }

                if (result.LexicalScore is { } lexical)
                {
                    writer.WriteNumber("lexicalScore", Math.Round(lexical, 5));
                }

                if (result.Via is { } via)
                {
                    writer.WriteString("via", via);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    internal static string FilesToJson(string query, IReadOnlyList<FileSearchResult> files)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("query", query);
            writer.WriteStartArray("files");
            foreach (var file in files)
            {
                writer.WriteStartObject();
                writer.WriteNumber("rank", file.Rank);
                writer.WriteString("path", file.Path);
                writer.WriteNumber("score", Math.Round(file.Score, 5));
                writer.WriteBoolean("named", file.Named);
                writer.WriteStartArray("reasons");
                foreach (var reason in file.Reasons)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("rank", reason.Rank);
                    writer.WriteNumber("score", Math.Round(reason.Score, 5));
                    writer.WriteString("symbol", reason.Symbol);
                    writer.WriteNumber("startLine", reason.StartLine);
                    writer.WriteNumber("endLine", reason.EndLine);
                    if (reason.Via is { } via)
                    {
                        writer.WriteString("via", via);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static string FilesToText(string query, IReadOnlyList<FileSearchResult> files)
    {
        if (files.Count == 0)
        {
            return $"No file for \"{query}\" scores above the minimum score.";
        }

        var text = new System.Text.StringBuilder();
        foreach (var file in files)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{file.Rank,2}. {file.Score:F3}  {file.Path}{(file.Named ? "  (named in the query)" : string.Empty)}"));
            foreach (var reason in file.Reasons)
            {
                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"      {reason.StartLine}-{reason.EndLine}  {reason.Symbol ?? "(file-level code)"}{(reason.Via is { } via ? $"  (via: {via})" : string.Empty)}"));
            }
        }

        return text.ToString().TrimEnd();
    }

    private static async Task WriteReadableAsync(TextWriter output, string query, IReadOnlyList<SearchResult> results)
    {
        if (results.Count == 0)
        {
            await output.WriteLineAsync($"No result for \"{query}\" scores above the minimum score.").ConfigureAwait(false);
            return;
        }

        foreach (var result in results)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{result.Rank,2}. {result.Score:F3}  {result.Path}:{result.StartLine}-{result.EndLine}  {result.Symbol ?? "(file-level code)"}{(result.Via is { } via ? $"  (via: {via})" : string.Empty)}")).ConfigureAwait(false);
            foreach (var line in result.Chunk.DisplayText.Split('\n').Take(6))
            {
                await output.WriteLineAsync("      " + line.TrimEnd()).ConfigureAwait(false);
            }

            await output.WriteLineAsync().ConfigureAwait(false);
        }
    }
}
