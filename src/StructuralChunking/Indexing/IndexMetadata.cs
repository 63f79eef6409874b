namespace StructuralChunking.Indexing;

/// <summary>What an index was built from and with; stored in its file header.</summary>
public sealed record IndexMetadata
{
    /// <summary>The file format version this library writes.</summary>
    /// <remarks>
    /// Version 2 added the code-graph relations between chunks; version 3 (the same content) puts each part in its own
    /// section with its own checksum, so a search reads and verifies only what it uses; version 4 (the same content) keeps
    /// chunk records as columns and postings as one block, decoded where a search touches them instead of at load.
    /// </remarks>
    public const int CurrentFormatVersion = 4;

    /// <summary>Format version of the file.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Embedding model id (for example <c>hash-512</c> or <c>minilm</c>).</summary>
    public required string ModelId { get; init; }

    /// <summary>Vector length.</summary>
    public required int Dimensions { get; init; }

    /// <summary>Prefix the model wants before queries.</summary>
    public string QueryPrefix { get; init; } = "";

    /// <summary>Prefix the model wants before documents.</summary>
    public string DocumentPrefix { get; init; } = "";

    /// <summary>The chunker and its options, as a readable description (for example <c>structural budget=256</c>).</summary>
    public required string Chunker { get; init; }

    /// <summary>When the index was written.</summary>
    public DateTimeOffset CreatedUtc { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Content hash (SHA-256 hex) of every indexed file, by path relative to the root.</summary>
    public IReadOnlyDictionary<string, string> FileHashes { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// A fingerprint of everything the index was built from (source files, project files, the entry point), computed by
    /// the caller; <c>null</c> when none was recorded. An index whose fingerprint matches the current tree needs no work.
    /// </summary>
    public string? SourceFingerprint { get; init; }

    /// <summary>Calibrated minimum scores by search mode (<c>dense</c>, <c>hybrid</c>, <c>lexical</c>); empty until calibrated.</summary>
    public IReadOnlyDictionary<string, float> MinScores { get; init; } = new Dictionary<string, float>();

    /// <summary>
    /// The confidence model calibrated for this index; <c>null</c> uses the one shipped for <see cref="ModelId"/>
    /// (<see cref="Search.ConfidenceModel.ForModel"/>).
    /// </summary>
    public Search.ConfidenceModel? Confidence { get; init; }

    /// <summary>Where the threshold of <see cref="Confidence"/> came from.</summary>
    public Search.ConfidenceSource ConfidenceSource { get; init; }

    /// <summary>
    /// Secrets masked before anything was embedded or stored (path, line and kind only; never the secret), ordered by
    /// path and line; empty when none was found.
    /// </summary>
    public IReadOnlyList<Security.SecretRedaction> Redactions { get; init; } = [];
}
