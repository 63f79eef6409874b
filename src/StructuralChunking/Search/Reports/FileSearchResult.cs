namespace StructuralChunking.Search;

/// <summary>One file in a file-level answer: which file to open or edit, and the definitions that make it relevant.</summary>
public sealed record FileSearchResult
{
    /// <summary>1-based rank among files.</summary>
    public required int Rank { get; init; }

    /// <summary>Path of the file, relative to the indexed root.</summary>
    public required string Path { get; init; }

    /// <summary>
    /// The file's score: its results' scores, best first, each weighted by <see cref="SearchOptions.FileScoreDecay"/>
    /// to the power of its position in the file (<c>s1 + d·s2 + d²·s3 + …</c>), each counted above the score of the
    /// last definition the search considered.
    /// </summary>
    public required float Score { get; init; }

    /// <summary>The file's best results (at most three), best first: why the file ranks where it does.</summary>
    public required IReadOnlyList<SearchResult> Reasons { get; init; }

    /// <summary>True when the query names the file: a stack frame, a path, or a module name resolved to it.</summary>
    public bool Named { get; init; }
}
