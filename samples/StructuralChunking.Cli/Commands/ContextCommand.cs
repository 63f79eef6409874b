using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using StructuralChunking.Context;
using StructuralChunking.Indexing;
using StructuralChunking.Search;

namespace StructuralChunking.Cli.Commands;

/// <summary><c>structchunk context QUERY --budget TOKENS</c>: a token-budgeted context pack, through <see cref="CodeSearchEngine.GetContextAsync"/>.</summary>
internal static class ContextCommand
{
    /// <summary>JSON of packs and tool results: camelCase, enums as lower-case names, no nulls.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Code is full of < > & and quotes; the answers go to tools and models, never into HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create(CliContext context)
    {
        var query = new Argument<string>("query") { Description = "What you are looking for, in words or identifiers." };
        var budget = new Option<int>("--budget") { Description = "Most tokens in the pack, counted with the model's tokenizer.", DefaultValueFactory = _ => ContextPackOptions.DefaultBudget };
        var index = new Option<string?>("--index") { Description = $"Index file, or a folder holding {IndexCommand.DefaultFolder}/{IndexCommand.DefaultFileName}. Default: the current folder." };
        var top = new Option<int>("--top") { Description = "Most search hits considered.", DefaultValueFactory = _ => 10 };
        var minScore = new Option<float?>("--min-score") { Description = "Stop at this score (default: the threshold calibrated into the index, if any)." };
        var related = new Option<int>("--related") { Description = "Most signatures of callers, callees and implemented members per hit.", DefaultValueFactory = _ => 4 };
        var json = new Option<bool>("--json") { Description = "The pack as JSON (files, items with lines, reason and text) instead of Markdown." };
        var embedder = new Option<string?>("--embedder") { Description = "Embedding model (default: the one the index was built with)." };
        var pathGlob = new Option<string?>("--path") { Description = "Only hits whose path matches this glob (e.g. 'src/**/*.cs')." };
        var tests = new Option<string>("--tests") { Description = "Test code: include (ranked below production code), exclude, or only.", DefaultValueFactory = _ => "include" };
        tests.AcceptOnlyFromAmong("include", "exclude", "only");

        var command = new Command("context", "The best evidence for a query within a token budget: hits above the threshold with the signatures that explain them, per file, in source order.")
        {
            query, budget, index, top, minScore, related, json, embedder, pathGlob, tests,
        };

        command.SetAction(context.Guard(async (parseResult, cancellationToken) =>
        {
            var codeIndex = OpenIndex(parseResult.GetValue(index));
            using var embedderChoice = Embedders.Create(parseResult.GetValue(embedder) ?? codeIndex.Metadata.ModelId);
            var engine = new CodeSearchEngine(new CodeSearchEngineOptions { Embedder = embedderChoice.Generator, Profile = embedderChoice.Profile });
            var options = new ContextPackOptions
            {
                Budget = parseResult.GetValue(budget),
                MaxRelatedPerHit = parseResult.GetValue(related),
                TokenCounter = embedderChoice.TokenCounter,
                Search = new SearchOptions
                {
                    Top = parseResult.GetValue(top),
                    CandidatePool = Math.Max(100, parseResult.GetValue(top)),
                    MinScore = parseResult.GetValue(minScore),
                    PathGlob = parseResult.GetValue(pathGlob),
                    Tests = Enum.Parse<TestCodeInclusion>(parseResult.GetValue(tests)!, ignoreCase: true),
                },
            };

            ContextPack pack;
            try
            {
                pack = await engine.GetContextAsync(codeIndex, parseResult.GetValue(query)!, options, cancellationToken).ConfigureAwait(false);
            }
            catch (IndexModelMismatchException ex)
            {
                throw new CliUserException($"{ex.Message} Pass --embedder {codeIndex.Metadata.ModelId} to search with it.");
            }
            catch (ArgumentException ex)
            {
                throw new CliUserException(ex.Message);
            }

            if (parseResult.GetValue(json))
            {
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(pack, Json)).ConfigureAwait(false);
            }
            else
            {
                await context.Output.WriteAsync(pack.Markdown).ConfigureAwait(false);
                await context.Error.WriteLineAsync($"{pack.TokenCount} of {pack.Budget} tokens ({pack.TokenCounter}), {pack.IncludedHitCount} of {pack.HitCount} hits").ConfigureAwait(false);
            }

            return CliContext.Success;
        }));

        return command;
    }

    /// <summary>An index file, or a folder's default index; missing or unreadable ones are the user's error.</summary>
    public static CodeIndex OpenIndex(string? path)
    {
        path ??= Directory.GetCurrentDirectory();
        var file = Directory.Exists(path) ? IndexingOptions.DefaultIndexPath(path) : path;
        if (!File.Exists(file))
        {
            throw new CliUserException($"No index at '{file}'. Build one with: structchunk index <path>  (or pass --index FILE).");
        }

        try
        {
            return CodeIndex.Load(file);
        }
        catch (IndexFormatException ex)
        {
            throw new CliUserException(ex.Message);
        }
    }
}
