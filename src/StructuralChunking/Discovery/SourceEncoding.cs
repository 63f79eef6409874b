namespace StructuralChunking.Discovery;

/// <summary>How a source file's bytes encode its text, as told by its byte order mark.</summary>
public enum SourceEncoding
{
    /// <summary>UTF-8 without a byte order mark (this includes plain ASCII).</summary>
    Utf8,

    /// <summary>UTF-8 starting with the byte order mark <c>EF BB BF</c>.</summary>
    Utf8WithBom,

    /// <summary>UTF-16 little-endian, starting with <c>FF FE</c>.</summary>
    Utf16LittleEndian,

    /// <summary>UTF-16 big-endian, starting with <c>FE FF</c>.</summary>
    Utf16BigEndian,
}
