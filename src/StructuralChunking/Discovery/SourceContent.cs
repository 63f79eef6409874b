using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace StructuralChunking.Discovery;

/// <summary>Encoding detection, validation and decoding of source file bytes.</summary>
internal static class SourceContent
{
    /// <summary>How much of a file is searched for NUL bytes: the same heuristic as git's, with the 8 KiB the library documents.</summary>
    public const int BinaryProbeBytes = 8 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly UnicodeEncoding StrictUtf16LittleEndian = new(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true);
    private static readonly UnicodeEncoding StrictUtf16BigEndian = new(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true);

    /// <summary>Reads a file of at most <paramref name="maxBytes"/> and classifies its content.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">Access is denied.</exception>
    public static Inspection Inspect(string fullPath, long maxBytes, int maxLineBytes = 0)
    {
        using var handle = File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        var length = RandomAccess.GetLength(handle);
        if (length > maxBytes)
        {
            return Inspection.Skip(SkipReason.TooLarge, TooLargeDetail(length, maxBytes));
        }

        // Pooled: most files are small, but 2 MiB buffers would otherwise land on the large object heap each time.
        var buffer = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            var read = 0;
            int count;
            while (read < length && (count = RandomAccess.Read(handle, buffer.AsSpan(read, (int)length - read), read)) > 0)
            {
                read += count;
            }

            var inspection = Classify(buffer.AsSpan(0, read));
            return inspection.Reason is null && maxLineBytes > 0 && Minified(buffer.AsSpan(0, read), maxLineBytes) is { } minified
                ? Inspection.Skip(SkipReason.Pathological, minified)
                : inspection;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Minified or generated one-line code: a line longer than <paramref name="maxLineBytes"/>, or a file of at least that
    /// size whose lines average over a tenth of it. Such files hold no structure worth a chunk and make every later stage
    /// work on megabyte lines. Returns the reason, or <c>null</c> for ordinary text.
    /// </summary>
    internal static string? Minified(ReadOnlySpan<byte> bytes, int maxLineBytes)
    {
        var longest = 0;
        var lines = 0;
        var rest = bytes;
        while (!rest.IsEmpty)
        {
            var newline = rest.IndexOf((byte)'\n');
            var length = newline < 0 ? rest.Length : newline;
            longest = Math.Max(longest, length);
            lines++;
            rest = newline < 0 ? default : rest[(newline + 1)..];
        }

        if (longest > maxLineBytes)
        {
            return $"minified or generated: a line of {longest:N0} bytes exceeds {maxLineBytes:N0}";
        }

        return bytes.Length >= maxLineBytes && bytes.Length / Math.Max(lines, 1) > maxLineBytes / 10
            ? $"minified or generated: {lines:N0} lines averaging {bytes.Length / Math.Max(lines, 1):N0} bytes"
            : null;
    }

    /// <summary>Detects the encoding of <paramref name="bytes"/> and checks that they are text in it.</summary>
    public static Inspection Classify(ReadOnlySpan<byte> bytes)
    {
        var encoding = DetectEncoding(bytes, out var bomLength);
        if (encoding is null)
        {
            return Inspection.Skip(SkipReason.NotUtf8, "UTF-32 (by its byte order mark) is not supported");
        }

        var content = bytes[bomLength..];
        if (encoding is SourceEncoding.Utf8 or SourceEncoding.Utf8WithBom)
        {
            var nul = content[..Math.Min(content.Length, BinaryProbeBytes)].IndexOf((byte)0);
            if (nul >= 0)
            {
                return Inspection.Skip(SkipReason.Binary, $"NUL byte at offset {nul + bomLength}");
            }

            return Utf8.IsValid(content)
                ? Inspection.Text(encoding.Value)
                : Inspection.Skip(SkipReason.NotUtf8, $"invalid UTF-8 at byte offset {FirstInvalidUtf8(content) + bomLength}");
        }

        if (content.Length % 2 != 0)
        {
            return Inspection.Skip(SkipReason.NotUtf8, "UTF-16 byte order mark but an odd number of bytes");
        }

        var probe = content[..Math.Min(content.Length, BinaryProbeBytes)];
        for (var i = 0; i < probe.Length; i += 2)
        {
            if (probe[i] == 0 && probe[i + 1] == 0)
            {
                return Inspection.Skip(SkipReason.Binary, $"NUL character at offset {i + bomLength}");
            }
        }

        try
        {
            _ = Utf16(encoding.Value).GetCharCount(content);
            return Inspection.Text(encoding.Value);
        }
        catch (DecoderFallbackException ex)
        {
            return Inspection.Skip(SkipReason.NotUtf8, $"invalid UTF-16 (unpaired surrogate) near byte offset {Math.Max(ex.Index, 0) + bomLength}");
        }
    }

    /// <summary>Reads and strictly decodes a file; see <see cref="SourceFile.ReadText"/>.</summary>
    public static string ReadText(string fullPath)
    {
        var bytes = File.ReadAllBytes(fullPath);
        return Decode(bytes, fullPath);
    }

    /// <summary>Reads a file as UTF-8 without a byte order mark; see <see cref="SourceFile.ReadUtf8Bytes"/>.</summary>
    public static byte[] ReadUtf8Bytes(string fullPath)
    {
        var bytes = File.ReadAllBytes(fullPath);
        var encoding = DetectEncoding(bytes, out var bomLength);
        if (encoding is SourceEncoding.Utf8 or SourceEncoding.Utf8WithBom)
        {
            if (!Utf8.IsValid(bytes.AsSpan(bomLength)))
            {
                throw new InvalidDataException($"'{fullPath}' is not valid UTF-8 (first invalid byte at offset {FirstInvalidUtf8(bytes.AsSpan(bomLength)) + bomLength}).");
            }

            return bomLength == 0 ? bytes : bytes[bomLength..];
        }

        return Encoding.UTF8.GetBytes(Decode(bytes, fullPath));
    }

    /// <summary>Formats a byte count for messages: <c>512 B</c>, <c>1.5 KiB</c>, <c>2 MiB</c>.</summary>
    public static string FormatSize(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {units[unit]}");
    }

    /// <summary>The detail for a file over the size limit.</summary>
    public static string TooLargeDetail(long length, long maxBytes) =>
        $"{FormatSize(length)} ({length} bytes) exceeds the limit of {FormatSize(maxBytes)}";

    private static string Decode(byte[] bytes, string fullPath)
    {
        var encoding = DetectEncoding(bytes, out var bomLength);
        try
        {
            return encoding switch
            {
                SourceEncoding.Utf8 or SourceEncoding.Utf8WithBom => StrictUtf8.GetString(bytes, bomLength, bytes.Length - bomLength),
                SourceEncoding.Utf16LittleEndian or SourceEncoding.Utf16BigEndian => Utf16(encoding.Value).GetString(bytes, bomLength, bytes.Length - bomLength),
                _ => throw new InvalidDataException($"'{fullPath}' is UTF-32, which is not supported."),
            };
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException($"'{fullPath}' is not valid {(encoding is SourceEncoding.Utf8 or SourceEncoding.Utf8WithBom ? "UTF-8" : "UTF-16")}.", ex);
        }
    }

    /// <summary>The encoding from the byte order mark; <c>null</c> for UTF-32, which is not supported.</summary>
    private static SourceEncoding? DetectEncoding(ReadOnlySpan<byte> bytes, out int bomLength)
    {
        bomLength = 0;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bomLength = 3;
            return SourceEncoding.Utf8WithBom;
        }

        // Checked before UTF-16 LE, whose mark is a prefix of UTF-32 LE's.
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]) || bytes.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            bomLength = 4;
            return null;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            bomLength = 2;
            return SourceEncoding.Utf16LittleEndian;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            bomLength = 2;
            return SourceEncoding.Utf16BigEndian;
        }

        return SourceEncoding.Utf8;
    }

    private static UnicodeEncoding Utf16(SourceEncoding encoding) =>
        encoding == SourceEncoding.Utf16BigEndian ? StrictUtf16BigEndian : StrictUtf16LittleEndian;

    /// <summary>Offset of the first byte that does not start a valid UTF-8 sequence; only called once validation failed.</summary>
    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return -1;
    }

    /// <summary>The outcome of inspecting a file: its encoding when it is acceptable text, otherwise why not.</summary>
    internal readonly record struct Inspection(SourceEncoding Encoding, SkipReason? Reason, string Detail)
    {
        public static Inspection Text(SourceEncoding encoding) => new(encoding, null, "");

        public static Inspection Skip(SkipReason reason, string detail) => new(SourceEncoding.Utf8, reason, detail);
    }
}
