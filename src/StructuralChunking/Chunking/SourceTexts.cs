using System.Collections.Concurrent;
using System.Text;
using StructuralChunking.Discovery;
using StructuralChunking.Security;
using StructuralChunking.Text;

namespace StructuralChunking.Chunking;

/// <summary>
/// The source texts a chunker slices, keyed by path relative to the indexed root, each with its line and offset map.
/// Reads files on first use and keeps them; thread-safe.
/// </summary>
/// <remarks>
/// Secrets are masked as texts are read (see <see cref="SecretRedactor.Mask"/>): lengths, line breaks and offsets stay
/// as they were, so spans computed by a front end on the original file still fit, but no chunk text made from these
/// documents holds the secret. <see cref="Redactions"/> lists what was masked.
/// </remarks>
public sealed class SourceTexts
{
    private readonly string? _root;
    private readonly bool _redactSecrets;
    private readonly ConcurrentDictionary<string, SourceDocument?> _documents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<SecretRedaction>> _redactions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SkippedPath> _failures = new(StringComparer.Ordinal);

    private SourceTexts(string? root, bool redactSecrets)
    {
        _root = root;
        _redactSecrets = redactSecrets;
    }

    /// <summary>Texts read on demand from files under <paramref name="root"/>.</summary>
    /// <param name="root">The indexed root.</param>
    /// <param name="redactSecrets">Mask secret-looking content (default <c>true</c>).</param>
    public static SourceTexts FromDirectory(string root, bool redactSecrets = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        return new SourceTexts(Path.GetFullPath(root), redactSecrets);
    }

    /// <summary>Texts given in memory (tests, editors with unsaved buffers).</summary>
    /// <param name="texts">Texts by relative path.</param>
    /// <param name="redactSecrets">Mask secret-looking content (default <c>true</c>).</param>
    public static SourceTexts FromMemory(IEnumerable<KeyValuePair<string, string>> texts, bool redactSecrets = true)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var result = new SourceTexts(null, redactSecrets);
        foreach (var (path, text) in texts)
        {
            result._documents[path] = new SourceDocument(path, result.Redact(path, text));
        }

        return result;
    }

    /// <summary>The secrets masked in the documents read so far (path, line, kind; never the secret), ordered by path and line.</summary>
    public IReadOnlyList<SecretRedaction> Redactions =>
        [.. _redactions.Values.SelectMany(static r => r).OrderBy(static r => r.Path, StringComparer.Ordinal).ThenBy(static r => r.Line)];

    /// <summary>
    /// Files that could not be read when a chunker asked for them (they vanished or changed into something that is not
    /// text since a front end listed them), each as <see cref="SkipReason.Changed"/> with the error; ordered by path.
    /// </summary>
    public IReadOnlyList<SkippedPath> Failures => [.. _failures.Values.OrderBy(static f => f.RelativePath, StringComparer.Ordinal)];

    private string Redact(string path, string text)
    {
        if (!_redactSecrets)
        {
            return text;
        }

        var found = new List<SecretRedaction>();
        var masked = SecretRedactor.Mask(text, path, found);
        if (found.Count > 0)
        {
            _redactions[path] = found;
        }

        return masked;
    }

    /// <summary>The document at <paramref name="relativePath"/>, or <c>null</c> when it cannot be read.</summary>
    public SourceDocument? Get(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        return _documents.GetOrAdd(relativePath, static (path, self) => self._root is null ? null : self.Read(self._root, path), this);
    }

    private SourceDocument? Read(string root, string relativePath)
    {
        try
        {
            // Strict decoding (UTF-8 or UTF-16 by byte order mark): a file that changed into something else since
            // discovery is treated as unreadable rather than garbled.
            var text = SourceContent.ReadText(Path.Combine(root, relativePath));
            return new SourceDocument(relativePath, Redact(relativePath, text));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            _failures[relativePath] = new SkippedPath(relativePath, SkipReason.Changed, $"could not be read for chunking: {ex.Message}", IsDirectory: false);
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
