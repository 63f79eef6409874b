using System.Collections.Immutable;

namespace StructuralChunking.Discovery;

/// <summary>The patterns of one ignore file (<c>.gitignore</c>, <c>.git/info/exclude</c> or the project ignore file).</summary>
internal sealed class IgnoreFile
{
    private IgnoreFile(string source, string baseDirectory, ImmutableArray<GitIgnorePattern> patterns)
    {
        Source = source;
        BaseDirectory = baseDirectory;
        Patterns = patterns;
    }

    /// <summary>Where the patterns came from, relative to the discovery root, for messages (for example <c>src/.gitignore</c>).</summary>
    public string Source { get; }

    /// <summary>Folder the patterns are relative to, from the discovery root; empty for the root itself.</summary>
    public string BaseDirectory { get; }

    /// <summary>The patterns in file order; later ones take precedence.</summary>
    public ImmutableArray<GitIgnorePattern> Patterns { get; }

    /// <summary>Parses the content of an ignore file.</summary>
    /// <param name="source">Path of the file, for messages.</param>
    /// <param name="baseDirectory">Folder the patterns apply to, relative to the discovery root, with <c>/</c> separators; empty for the root.</param>
    /// <param name="content">The file's text.</param>
    public static IgnoreFile Parse(string source, string baseDirectory, string content)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        ArgumentNullException.ThrowIfNull(content);

        // git skips a UTF-8 byte order mark at the start of an ignore file.
        var text = content.AsSpan().TrimStart('\uFEFF');
        var patterns = ImmutableArray.CreateBuilder<GitIgnorePattern>();
        var lineNumber = 0;
        while (!text.IsEmpty)
        {
            var newline = text.IndexOf('\n');
            var line = newline < 0 ? text : text[..newline];
            text = newline < 0 ? [] : text[(newline + 1)..];
            lineNumber++;
            if (GitIgnorePattern.Parse(line.ToString(), lineNumber) is { } pattern)
            {
                patterns.Add(pattern);
            }
        }

        return new IgnoreFile(source, baseDirectory, patterns.ToImmutable());
    }

    /// <summary>The last pattern that matches, or <c>null</c>; <paramref name="relativePath"/> is relative to the discovery root.</summary>
    public GitIgnorePattern? Match(string relativePath, bool isDirectory)
    {
        string local;
        if (BaseDirectory.Length == 0)
        {
            local = relativePath;
        }
        else if (relativePath.Length > BaseDirectory.Length
            && relativePath[BaseDirectory.Length] == '/'
            && relativePath.StartsWith(BaseDirectory, StringComparison.Ordinal))
        {
            local = relativePath[(BaseDirectory.Length + 1)..];
        }
        else
        {
            return null;
        }

        for (var i = Patterns.Length - 1; i >= 0; i--)
        {
            if (Patterns[i].IsMatch(local, isDirectory))
            {
                return Patterns[i];
            }
        }

        return null;
    }
}
