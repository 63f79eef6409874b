namespace StructuralChunking.Chunking;

/// <summary>Which of a chunk's three texts.</summary>
internal enum ChunkTextField
{
    Embedding,
    Lexical,
    Display,
}

/// <summary>Where the texts of chunks read from an index file come from when they are first used.</summary>
internal interface IChunkTextSource
{
    /// <summary>The text <paramref name="field"/> of the chunk at <paramref name="ordinal"/>, verified.</summary>
    string Read(int ordinal, ChunkTextField field);
}

/// <summary>
/// One text of a <see cref="CodeChunk"/>: a string, or a place in an index file read on first use. Equal by value, so a
/// chunk read lazily equals the same chunk built in memory (the record's equality compares these).
/// </summary>
internal sealed class LazyChunkText : IEquatable<LazyChunkText>
{
    /// <summary>Before the initializer sets the text.</summary>
    public static readonly LazyChunkText Missing = new(null!);

    private readonly IChunkTextSource? _source;
    private readonly int _ordinal;
    private readonly ChunkTextField _field;
    private string? _value;

    public LazyChunkText(string value) => _value = value;

    public LazyChunkText(IChunkTextSource source, int ordinal, ChunkTextField field)
    {
        _source = source;
        _ordinal = ordinal;
        _field = field;
    }

    // A race between two first readers decodes the text twice and keeps either copy: both are equal.
    public string Value => _value ??= _source?.Read(_ordinal, _field)!;

    public bool Equals(LazyChunkText? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as LazyChunkText);

    public override int GetHashCode() => Value is { } value ? StringComparer.Ordinal.GetHashCode(value) : 0;
}
