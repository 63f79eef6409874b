using System.Text;

namespace StructuralChunking.Text;

/// <summary>
/// Converts between UTF-16 character offsets (what .NET strings and Roslyn use) and UTF-8 byte offsets (what
/// <see cref="Graph.SourceLocation"/> and tree-sitter use) for one text, and gives 1-based line numbers.
/// </summary>
/// <remarks>
/// Pure-ASCII texts, the common case for source code, need no table: offsets are equal. Otherwise the map keeps the
/// character and byte offset of each line start, so a conversion costs a binary search plus one line's worth of
/// counting. Byte offsets refer to the UTF-8 encoding of the text without a byte-order mark.
/// </remarks>
public sealed class Utf8OffsetMap
{
    private readonly string _text;
    private readonly bool _isAscii;
    private readonly int[] _lineStartChars;
    private readonly int[] _lineStartBytes;

    /// <summary>Builds the map for <paramref name="text"/> (lines end at <c>\n</c>; <c>\r\n</c> counts as one line end).</summary>
    public Utf8OffsetMap(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _text = text;
        _isAscii = Ascii.IsValid(text);

        var starts = new List<int> { 0 };
        var index = 0;
        while ((index = text.IndexOf('\n', index)) >= 0)
        {
            starts.Add(++index);
        }

        _lineStartChars = [.. starts];
        if (_isAscii)
        {
            _lineStartBytes = _lineStartChars;
        }
        else
        {
            _lineStartBytes = new int[_lineStartChars.Length];
            for (var line = 1; line < _lineStartChars.Length; line++)
            {
                var from = _lineStartChars[line - 1];
                _lineStartBytes[line] = _lineStartBytes[line - 1] + Encoding.UTF8.GetByteCount(text.AsSpan(from, _lineStartChars[line] - from));
            }
        }

        ByteLength = _isAscii ? text.Length : Encoding.UTF8.GetByteCount(text);
    }

    /// <summary>Number of lines (a trailing newline starts an empty last line).</summary>
    public int LineCount => _lineStartChars.Length;

    /// <summary>Length of the text's UTF-8 encoding in bytes.</summary>
    public int ByteLength { get; }

    /// <summary>The UTF-8 byte offset of character offset <paramref name="charOffset"/>.</summary>
    public int ToByteOffset(int charOffset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(charOffset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(charOffset, _text.Length);
        if (_isAscii)
        {
            return charOffset;
        }

        var line = LineIndexOfChar(charOffset);
        var lineStart = _lineStartChars[line];
        return _lineStartBytes[line] + Encoding.UTF8.GetByteCount(_text.AsSpan(lineStart, charOffset - lineStart));
    }

    /// <summary>The character offset of UTF-8 byte offset <paramref name="byteOffset"/> (rounded down to a character start).</summary>
    public int ToCharOffset(int byteOffset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteOffset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(byteOffset, ByteLength);
        if (_isAscii)
        {
            return byteOffset;
        }

        var line = Array.BinarySearch(_lineStartBytes, byteOffset);
        if (line < 0)
        {
            line = ~line - 1;
        }

        var chars = _lineStartChars[line];
        var bytes = _lineStartBytes[line];
        while (chars < _text.Length)
        {
            var width = char.IsHighSurrogate(_text[chars]) && chars + 1 < _text.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(_text.AsSpan(chars, width));
            if (bytes + size > byteOffset)
            {
                break;
            }

            bytes += size;
            chars += width;
        }

        return chars;
    }

    /// <summary>The 1-based line that contains character offset <paramref name="charOffset"/>.</summary>
    public int LineOfChar(int charOffset) => LineIndexOfChar(charOffset) + 1;

    /// <summary>The 1-based line that contains UTF-8 byte offset <paramref name="byteOffset"/>.</summary>
    public int LineOfByte(int byteOffset)
    {
        var line = Array.BinarySearch(_lineStartBytes, byteOffset);
        return (line < 0 ? ~line - 1 : line) + 1;
    }

    /// <summary>The character offset where 1-based <paramref name="line"/> starts.</summary>
    public int LineStartChar(int line) => _lineStartChars[Math.Clamp(line, 1, LineCount) - 1];

    /// <summary>The character offset just past the end of 1-based <paramref name="line"/>, excluding its line break.</summary>
    public int LineEndChar(int line)
    {
        line = Math.Clamp(line, 1, LineCount);
        var end = line < LineCount ? _lineStartChars[line] - 1 : _text.Length;
        if (end > 0 && end <= _text.Length && end > _lineStartChars[line - 1] && _text[end - 1] == '\r')
        {
            end--;
        }

        return Math.Max(end, _lineStartChars[line - 1]);
    }

    private int LineIndexOfChar(int charOffset)
    {
        var line = Array.BinarySearch(_lineStartChars, charOffset);
        return line < 0 ? ~line - 1 : line;
    }
}
