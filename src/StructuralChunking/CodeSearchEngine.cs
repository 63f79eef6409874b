using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using StructuralChunking.Chunking;
using StructuralChunking.Discovery;
using StructuralChunking.Embeddings;
using StructuralChunking.Evaluation;
using StructuralChunking.FrontEnds;
using StructuralChunking.Graph;
using StructuralChunking.Indexing;
using StructuralChunking.Search;

namespace StructuralChunking;

/// <summary>
/// The entry point for the common case: index a solution, project or folder with every front end you added (C# through
/// Roslyn, other languages through tree-sitter, the rest as file-level code), incrementally, then search, evaluate and
/// calibrate the index. The pieces it composes (<see cref="SourceDiscovery"/>, the front ends, <see cref="StructuralChunker"/>,
/// <see cref="CodeIndexBuilder"/>, <see cref="CodeIndex"/>) stay usable on their own.
/// </summary>
/// <example>
/// <code>
/// var options = new CodeSearchEngineOptions { Embedder = OnnxEmbeddingModels.Create(OnnxEmbeddingModels.MiniLM) };
/// options.FrontEnds.Add(new CSharpFrontEnd());
/// options.FrontEnds.Add(new TreeSitterFrontEnd());
/// var engine = new CodeSearchEngine(options);
/// var indexed = await engine.IndexAsync("path/to/repo");
/// var hits = await engine.SearchAsync(indexed.Index, "where is the jwt validated");
/// </code>
/// </example>
/// <remarks>Thread-safe: one engine can index and search several code bases at once (each index file is locked while it is written).</remarks>
public sealed class CodeSearchEngine
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embedder;
    private readonly CodeBaseLoader _loader;

    /// <summary>Creates an engine.</summary>
    /// <exception cref="ArgumentException">The options are invalid (no embedder, for example).</exception>
    public CodeSearchEngine(CodeSearchEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _embedder = options.Embedder!;
        _loader = new CodeBaseLoader(options.FrontEnds, options.Discovery);
        Profile = options.Profile ?? ProfileOf(_embedder);
        Chunker = options.Chunker ?? new StructuralChunker(options.Chunking, _embedder.GetService<ITokenCounter>());
    }

    /// <summary>The options the engine was created with.</summary>
    public CodeSearchEngineOptions Options { get; }

    /// <summary>The embedding profile indexes record (model id, dimension, prefixes).</summary>
    public EmbeddingProfile Profile { get; }

    /// <summary>The chunker: <see cref="CodeSearchEngineOptions.Chunker"/>, or the structural chunker counting tokens with the model's tokenizer.</summary>
    public ICodeChunker Chunker { get; }

    /// <summary>The embedding model.</summary>
    public IEmbeddingGenerator<string, Embedding<float>> Embedder => _embedder;

    /// <summary>
    /// Loads a code base without indexing it: discovery, then every front end, merged into one graph.
    /// </summary>
    /// <param name="path">A folder, or a solution or project file a front end can open.</param>
    /// <param name="progress">Receives progress; may be <c>null</c>.</param>
    /// <param name="cancellationToken">Stops the load.</param>
    /// <exception cref="ArgumentException">The path does not exist, or no front end can open it.</exception>
    public Task<CodeBase> LoadAsync(string path, IProgress<IndexingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        _loader.LoadAsync(path, progress, cancellationToken);

    /// <summary>Cuts a loaded code base into chunks with <see cref="Chunker"/>; secrets in the sources are masked first.</summary>
    public IReadOnlyList<CodeChunk> Chunk(CodeBase codeBase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(codeBase);
        return Chunker.Chunk(codeBase.Graph, SourceTexts.FromDirectory(codeBase.Root), codeBase.Files, cancellationToken);
    }

    /// <summary>
    /// Indexes a code base into an index file, incrementally: nothing is done when nothing it depends on changed, only
    /// changed chunks are embedded again, and C# documents whose text and visible declarations are unchanged are not
    /// bound again. The file is written atomically and locked against concurrent writers.
    /// </summary>
    /// <param name="path">A folder, or a solution or project file a front end can open.</param>
    /// <param name="options">Where the index goes; <c>null</c> for <c>.structchunk/index.scidx</c> in the root folder.</param>
    /// <param name="progress">Receives progress; may be <c>null</c>.</param>
    /// <param name="cancellationToken">Stops the run; the previous index file stays as it was.</param>
    /// <exception cref="ArgumentException">The path does not exist, or no front end can open it.</exception>
    /// <exception cref="IOException">The index file is locked by another writer, or cannot be written.</exception>
    /// <exception cref="IndexFormatException">The index path names an existing file that is not an index (it is never replaced).</exception>
    public async Task<IndexingResult> IndexAsync(string path, IndexingOptions? options = null, IProgress<IndexingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var clock = new IndexingStageClock(progress);
        progress = clock;
        options ??= new IndexingOptions();
        var (entry, root) = CodeBaseLoader.Resolve(path);
        var indexPath = Path.GetFullPath(options.IndexPath ?? IndexingOptions.DefaultIndexPath(root));
        var warnings = ImmutableArray.CreateBuilder<string>();

        // Never replace a file that is not an index (a source file, a device), whatever path was given.
        CodeIndex.EnsureReplaceable(indexPath);
        if (options.IndexPath is null)
        {
            // The default folder sits inside the repository: owner-only, and ignored by git.
            PrivateFile.PrepareIndexFolder(Path.GetDirectoryName(indexPath)!);
        }

        using var indexLock = IndexLock.Acquire(indexPath);
        var previous = TryLoadPrevious(indexPath, warnings);
        var (discovery, fingerprint, hashes) = Fingerprint(entry, root, progress, cancellationToken);
        if (!options.Force && previous is not null && IsUpToDate(previous.Metadata, fingerprint))
        {
            return new IndexingResult
            {
                Index = previous,
                IndexPath = indexPath,
                UpToDate = true,
                FileCount = previous.Metadata.FileHashes.Count,
                ReusedChunkCount = previous.Chunks.Length,
                Warnings = warnings.ToImmutable(),
                Elapsed = stopwatch.Elapsed,
                StageTimes = clock.Finish(),
            };
        }

        var prepared = await PrepareAsync(entry, root, discovery, hashes, indexPath, previous?.Metadata, progress, cancellationToken).ConfigureAwait(false);
        IndexBuildProgress? last = null;
        var index = await CodeIndexBuilder.BuildAsync(prepared.Chunks, prepared.CodeBase.Graph, _embedder, Profile, Chunker.Description, prepared.FileHashes, previous,
            EmbedProgress(progress, value => last = value), cancellationToken).ConfigureAwait(false);
        index = index.WithSourceFingerprint(fingerprint).WithRedactions(prepared.Sources.Redactions);
        SelfCalibrationResult? selfCalibration = null;
        if (options.SelfCalibrate)
        {
            (index, selfCalibration) = await SelfCalibrateAsync(index, prepared, options.Force, progress, cancellationToken).ConfigureAwait(false);
        }
        else if (index.Metadata.ConfidenceSource == ConfidenceSource.CodeBaseDocComments)
        {
            index = index.WithShippedConfidence();
        }

        var codeBase = prepared.CodeBase;
        var chunks = prepared.Chunks;
        var changed = prepared.ChangedFileCount;

        progress?.Report(new IndexingProgress(IndexingStage.Saving, 0, 1));
        index.Save(indexPath);
        foreach (var frontEnd in codeBase.FrontEnds)
        {
            if (frontEnd.State is { } state)
            {
                var statePath = CodeBaseLoader.StatePath(indexPath, frontEnd.FrontEnd);
                try
                {
                    state.Save(statePath);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The index is saved; without this state the next run only parses everything again.
                    warnings.Add($"Could not write the {frontEnd.FrontEnd} cache {statePath}: {ex.Message}");
                }
            }
        }

        progress?.Report(new IndexingProgress(IndexingStage.Saving, 1, 1));
        var reused = last?.Reused ?? 0;
        return new IndexingResult
        {
            Index = index,
            IndexPath = indexPath,
            FileCount = codeBase.Files.Length,
            ChangedFileCount = changed,
            EmbeddedChunkCount = chunks.Count - reused,
            ReusedChunkCount = reused,
            CodeBase = codeBase,
            Skipped = prepared.Skipped,
            SelfCalibration = selfCalibration,
            Warnings = warnings.ToImmutable(),
            Elapsed = stopwatch.Elapsed,
            StageTimes = clock.Finish(),
        };
    }

    /// <summary>
    /// Chooses the index's confidence threshold from the code base's own doc comments (see <see cref="SelfCalibration"/>),
    /// unless it was calibrated on questions, or on this code base's doc comments before and less than a tenth of the
    /// files changed since.
    /// </summary>
    private async Task<(CodeIndex Index, SelfCalibrationResult Result)> SelfCalibrateAsync(CodeIndex index, PreparedCodeBase prepared, bool force,
        IProgress<IndexingProgress>? progress, CancellationToken cancellationToken)
    {
        switch (index.Metadata.ConfidenceSource)
        {
            case ConfidenceSource.Questions:
                return (index, new SelfCalibrationResult(false, "The confidence threshold was calibrated on questions; it is kept."));
            case ConfidenceSource.CodeBaseDocComments when !force && prepared.ChangedFileCount * 10 < prepared.CodeBase.Files.Length:
                return (index, new SelfCalibrationResult(false, "Few files changed; the threshold calibrated on this code base is kept."));
        }

        if (ConfidenceModel.ForModel(index.Metadata.ModelId) is not { } shipped)
        {
            return (index, new SelfCalibrationResult(false, $"The model '{index.Metadata.ModelId}' has no confidence model to calibrate."));
        }

        if (Chunker is not StructuralChunker structural)
        {
            return (index, new SelfCalibrationResult(false, "Only structural chunks can be calibrated on doc comments; the shipped threshold stays."));
        }

        progress?.Report(new IndexingProgress(IndexingStage.Calibrating, 0, 1));
        var result = await SelfCalibration.RunAsync(index, shipped, prepared.CodeBase.Graph, prepared.Chunks, structural, prepared.Sources, prepared.CodeBase.Files,
            _embedder, Profile, cancellationToken).ConfigureAwait(false);
        progress?.Report(new IndexingProgress(IndexingStage.Calibrating, 1, 1));
        return result;
    }

    /// <summary>
    /// Indexes a code base into <paramref name="store"/> (a database, for example) instead of an index file: the same
    /// discovery, front ends, chunking and redaction; chunks whose content the store already holds keep their stored
    /// embedding; the store then writes only what changed, atomically.
    /// </summary>
    /// <param name="path">A folder, or a solution or project file a front end can open.</param>
    /// <param name="store">The store of this code base.</param>
    /// <param name="progress">Receives progress; may be <c>null</c>.</param>
    /// <param name="cancellationToken">Stops the run; the store keeps what it had.</param>
    /// <returns>The result; <see cref="IndexingResult.IndexPath"/> is the store's description and <see cref="IndexingResult.StoreSync"/> says what was written.</returns>
    /// <exception cref="ArgumentException">The path does not exist, or no front end can open it.</exception>
    /// <remarks>Front ends keep no cache next to a store, so every run parses the code base again (embeddings are still reused).
    /// The confidence threshold is calibrated on the code base's doc comments as <see cref="IndexAsync"/> does by default.</remarks>
    public async Task<IndexingResult> IndexToStoreAsync(string path, ICodeIndexStore store, IProgress<IndexingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var stopwatch = Stopwatch.StartNew();
        var clock = new IndexingStageClock(progress);
        progress = clock;
        var (entry, root) = CodeBaseLoader.Resolve(path);
        var previous = await store.ReadMetadataAsync(cancellationToken).ConfigureAwait(false);
        var (discovery, fingerprint, hashes) = Fingerprint(entry, root, progress, cancellationToken);
        var prepared = await PrepareAsync(entry, root, discovery, hashes, statePathPrefix: null, previous, progress, cancellationToken).ConfigureAwait(false);

        IReadOnlyDictionary<string, float[]> reusable = new Dictionary<string, float[]>();
        if (previous is not null && previous.ModelId == Profile.ModelId && previous.Dimensions == Profile.Dimensions && previous.DocumentPrefix == Profile.DocumentPrefix)
        {
            var contentHashes = prepared.Chunks.Select(c => c.ContentHash).Distinct(StringComparer.Ordinal).ToList();
            reusable = await store.ReadEmbeddingsAsync(contentHashes, cancellationToken).ConfigureAwait(false);
        }

        IndexBuildProgress? last = null;
        var index = await CodeIndexBuilder.BuildAsync(prepared.Chunks, prepared.CodeBase.Graph, _embedder, Profile, Chunker.Description, prepared.FileHashes, previous, reusable,
            EmbedProgress(progress, value => last = value), cancellationToken).ConfigureAwait(false);
        index = index.WithSourceFingerprint(fingerprint).WithRedactions(prepared.Sources.Redactions);
        var (calibrated, selfCalibration) = await SelfCalibrateAsync(index, prepared, force: false, progress, cancellationToken).ConfigureAwait(false);
        index = calibrated;

        progress?.Report(new IndexingProgress(IndexingStage.Saving, 0, 1));
        var sync = await store.WriteAsync(index, cancellationToken).ConfigureAwait(false);
        progress?.Report(new IndexingProgress(IndexingStage.Saving, 1, 1));
        var reused = last?.Reused ?? 0;
        return new IndexingResult
        {
            Index = index,
            IndexPath = store.Description,
            UpToDate = sync.Written == 0 && sync.Deleted == 0,
            FileCount = prepared.CodeBase.Files.Length,
            ChangedFileCount = prepared.ChangedFileCount,
            EmbeddedChunkCount = prepared.Chunks.Count - reused,
            ReusedChunkCount = reused,
            CodeBase = prepared.CodeBase,
            Skipped = prepared.Skipped,
            StoreSync = sync,
            SelfCalibration = selfCalibration,
            Elapsed = stopwatch.Elapsed,
            StageTimes = clock.Finish(),
        };
    }

    /// <summary>Searches the index kept in <paramref name="store"/> with this engine's embedder.</summary>
    /// <param name="store">A store indexed with this engine's model.</param>
    /// <param name="query">What to look for, in words or identifiers.</param>
    /// <param name="options">Top, mode, filters, threshold; <c>null</c> for the defaults.</param>
    /// <param name="cancellationToken">Stops the search.</param>
    /// <returns>The results; empty when nothing scores above the minimum score or the store holds nothing.</returns>
    /// <exception cref="IndexModelMismatchException">The store was indexed with another model.</exception>
    public async Task<IReadOnlyList<SearchResult>> SearchStoreAsync(ICodeIndexStore store, string query, SearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(query);
        options ??= new SearchOptions();
        options.Validate();
        ReadOnlyMemory<float> vector = default;
        if (options.Mode != SearchMode.Lexical && !string.IsNullOrWhiteSpace(query))
        {
            if (await store.ReadMetadataAsync(cancellationToken).ConfigureAwait(false) is not { } metadata)
            {
                return [];
            }

            // The same check and message as an index file's.
            StoredChunks.ToIndex(metadata, [], new LexicalStatistics(0, 0, new Dictionary<string, int>())).EnsureSameModel(_embedder);
            var profile = new EmbeddingProfile(metadata.ModelId, metadata.Dimensions, metadata.QueryPrefix, metadata.DocumentPrefix);
            var embeddings = await _embedder.GenerateAsync([profile.ForQuery(query)], cancellationToken: cancellationToken).ConfigureAwait(false);
            vector = embeddings[0].Vector;
        }

        return await store.SearchAsync(query, vector, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens an index for searching: an index file, or a code base folder whose default index
    /// (<c>.structchunk/index.scidx</c>) exists. Checks that it was built with this engine's model.
    /// </summary>
    /// <exception cref="FileNotFoundException">No index there.</exception>
    /// <exception cref="IndexFormatException">The file is corrupt, not an index, or of another format version.</exception>
    /// <exception cref="IndexModelMismatchException">The index was built with another model.</exception>
    public CodeIndex OpenIndex(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var index = CodeIndex.Load(Directory.Exists(path) ? IndexingOptions.DefaultIndexPath(path) : path);
        index.EnsureSameModel(_embedder);
        return index;
    }

    /// <summary>Searches an index with this engine's embedder.</summary>
    /// <param name="index">An index built with this engine's model.</param>
    /// <param name="query">What to look for, in words or identifiers.</param>
    /// <param name="options">Top, mode, filters, threshold; <c>null</c> for the defaults.</param>
    /// <param name="cancellationToken">Stops the query embedding.</param>
    /// <returns>The results; empty when nothing scores above the minimum score.</returns>
    /// <exception cref="IndexModelMismatchException">The index was built with another model.</exception>
    public Task<IReadOnlyList<SearchResult>> SearchAsync(CodeIndex index, string query, SearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        return index.SearchAsync(query, _embedder, options, cancellationToken);
    }

    /// <summary>
    /// Builds a context pack: the hits above the index's threshold, each with the signatures of the definitions that
    /// explain it (callers, callees, the members it implements), merged per file in source order and deduplicated, within
    /// a token budget counted with the model's tokenizer. The pack stops at the threshold rather than filling the budget
    /// with weak matches, and its note says where and why it stopped.
    /// </summary>
    /// <param name="index">An index built with this engine's model.</param>
    /// <param name="query">What to look for, in words or identifiers.</param>
    /// <param name="options">Budget, search options, graph context; <c>null</c> for the defaults.</param>
    /// <param name="cancellationToken">Stops the query embedding.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="IndexModelMismatchException">The index was built with another model.</exception>
    public async Task<Context.ContextPack> GetContextAsync(CodeIndex index, string query, Context.ContextPackOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(query);
        options ??= new Context.ContextPackOptions();
        options.Validate();
        var search = options.Search ?? new SearchOptions();
        var results = await index.SearchAsync(query, _embedder, search, cancellationToken).ConfigureAwait(false);
        var counter = options.TokenCounter ?? _embedder.GetService<ITokenCounter>() ?? ApproximateTokenCounter.Instance;
        return Context.ContextPackBuilder.Build(index, query, results, search, counter, options);
    }

    /// <summary>
    /// Ranks distinct files for <paramref name="query"/> (for example a pasted issue report or stack trace) with this
    /// engine's embedder: which files to open or edit, each with its best definitions as reasons. See
    /// <see cref="CodeIndex.SearchFilesAsync"/>.
    /// </summary>
    /// <exception cref="IndexModelMismatchException">The index was built with another model.</exception>
    public Task<IReadOnlyList<FileSearchResult>> SearchFilesAsync(CodeIndex index, string query, SearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        return index.SearchFilesAsync(query, _embedder, options, cancellationToken);
    }

    /// <summary>Runs a query set against an index and reports MRR@10, Recall@k and the threshold the set would calibrate.</summary>
    public async Task<EvalReport> EvaluateAsync(CodeIndex index, IReadOnlyList<EvalQuery> queries, SearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        var (report, _) = await IndexEvaluation.RunAsync(index, queries, _embedder, options, cancellationToken).ConfigureAwait(false);
        return report;
    }

    /// <summary>
    /// Calibrates the index's "no answer" decision on a query set with positive and negative questions and returns a copy
    /// of the index that applies it by default in <paramref name="mode"/>; save it with <see cref="CodeIndex.Save"/>. With a
    /// confidence model (dense and hybrid mode, see <see cref="CodeIndex.Confidence"/>) its threshold is chosen; the
    /// minimum score is chosen too and applies where no confidence model does. Either threshold keeps at least 90% of
    /// the positive questions' first hits and empties as many negative questions as possible.
    /// </summary>
    /// <returns>The calibrated copy and the trade-off of the threshold that applies (confidence, else minimum score).</returns>
    /// <exception cref="InvalidOperationException">No positive query found a relevant result, so there is nothing to calibrate on.</exception>
    public async Task<(CodeIndex Index, ThresholdCalibration Calibration)> CalibrateAsync(CodeIndex index, IReadOnlyList<EvalQuery> queries,
        SearchMode mode = SearchMode.Hybrid, CancellationToken cancellationToken = default)
    {
        var report = await EvaluateAsync(index, queries, new SearchOptions { Mode = mode }, cancellationToken).ConfigureAwait(false);
        return Calibrated(index, report, mode);
    }

    /// <summary>Applies the thresholds of an evaluation <paramref name="report"/> to a copy of <paramref name="index"/>.</summary>
    /// <exception cref="InvalidOperationException">No positive query found a relevant result, so there is nothing to calibrate on.</exception>
    public static (CodeIndex Index, ThresholdCalibration Calibration) Calibrated(CodeIndex index, EvalReport report, SearchMode mode)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(report);
        if (report.Threshold.Threshold is not { } threshold)
        {
            throw new InvalidOperationException("No positive query found a relevant result, so there is nothing to calibrate on.");
        }

        var scores = new Dictionary<string, float>(index.Metadata.MinScores, StringComparer.Ordinal)
        {
            [mode.ToString().ToLowerInvariant()] = threshold,
        };
        var calibrated = index.WithMinScores(scores);
        if (mode != SearchMode.Lexical && index.Confidence is { } model && report.ConfidenceThreshold is { Threshold: { } confidence } confidenceCalibration)
        {
            return (calibrated.WithConfidence(model.WithThreshold(confidence)), confidenceCalibration);
        }

        return (calibrated, report.Threshold);
    }

    private static CodeIndex? TryLoadPrevious(string indexPath, ImmutableArray<string>.Builder warnings)
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
            warnings.Add($"{ex.Message} Rebuilding from scratch.");
            return null;
        }
    }

    /// <summary>True when the previous index was built with the same model and chunker from the same inputs, byte for byte.</summary>
    private bool IsUpToDate(IndexMetadata previous, string fingerprint) =>
        previous.ModelId == Profile.ModelId
        && previous.Dimensions == Profile.Dimensions
        && previous.FormatVersion == IndexMetadata.CurrentFormatVersion
        && previous.Chunker == Chunker.Description
        && previous.SourceFingerprint == fingerprint;

    /// <summary>Discovery, and the fingerprint of everything an index depends on (sources, project files, front-end settings).</summary>
    private (SourceDiscoveryResult Discovery, string Fingerprint, IReadOnlyDictionary<string, string> Hashes) Fingerprint(string? entry, string root,
        IProgress<IndexingProgress>? progress, CancellationToken cancellationToken)
    {
        progress?.Report(new IndexingProgress(IndexingStage.Discovering, 0, 0));
        var discovery = SourceDiscovery.Discover(root, Options.Discovery, cancellationToken);
        var (fingerprint, hashes) = SourceFingerprint.Compute(entry ?? root, root, discovery, cancellationToken);

        // Front ends with other settings (MSBuild trusted or not) can load other files: the index is not up to date for them.
        fingerprint = ContentHash.Of(fingerprint, string.Join("\n", Options.FrontEnds.Select(f => f.Description)));
        return (discovery, fingerprint, hashes);
    }

    /// <summary>Loads the code base with every front end, chunks it, and hashes its files: everything before embedding.</summary>
    private async Task<PreparedCodeBase> PrepareAsync(string? entry, string root, SourceDiscoveryResult discovery, IReadOnlyDictionary<string, string> hashes,
        string? statePathPrefix, IndexMetadata? previous, IProgress<IndexingProgress>? progress, CancellationToken cancellationToken)
    {
        var codeBase = await _loader.LoadAsync(entry, root, discovery, statePathPrefix, progress, cancellationToken).ConfigureAwait(false);
        progress?.Report(new IndexingProgress(IndexingStage.Chunking, 0, codeBase.Files.Length));
        var sources = SourceTexts.FromDirectory(codeBase.Root);
        var chunks = Chunker.Chunk(codeBase.Graph, sources, codeBase.Files, cancellationToken);
        progress?.Report(new IndexingProgress(IndexingStage.Chunking, codeBase.Files.Length, codeBase.Files.Length));

        // Files a front end listed beyond discovery (a project's linked files) are hashed here; the rest were hashed already.
        var fileHashes = SourceFingerprint.FileHashes(root, codeBase.Files.Select(f => f.Path).Where(p => !hashes.ContainsKey(p)), cancellationToken);
        foreach (var file in codeBase.Files)
        {
            if (hashes.TryGetValue(file.Path, out var hash))
            {
                fileHashes[file.Path] = hash;
            }
        }

        var changed = previous is null
            ? fileHashes.Count
            : fileHashes.Count(h => !previous.FileHashes.TryGetValue(h.Key, out var old) || old != h.Value);
        return new PreparedCodeBase(codeBase, sources, chunks, fileHashes, changed);
    }

    private static SyncProgress<IndexBuildProgress> EmbedProgress(IProgress<IndexingProgress>? progress, Action<IndexBuildProgress> last) => new(value =>
    {
        last(value);
        progress?.Report(new IndexingProgress(IndexingStage.Embedding, value.Embedded, value.ToEmbed));
    });

    private sealed record PreparedCodeBase(CodeBase CodeBase, SourceTexts Sources, IReadOnlyList<CodeChunk> Chunks, Dictionary<string, string> FileHashes, int ChangedFileCount)
    {
        public ImmutableArray<SkippedPath> Skipped =>
            [.. CodeBase.NotableSkipped.Concat(Sources.Failures).DistinctBy(f => f.RelativePath, StringComparer.Ordinal)];
    }

    private static EmbeddingProfile ProfileOf(IEmbeddingGenerator<string, Embedding<float>> embedder)
    {
        if (embedder.GetService<EmbeddingProfile>() is { } profile)
        {
            return profile;
        }

        var metadata = embedder.GetService<EmbeddingGeneratorMetadata>();
        if (metadata?.DefaultModelId is { } modelId && metadata.DefaultModelDimensions is { } dimensions)
        {
            return new EmbeddingProfile(modelId, dimensions);
        }

        throw new ArgumentException(
            "The embedder reports neither an EmbeddingProfile nor a model id and dimension in its metadata; set CodeSearchEngineOptions.Profile.");
    }
}
