using System.Collections.Concurrent;
using System.Text;
using StructuralChunking.Text;

namespace StructuralChunking.Chunking;

/// <summary>
/// The source texts a chunker slices, keyed by path relative to the indexed root, each with its line and offset map.
/// Reads files on first use and keeps them; thread-safe.
/// </summary>
public sealed class SourceTexts
{
    private readonly string? _root;
    private readonly ConcurrentDictionary<string, SourceDocument?> _documents = new(StringComparer.Ordinal);

    private SourceTexts(string? root) => _root = root;

    /// <summary>Texts read on demand from files under <paramref name="root"/>.</summary>
    public static SourceTexts FromDirectory(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        return new SourceTexts(Path.GetFullPath(root));
    }

    /// <summary>Texts given in memory (tests, editors with unsaved buffers).</summary>
    public static SourceTexts FromMemory(IEnumerable<KeyValuePair<string, string>> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var result = new SourceTexts(null);
        foreach (var (path, text) in texts)
        {
            result._documents[path] = new SourceDocument(path, text);
        }

        return result;
    }

    /// <summary>The document at <paramref name="relativePath"/>, or <c>null</c> when it cannot be read.</summary>
    public SourceDocument? Get(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        return _documents.GetOrAdd(relativePath, static (path, root) => root is null ? null : Read(root, path), _root);
    }

    private static SourceDocument? Read(string root, string relativePath)
    {
        try
        {
            var full = Path.Combine(root, relativePath);
            // Detects UTF-8/UTF-16 byte-order marks; files reached here were validated by discovery or a front end.
            return new SourceDocument(relativePath, File.ReadAllText(full, Encoding.UTF8));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>One source file's text with its line map.</summary>
public sealed class SourceDocument
{
    /// <summary>Wraps <paramref name="text"/>.</summary>
    public SourceDocument(string path, string text)
    {
        Path = path;
        Text = text;
        Offsets = new Utf8OffsetMap(text);
    }

    /// <summary>Path relative to the indexed root.</summary>
    public string Path { get; }

    /// <summary>The decoded text.</summary>
    public string Text { get; }

    /// <summary>Line and offset conversions.</summary>
    public Utf8OffsetMap Offsets { get; }

    /// <summary>Number of lines.</summary>
    public int LineCount => Offsets.LineCount;

    /// <summary>The text of 1-based <paramref name="line"/>, without its line break.</summary>
    public ReadOnlySpan<char> Line(int line)
    {
        var start = Offsets.LineStartChar(line);
        return Text.AsSpan(start, Offsets.LineEndChar(line) - start);
    }

    /// <summary>The exact text of 1-based lines <paramref name="startLine"/> to <paramref name="endLine"/>, joined by <c>\n</c>.</summary>
    public string Lines(int startLine, int endLine)
    {
        startLine = Math.Clamp(startLine, 1, LineCount);
        endLine = Math.Clamp(endLine, startLine, LineCount);
        var builder = new StringBuilder();
        for (var line = startLine; line <= endLine; line++)
        {
            if (line > startLine)
            {
                builder.Append('\n');
            }

            builder.Append(Line(line));
        }

        return builder.ToString();
    }
}
