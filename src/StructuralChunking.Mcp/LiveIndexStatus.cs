namespace StructuralChunking.Mcp;

/// <summary>What a <see cref="LiveCodeIndex"/> serves and whether it is up to date.</summary>
public sealed record LiveIndexStatus
{
    /// <summary>The folder served, or <c>null</c> for a fixed index file.</summary>
    public string? Root { get; init; }

    /// <summary>The index file.</summary>
    public string? IndexPath { get; init; }

    /// <summary>True when an index answers queries.</summary>
    public bool Ready { get; init; }

    /// <summary>True when the folder is watched for changes.</summary>
    public bool Watching { get; init; }

    /// <summary>True while a re-index runs (the previous index keeps answering).</summary>
    public bool Indexing { get; init; }

    /// <summary>True when changes were seen that the served index does not hold yet.</summary>
    public bool Pending { get; init; }

    /// <summary>How many indexes have been swapped in.</summary>
    public long Generation { get; init; }

    /// <summary>Chunks in the served index.</summary>
    public int ChunkCount { get; init; }

    /// <summary>Files in the served index.</summary>
    public int FileCount { get; init; }

    /// <summary>The embedding model.</summary>
    public required string ModelId { get; init; }

    /// <summary>True when the index holds code-graph relations (callers, callees, implementations).</summary>
    public bool HasGraph { get; init; }

    /// <summary>Calibrated minimum scores by search mode.</summary>
    public required IReadOnlyDictionary<string, float> MinScores { get; init; }

    /// <summary>When the served index was swapped in.</summary>
    public DateTimeOffset? LastIndexed { get; init; }

    /// <summary>How long building it took.</summary>
    public TimeSpan LastIndexDuration { get; init; }

    /// <summary>Why the last indexing run failed, if it did (the previous index still answers).</summary>
    public string? LastError { get; init; }
}
