using System.Collections.Immutable;
using StructuralChunking.Chunking;
using StructuralChunking.Discovery;
using StructuralChunking.Graph;

namespace StructuralChunking.FrontEnds;

/// <summary>
/// A code base loaded by <see cref="CodeSearchEngine.LoadAsync"/>: one graph over every language, the files to chunk
/// and what every front end and discovery reported.
/// </summary>
public sealed record CodeBase
{
    /// <summary>Absolute path of the root folder; every path here is relative to it.</summary>
    public required string Root { get; init; }

    /// <summary>The solution or project file the code base was opened from, or <c>null</c> for a folder.</summary>
    public string? EntryPoint { get; init; }

    /// <summary>The merged graph of every front end.</summary>
    public required CodeGraph Graph { get; init; }

    /// <summary>The files to chunk, ordered by path (ordinal).</summary>
    public required ImmutableArray<ChunkSourceFile> Files { get; init; }

    /// <summary>What discovery found and skipped under <see cref="Root"/>.</summary>
    public required SourceDiscoveryResult Discovery { get; init; }

    /// <summary>One result per front end that ran, in the order they ran.</summary>
    public required ImmutableArray<FrontEndResult> FrontEnds { get; init; }

    /// <summary>Every front end's diagnostics.</summary>
    public IEnumerable<GraphLoadDiagnostic> Diagnostics => FrontEnds.SelectMany(f => f.Diagnostics);

    /// <summary>
    /// Paths discovery skipped for a reason worth reporting (ignore rules, size, binary, encoding, links), without the
    /// files that are simply not source code.
    /// </summary>
    /// <remarks>Every path once, with the first reason found (discovery's, then the front ends'), ordered by path.</remarks>
    public IEnumerable<SkippedPath> NotableSkipped =>
        Discovery.Skipped.Concat(FrontEnds.SelectMany(f => f.SkippedFiles))
            .Where(s => s.Reason is not (SkipReason.UnsupportedLanguage or SkipReason.Hidden or SkipReason.LanguageNotSelected))
            .DistinctBy(s => s.RelativePath, StringComparer.Ordinal)
            .OrderBy(s => s.RelativePath, StringComparer.Ordinal);
}
