using System.Collections.Immutable;
using StructuralChunking.Discovery;
using StructuralChunking.Graph;

namespace StructuralChunking.TreeSitter;

/// <summary>The outcome of <see cref="TreeSitterGraphLoader.LoadAsync"/>.</summary>
public sealed record TreeSitterGraphResult
{
    /// <summary>The graph of the loaded code: modules, definitions, and name-resolved edges.</summary>
    public required CodeGraph Graph { get; init; }

    /// <summary>The folder that symbol paths are relative to.</summary>
    public required string RootDirectory { get; init; }

    /// <summary>Files parsed into the graph.</summary>
    public required int DocumentCount { get; init; }

    /// <summary>UTF-8 bytes of source in those files.</summary>
    public required long SourceBytes { get; init; }

    /// <summary>Files parsed per language id.</summary>
    public required ImmutableSortedDictionary<string, int> DocumentsByLanguage { get; init; }

    /// <summary>Everything that went wrong or was worked around, in path order.</summary>
    public required ImmutableArray<GraphLoadDiagnostic> Diagnostics { get; init; }

    /// <summary>
    /// Files not used, each with its reason: discovery's (ignored, too large, binary, not UTF-8) and the parser's
    /// (<see cref="SkipReason.Unparsable"/>: parse timeout). Files of languages that were not selected are not listed.
    /// </summary>
    public required ImmutableArray<SkippedPath> SkippedFiles { get; init; }

    /// <summary>Wall-clock time of the whole load.</summary>
    public required TimeSpan Elapsed { get; init; }
}
