using System.Collections.Immutable;
using StructuralChunking.Discovery;
using StructuralChunking.FrontEnds;
using StructuralChunking.Graph;
using StructuralChunking.Indexing;

namespace StructuralChunking;

/// <summary>Options of one <see cref="CodeSearchEngine.IndexAsync"/> call.</summary>
public sealed record IndexingOptions
{
    /// <summary>The default index folder, created in the code base's root folder.</summary>
    public const string DefaultFolder = ".structchunk";

    /// <summary>The default index file name inside <see cref="DefaultFolder"/>.</summary>
    public const string DefaultFileName = "index.scidx";

    /// <summary>
    /// The index file to update (or create); <c>null</c> for <see cref="DefaultFolder"/>/<see cref="DefaultFileName"/>
    /// in the code base's root folder. Its embeddings are reused for unchanged chunks and the C# per-document cache
    /// lives next to it.
    /// </summary>
    public string? IndexPath { get; init; }

    /// <summary>Rebuild even when nothing the index depends on changed (embeddings are still reused). Default <c>false</c>.</summary>
    public bool Force { get; init; }

    /// <summary>
    /// Choose the confidence threshold from the code base's own doc comments when the model has a confidence model and
    /// enough definitions are documented (see <see cref="IndexingResult.SelfCalibration"/>); a threshold calibrated on
    /// questions is always kept. Costs one query and about one chunk embedding per sampled doc comment (at most 48).
    /// Default <c>true</c>.
    /// </summary>
    public bool SelfCalibrate { get; init; } = true;

    /// <summary>The index file path for a code base rooted at <paramref name="root"/> when <see cref="IndexPath"/> is not set.</summary>
    public static string DefaultIndexPath(string root) => Path.Combine(Path.GetFullPath(root), DefaultFolder, DefaultFileName);
}

/// <summary>The stages of <see cref="CodeSearchEngine.IndexAsync"/>, in order.</summary>
public enum IndexingStage
{
    /// <summary>Checking whether the index is up to date, and finding the source files.</summary>
    Discovering,

    /// <summary>A front end parses and binds; <see cref="IndexingProgress.Item"/> names the front end and its stage.</summary>
    Parsing,

    /// <summary>Cutting definitions into chunks.</summary>
    Chunking,

    /// <summary>Embedding the chunks that changed; counts are chunks.</summary>
    Embedding,

    /// <summary>Choosing the confidence threshold from the code base's own doc comments.</summary>
    Calibrating,

    /// <summary>Writing the index file.</summary>
    Saving,
}

/// <summary>Progress of <see cref="CodeSearchEngine.IndexAsync"/>.</summary>
/// <param name="Stage">What is happening.</param>
/// <param name="Completed">Items done in this stage.</param>
/// <param name="Total">Items in this stage, or 0 when unknown.</param>
/// <param name="Item">What the items are or the item just finished, when known.</param>
public sealed record IndexingProgress(IndexingStage Stage, int Completed, int Total, string? Item = null);

/// <summary>How long one stage of an indexing run took.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Elapsed">Wall time from the stage's first progress report to the next stage's (or the end of the run).</param>
public sealed record IndexingStageTime(IndexingStage Stage, TimeSpan Elapsed);

/// <summary>What <see cref="CodeSearchEngine.IndexAsync"/> did.</summary>
public sealed record IndexingResult
{
    /// <summary>The index, ready to search.</summary>
    public required CodeIndex Index { get; init; }

    /// <summary>Where it was written (or found up to date).</summary>
    public required string IndexPath { get; init; }

    /// <summary>True when nothing the index depends on had changed, so nothing was parsed, chunked or embedded.</summary>
    public bool UpToDate { get; init; }

    /// <summary>Files indexed.</summary>
    public int FileCount { get; init; }

    /// <summary>Files new or changed since the previous index (all of them without one).</summary>
    public int ChangedFileCount { get; init; }

    /// <summary>Chunks in the index.</summary>
    public int ChunkCount => Index.Chunks.Length;

    /// <summary>Chunks embedded in this run.</summary>
    public int EmbeddedChunkCount { get; init; }

    /// <summary>Chunks whose embedding was reused from the previous index.</summary>
    public int ReusedChunkCount { get; init; }

    /// <summary>The loaded code base (graph, files, front-end results); <c>null</c> when the index was up to date.</summary>
    public CodeBase? CodeBase { get; init; }

    /// <summary>What the store wrote when the index went to an <see cref="Indexing.ICodeIndexStore"/>; <c>null</c> for an index file.</summary>
    public Indexing.StoreSyncResult? StoreSync { get; init; }

    /// <summary>What calibrating the confidence threshold on the code base's doc comments did; <c>null</c> when it was not tried.</summary>
    public Evaluation.SelfCalibrationResult? SelfCalibration { get; init; }

    /// <summary>Problems that did not stop the run (an unreadable previous index, a cache that could not be written).</summary>
    public ImmutableArray<string> Warnings { get; init; } = [];

    /// <summary>How long the run took.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>How long each stage took, in stage order (only the stages the run went through).</summary>
    public ImmutableArray<IndexingStageTime> StageTimes { get; init; } = [];

    /// <summary>Front-end diagnostics (empty when the index was up to date).</summary>
    public IEnumerable<GraphLoadDiagnostic> Diagnostics => CodeBase?.Diagnostics ?? [];

    /// <summary>
    /// Paths skipped for a reason worth reporting, by discovery, a front end or while chunking (a file that vanished
    /// or changed during the run); empty when the index was up to date.
    /// </summary>
    public ImmutableArray<SkippedPath> Skipped { get; init; } = [];

    /// <summary>Secrets masked in the index's texts (where and what kind, never the secret), this run's and kept ones.</summary>
    public IReadOnlyList<Security.SecretRedaction> Redactions => Index.Metadata.Redactions;
}
