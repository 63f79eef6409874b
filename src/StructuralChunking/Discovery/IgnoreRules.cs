using System.Collections.Immutable;

namespace StructuralChunking.Discovery;

/// <summary>
/// The ignore files that apply in one folder, from the lowest precedence (<c>.git/info/exclude</c>, then the
/// root's files) to the highest (the folder's own files). Immutable, so sibling folders share their parent's rules.
/// </summary>
internal sealed class IgnoreRules
{
    private readonly ImmutableArray<IgnoreFile> _files;

    private IgnoreRules(ImmutableArray<IgnoreFile> files) => _files = files;

    /// <summary>No rules: nothing is ignored.</summary>
    public static IgnoreRules Empty { get; } = new([]);

    /// <summary>True when there is no pattern at all, so matching can be skipped.</summary>
    public bool IsEmpty => _files.All(static f => f.Patterns.IsEmpty);

    /// <summary>These rules plus <paramref name="files"/>, which take precedence over every file already present.</summary>
    public IgnoreRules With(IEnumerable<IgnoreFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var added = files.Where(static f => !f.Patterns.IsEmpty).ToArray();
        return added.Length == 0 ? this : new IgnoreRules(_files.AddRange(added));
    }

    /// <summary>
    /// The deciding pattern for a path relative to the discovery root: the last matching pattern of the
    /// highest-precedence file that has one; <c>null</c> when no pattern matches.
    /// </summary>
    public IgnoreMatch? Match(string relativePath, bool isDirectory)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        for (var i = _files.Length - 1; i >= 0; i--)
        {
            if (_files[i].Match(relativePath, isDirectory) is { } pattern)
            {
                return new IgnoreMatch(_files[i], pattern);
            }
        }

        return null;
    }

    /// <summary>True when the path is excluded by these rules.</summary>
    public bool IsIgnored(string relativePath, bool isDirectory) => Match(relativePath, isDirectory)?.IsIgnored == true;
}

/// <summary>The pattern that decided whether a path is ignored, and the file it came from.</summary>
internal readonly record struct IgnoreMatch(IgnoreFile File, GitIgnorePattern Pattern)
{
    /// <summary>True when the path is excluded; false when a <c>!</c> pattern re-included it.</summary>
    public bool IsIgnored => !Pattern.IsNegation;

    /// <summary>Human-readable explanation, for example <c>matched 'build/' in src/.gitignore line 3</c>.</summary>
    public string Describe() =>
        Pattern.LineNumber > 0
            ? $"matched '{Pattern.Text}' in {File.Source} line {Pattern.LineNumber}"
            : $"matched '{Pattern.Text}' in {File.Source}";
}
