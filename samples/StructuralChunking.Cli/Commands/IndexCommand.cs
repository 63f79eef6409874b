using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using StructuralChunking.Chunking;
using StructuralChunking.Indexing;
using StructuralChunking.Roslyn;

namespace StructuralChunking.Cli.Commands;

/// <summary><c>structchunk index PATH</c>: parse, chunk, embed and write an index file.</summary>
internal static class IndexCommand
{
    public const string DefaultFolder = ".structchunk";
    public const string DefaultFileName = "index.scidx";

    public static Command Create(CliContext context)
    {
        var path = new Argument<string>("path") { Description = "A .sln, .slnx or .csproj file, or a folder." };
        var output = new Option<string?>("--out") { Description = $"Index file to write. Default: {DefaultFolder}/{DefaultFileName} in the folder of PATH." };
        var embedder = new Option<string>("--embedder") { Description = $"Embedding model: {Embedders.Names}.", DefaultValueFactory = _ => Embedders.DefaultName };
        var chunkerOptions = new ChunkerCliOptions();
        var command = new Command("index", "Build (or update) a search index of a code base: parse, chunk, embed, and write one index file.")
        {
            path, output, embedder,
        };
        chunkerOptions.AddTo(command);

        command.SetAction(context.Guard(async (parseResult, cancellationToken) =>
        {
            var stopwatch = Stopwatch.StartNew();
            var input = parseResult.GetValue(path)!;
            if (!File.Exists(input) && !Directory.Exists(input))
            {
                throw new CliUserException($"'{input}' does not exist. Pass a .sln, .slnx or .csproj file, or a folder.");
            }

            var root = Directory.Exists(input) ? Path.GetFullPath(input) : Path.GetDirectoryName(Path.GetFullPath(input))!;
            var indexPath = Path.GetFullPath(parseResult.GetValue(output) ?? Path.Combine(root, DefaultFolder, DefaultFileName));
            using var embedderChoice = Embedders.Create(parseResult.GetValue(embedder)!);
            var (generator, profile) = (embedderChoice.Generator, embedderChoice.Profile);
            var chunker = chunkerOptions.CreateChunker(parseResult, embedderChoice.TokenCounter);

            using var indexLock = IndexLock.Acquire(indexPath);
            var previous = TryLoadPrevious(indexPath, context.Error);
            var (fingerprint, sourceHashes) = SourceFingerprint(input, root, cancellationToken);
            if (previous is not null && IsUpToDate(previous, fingerprint, chunker, profile.ModelId))
            {
                await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"index is up to date: {previous.Metadata.FileHashes.Count} files unchanged, {previous.Chunks.Length} chunks, model {profile.ModelId}, checked in {stopwatch.Elapsed.TotalSeconds:F1} s → {indexPath}")).ConfigureAwait(false);
                return CliContext.Success;
            }

            // Kept next to the index: C# documents whose text and visible declarations did not change are not bound again.
            var cachePath = indexPath + ".csharp-cache";
            var csharpCache = CSharpGraphCache.Load(cachePath, out var cacheProblem);
            if (cacheProblem is not null)
            {
                await context.Error.WriteLineAsync("warning: " + cacheProblem).ConfigureAwait(false);
            }

            var codeBase = await CodeBase.LoadAsync(input, 2 * 1024 * 1024, cancellationToken, csharpCache).ConfigureAwait(false);
            var sources = SourceTexts.FromDirectory(codeBase.Root);
            var chunks = chunker.Chunk(codeBase.Graph, sources, codeBase.Files, cancellationToken);
            var hashes = FileHashes(codeBase, sourceHashes);
            var changed = previous is null ? hashes.Count : hashes.Count(h => !previous.Metadata.FileHashes.TryGetValue(h.Key, out var old) || old != h.Value);

            var progress = new TerminalProgress(context.Error);
            var index = await CodeIndexBuilder.BuildAsync(chunks, codeBase.Graph, generator, profile, chunker.Description, hashes, previous, progress, cancellationToken).ConfigureAwait(false);
            progress.Finish();
            index = index.WithSourceFingerprint(fingerprint);
            index.Save(indexPath);
            if (codeBase.CSharp is not null)
            {
                try
                {
                    csharpCache.Save(cachePath);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The index is already saved; without the cache the next run only binds every document again.
                    await context.Error.WriteLineAsync($"warning: could not write the C# graph cache {cachePath}: {ex.Message}").ConfigureAwait(false);
                }
            }

            var reused = progress.Last?.Reused ?? 0;
            var bound = codeBase.CSharp is { } csharpResult
                ? string.Create(CultureInfo.InvariantCulture, $", C# documents bound {csharpResult.DocumentCount - csharpResult.ReusedDocumentCount} of {csharpResult.DocumentCount}")
                : string.Empty;
            var skipped = codeBase.Discovery.Skipped.Where(s => s.Reason is not (Discovery.SkipReason.UnsupportedLanguage or Discovery.SkipReason.Hidden)).ToList();
            var skippedText = skipped.Count == 0 ? "none skipped" : $"skipped {skipped.Count} ({string.Join(", ", skipped.GroupBy(s => s.Reason).Select(g => $"{g.Count()} {g.Key}"))})";
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"indexed {codeBase.Files.Count} files ({changed} changed), {chunks.Count} chunks ({chunks.Count - reused} embedded, {reused} reused){bound}, {skippedText}, model {profile.ModelId}, in {stopwatch.Elapsed.TotalSeconds:F1} s → {indexPath}")).ConfigureAwait(false);
            await GraphCommand.WriteDiagnosticsAsync(context.Error, codeBase, verbose: false).ConfigureAwait(false);

            return CliContext.Success;
        }));

        return command;
    }

    private static CodeIndex? TryLoadPrevious(string indexPath, TextWriter error)
    {
        if (!File.Exists(indexPath))
        {
            return null;
        }

        try
        {
            return CodeIndex.LoadForReindexing(indexPath);
        }
        catch (IndexFormatException ex)
        {
            // The old file stays in place until the new one is complete; only its embeddings cannot be reused.
            error.WriteLine($"warning: {ex.Message} Rebuilding from scratch.");
            return null;
        }
    }

    // The fingerprint already hashed what discovery found; only files it did not see are read again.
    private static Dictionary<string, string> FileHashes(CodeBase codeBase, Dictionary<string, string> known)
    {
        var hashes = FileHashes(codeBase.Root, codeBase.Files.Select(f => f.Path).Where(p => !known.ContainsKey(p)));
        foreach (var file in codeBase.Files)
        {
            if (known.TryGetValue(file.Path, out var hash))
            {
                hashes[file.Path] = hash;
            }
        }

        return hashes;
    }

    private static Dictionary<string, string> FileHashes(string root, IEnumerable<string> paths)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            try
            {
                hashes[path] = ContentHash.Of(File.ReadAllBytes(Path.Combine(root, path)));
            }
            catch (IOException)
            {
                // A file that vanished since discovery simply has no hash; the next run sees it as changed.
            }
        }

        return hashes;
    }

    /// <summary>
    /// True when the previous index was built with the same model and chunker from the same inputs, byte for byte:
    /// then nothing needs parsing, chunking or embedding.
    /// </summary>
    private static bool IsUpToDate(CodeIndex previous, string fingerprint, ICodeChunker chunker, string modelId) =>
        previous.Metadata.ModelId == modelId
        && previous.Metadata.FormatVersion == IndexMetadata.CurrentFormatVersion
        && previous.Metadata.Chunker == chunker.Description
        && previous.Metadata.SourceFingerprint == fingerprint;

    /// <summary>
    /// SHA-256 over the entry point and every path with its content hash that can change what gets indexed: the source
    /// files discovery finds under the root and the solution and project files (which decide what a .sln or .csproj
    /// includes). Build output and ignored folders do not count, so a build between two runs changes nothing.
    /// </summary>
    private static (string Fingerprint, Dictionary<string, string> Hashes) SourceFingerprint(string input, string root, CancellationToken cancellationToken)
    {
        var discovery = Discovery.SourceDiscovery.Discover(root, cancellationToken: cancellationToken);
        var paths = discovery.Files.Select(f => f.RelativePath)
            .Concat(discovery.Skipped.Where(s => !s.IsDirectory && s.Reason == Discovery.SkipReason.UnsupportedLanguage && IsProjectFile(s.RelativePath)).Select(s => s.RelativePath));
        var lines = new StringBuilder();
        lines.Append(Path.GetRelativePath(root, Path.GetFullPath(input)).Replace('\\', '/')).Append('\n');
        var hashes = FileHashes(root, paths);
        foreach (var (path, hash) in hashes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            lines.Append(path).Append('\0').Append(hash).Append('\n');
        }

        return (ContentHash.Of(Encoding.UTF8.GetBytes(lines.ToString())), hashes);
    }

    private static bool IsProjectFile(string path) =>
        path.EndsWith(".sln", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".slnx", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith("proj", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".props", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".targets", StringComparison.OrdinalIgnoreCase);

    /// <summary>Embedding progress on stderr when it is a terminal; silent when redirected.</summary>
    private sealed class TerminalProgress(TextWriter error) : IProgress<IndexBuildProgress>
    {
        private readonly bool _interactive = !Console.IsErrorRedirected && ReferenceEquals(error, Console.Error);

        public IndexBuildProgress? Last { get; private set; }

        public void Report(IndexBuildProgress value)
        {
            Last = value;
            if (_interactive && value.ToEmbed > 0)
            {
                var width = 30;
                var done = value.ToEmbed == 0 ? width : value.Embedded * width / value.ToEmbed;
                error.Write(string.Create(CultureInfo.InvariantCulture, $"\rembedding [{new string('#', done)}{new string('.', width - done)}] {value.Embedded}/{value.ToEmbed}"));
            }
        }

        public void Finish()
        {
            if (_interactive && Last is { ToEmbed: > 0 })
            {
                error.WriteLine();
            }
        }
    }
}
