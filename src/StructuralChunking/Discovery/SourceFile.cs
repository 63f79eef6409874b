namespace StructuralChunking.Discovery;

/// <summary>A source file found by <see cref="SourceDiscovery"/>, already checked to be readable text.</summary>
/// <param name="FullPath">Absolute path on disk.</param>
/// <param name="RelativePath">Path relative to the discovery root, with <c>/</c> separators; what every later stage calls the file.</param>
/// <param name="Language">Language id from <see cref="LanguageIds"/>.</param>
/// <param name="Length">Size on disk in bytes, byte order mark included.</param>
/// <param name="Encoding">Encoding found at discovery time.</param>
public sealed record SourceFile(string FullPath, string RelativePath, string Language, long Length, SourceEncoding Encoding)
{
    /// <summary>Reads and decodes the file's text; a byte order mark is not part of the result.</summary>
    /// <remarks>
    /// The encoding is detected again from the bytes read, so a file rewritten since discovery still decodes
    /// correctly. Decoding is strict: invalid text throws rather than being silently replaced.
    /// </remarks>
    /// <exception cref="IOException">The file can no longer be read.</exception>
    /// <exception cref="UnauthorizedAccessException">Access to the file is denied.</exception>
    /// <exception cref="InvalidDataException">The file no longer holds valid UTF-8 or UTF-16 text.</exception>
    public string ReadText() => SourceContent.ReadText(FullPath);

    /// <summary>
    /// Reads the file as UTF-8 bytes without a byte order mark (UTF-16 files are transcoded). Byte offsets in
    /// <see cref="Graph.SourceLocation"/> count into these bytes; tree-sitter parses them directly.
    /// </summary>
    /// <remarks>For a UTF-8 file without a byte order mark this is the file's content as is, with no extra copy.</remarks>
    /// <exception cref="IOException">The file can no longer be read.</exception>
    /// <exception cref="UnauthorizedAccessException">Access to the file is denied.</exception>
    /// <exception cref="InvalidDataException">The file no longer holds valid UTF-8 or UTF-16 text.</exception>
    public byte[] ReadUtf8Bytes() => SourceContent.ReadUtf8Bytes(FullPath);
}
