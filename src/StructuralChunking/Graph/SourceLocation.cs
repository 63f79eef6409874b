namespace StructuralChunking.Graph;

/// <summary>Where a declaration stands in a source file.</summary>
/// <param name="Path">Path relative to the indexed root, with forward slashes.</param>
/// <param name="StartLine">1-based first line.</param>
/// <param name="EndLine">1-based last line, inclusive.</param>
/// <param name="StartByte">0-based offset of the first byte of the declaration in the file's UTF-8 bytes.</param>
/// <param name="EndByte">0-based offset one past the last byte.</param>
public readonly record struct SourceLocation(string Path, int StartLine, int EndLine, int StartByte, int EndByte)
{
    /// <summary>Number of lines covered.</summary>
    public int LineCount => EndLine - StartLine + 1;

    /// <summary>Number of bytes covered.</summary>
    public int ByteLength => EndByte - StartByte;

    /// <summary>True when <paramref name="line"/> (1-based) falls inside this location.</summary>
    public bool ContainsLine(int line) => line >= StartLine && line <= EndLine;

    /// <summary>Checks the invariants every front end must respect.</summary>
    /// <exception cref="ArgumentException">The path is empty or the spans are inverted or not 1-based.</exception>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Path))
        {
            throw new ArgumentException("A source location needs a path.", nameof(Path));
        }

        if (StartLine < 1 || EndLine < StartLine)
        {
            throw new ArgumentException($"Invalid line span {StartLine}-{EndLine} in '{Path}'.", nameof(StartLine));
        }

        if (StartByte < 0 || EndByte < StartByte)
        {
            throw new ArgumentException($"Invalid byte span {StartByte}-{EndByte} in '{Path}'.", nameof(StartByte));
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Path}:{StartLine}-{EndLine}";
}
