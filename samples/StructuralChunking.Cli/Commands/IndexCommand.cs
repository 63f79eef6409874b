using System.CommandLine;
using System.Globalization;
using StructuralChunking.Discovery;
using StructuralChunking.Indexing;
using StructuralChunking.Search;

namespace StructuralChunking.Cli.Commands;

/// <summary><c>structchunk index PATH</c>: parse, chunk, embed and write an index file, through <see cref="CodeSearchEngine"/>.</summary>
internal static class IndexCommand
{
    public const string DefaultFolder = IndexingOptions.DefaultFolder;
    public const string DefaultFileName = IndexingOptions.DefaultFileName;

    public static Command Create(CliContext context)
    {
        var path = new Argument<string>("path") { Description = "A .sln, .slnx or .csproj file, or a folder." };
        var output = new Option<string?>("--out") { Description = $"Index file to write. Default: {DefaultFolder}/{DefaultFileName} in the folder of PATH." };
        var embedder = new Option<string>("--embedder") { Description = $"Embedding model: {Embedders.Names}.", DefaultValueFactory = _ => Embedders.DefaultName };
        var chunkerOptions = new ChunkerCliOptions();
        var trustBuild = TrustBuildOption.Create();
        var showRedactions = new Option<bool>("--show-redactions") { Description = "List the secrets masked before embedding (file, line, kind; never the secret)." };
        var noCalibration = new Option<bool>("--no-calibration")
        {
            Description = "Keep the shipped confidence threshold instead of calibrating it on the code base's own doc comments.",
        };
        var force = new Option<bool>("--force") { Description = "Rebuild even when the index is up to date with the sources (for example after upgrading); unchanged chunks still reuse their embeddings." };
        var command = new Command("index", "Build (or update) a search index of a code base: parse, chunk, embed, and write one index file.")
        {
            path, output, embedder, trustBuild, showRedactions, force, noCalibration,
        };
        chunkerOptions.AddTo(command);
        var storeOptions = new StoreOptions();
        storeOptions.AddTo(command, search: false);

        command.SetAction(context.Guard(async (parseResult, cancellationToken) =>
        {
            var input = parseResult.GetValue(path)!;
            using var embedderChoice = Embedders.Create(parseResult.GetValue(embedder)!);
            var options = new CodeSearchEngineOptions
            {
                Embedder = embedderChoice.Generator,
                Profile = embedderChoice.Profile,
                Chunker = chunkerOptions.CreateChunker(parseResult, embedderChoice.TokenCounter),
                Discovery = new SourceDiscoveryOptions { MaxFileBytes = 2 * 1024 * 1024 },
            };
            foreach (var frontEnd in FrontEndSet.Create(parseResult.GetValue(trustBuild)))
            {
                options.FrontEnds.Add(frontEnd);
            }

            var engine = new CodeSearchEngine(options);
            var progress = new TerminalProgress(context.Error);
            IndexingResult result;
            var opened = await storeOptions.OpenAsync(parseResult, Directory.Exists(input) ? input : Path.GetDirectoryName(Path.GetFullPath(input))!, cancellationToken).ConfigureAwait(false);
            await using var store = opened?.Store;
            try
            {
                result = opened is { CodeBase: var codeBaseStore }
                    ? await engine.IndexToStoreAsync(input, codeBaseStore, progress, cancellationToken).ConfigureAwait(false)
                    : await engine.IndexAsync(input, new IndexingOptions { IndexPath = parseResult.GetValue(output), Force = parseResult.GetValue(force), SelfCalibrate = !parseResult.GetValue(noCalibration) }, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ArgumentException or IndexFormatException)
            {
                throw new CliUserException(ex.Message);
            }
            finally
            {
                progress.Finish();
            }

            foreach (var warning in result.Warnings)
            {
                await context.Error.WriteLineAsync("warning: " + warning).ConfigureAwait(false);
            }

            if (result.StoreSync is { } sync)
            {
                await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"stored {result.ChunkCount} chunks: {sync.Written} written, {sync.Deleted} deleted, {sync.Unchanged} unchanged")).ConfigureAwait(false);
            }

            if (result.UpToDate && result.StoreSync is null)
            {
                await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"index is up to date: {result.FileCount} files unchanged, {result.ChunkCount} chunks, {result.Redactions.Count} secrets redacted, model {engine.Profile.ModelId}, checked in {result.Elapsed.TotalSeconds:F1} s → {result.IndexPath}")).ConfigureAwait(false);
                await WriteRedactionsAsync(context.Output, result, parseResult.GetValue(showRedactions)).ConfigureAwait(false);
                return CliContext.Success;
            }

            var codeBase = result.CodeBase!;
            var bound = string.Concat(codeBase.FrontEnds.Where(f => f.FrontEnd == "csharp").Select(f =>
                string.Create(CultureInfo.InvariantCulture, $", C# documents bound {f.DocumentCount - f.ReusedDocumentCount} of {f.DocumentCount}")));
            var skipped = result.Skipped.ToList();
            var skippedText = skipped.Count == 0 ? "none skipped" : $"skipped {skipped.Count} ({string.Join(", ", skipped.GroupBy(s => s.Reason).Select(g => $"{g.Count()} {g.Key}"))})";
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"indexed {result.FileCount} files ({result.ChangedFileCount} changed), {result.ChunkCount} chunks ({result.EmbeddedChunkCount} embedded, {result.ReusedChunkCount} reused){bound}, {skippedText}, {result.Redactions.Count} secrets redacted, model {engine.Profile.ModelId}, in {result.Elapsed.TotalSeconds:F1} s → {result.IndexPath}")).ConfigureAwait(false);
            if (result.SelfCalibration is { } calibration)
            {
                await context.Output.WriteLineAsync(calibration is { Applied: true, Threshold: { } threshold }
                    ? string.Create(CultureInfo.InvariantCulture,
                        $"confidence threshold {threshold:F3} (shipped {ConfidenceModel.ForModel(engine.Profile.ModelId)?.Threshold:F3}): {calibration.Reason}")
                    : "confidence threshold: " + calibration.Reason).ConfigureAwait(false);
            }

            await context.Output.WriteLineAsync("stages: " + string.Join(", ", result.StageTimes.Select(t =>
                string.Create(CultureInfo.InvariantCulture, $"{t.Stage.ToString().ToLowerInvariant()} {t.Elapsed.TotalSeconds:F1} s")))).ConfigureAwait(false);
            await GraphCommand.WriteDiagnosticsAsync(context.Error, codeBase.Diagnostics, result.Skipped, verbose: false).ConfigureAwait(false);
            await WriteRedactionsAsync(context.Output, result, parseResult.GetValue(showRedactions)).ConfigureAwait(false);
            return CliContext.Success;
        }));

        return command;
    }

    private static async Task WriteRedactionsAsync(TextWriter output, IndexingResult result, bool show)
    {
        if (!show)
        {
            return;
        }

        foreach (var redaction in result.Redactions)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"redacted {redaction.Kind} at {redaction.Path}:{redaction.Line}")).ConfigureAwait(false);
        }
    }

    /// <summary>Embedding progress on stderr when it is a terminal; silent when redirected.</summary>
    private sealed class TerminalProgress(TextWriter error) : IProgress<IndexingProgress>
    {
        private readonly bool _interactive = !Console.IsErrorRedirected && ReferenceEquals(error, Console.Error);
        private bool _drawn;

        public void Report(IndexingProgress value)
        {
            if (_interactive && value is { Stage: IndexingStage.Embedding, Total: > 0 })
            {
                const int Width = 30;
                var done = value.Completed * Width / value.Total;
                error.Write(string.Create(CultureInfo.InvariantCulture, $"\rembedding [{new string('#', done)}{new string('.', Width - done)}] {value.Completed}/{value.Total}"));
                _drawn = true;
            }
        }

        public void Finish()
        {
            if (_drawn)
            {
                error.WriteLine();
            }
        }
    }
}
