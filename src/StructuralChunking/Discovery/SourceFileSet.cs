using System.Collections.Frozen;

namespace StructuralChunking.Discovery;

/// <summary>
/// The one file policy for every front end: a file listed by anything other than the walk itself (a solution, a project
/// file, a build system) is used only when <see cref="SourceDiscovery"/> accepted it, so ignore files, the symbolic link
/// rule, the root boundary, the size limit and the binary and encoding checks hold whoever listed the file.
/// </summary>
public sealed class SourceFileSet
{
    private readonly FrozenDictionary<string, SourceFile> _files;
    private readonly FrozenDictionary<string, SkippedPath> _skipped;

    /// <summary>Indexes <paramref name="discovery"/> by relative path.</summary>
    public SourceFileSet(SourceDiscoveryResult discovery)
    {
        ArgumentNullException.ThrowIfNull(discovery);
        Discovery = discovery;
        _files = discovery.Files.ToFrozenDictionary(static f => f.RelativePath, StringComparer.Ordinal);
        _skipped = discovery.Skipped.GroupBy(static s => s.RelativePath, StringComparer.Ordinal)
            .ToFrozenDictionary(static g => g.Key, static g => g.First(), StringComparer.Ordinal);
    }

    /// <summary>The walk this set answers for.</summary>
    public SourceDiscoveryResult Discovery { get; }

    /// <summary>
    /// Decides whether the file at <paramref name="fullPath"/> may be used. Returns the discovered file, or <c>null</c>
    /// with the reason in <paramref name="skipped"/>: the walk's own reason for the file or for the folder that holds
    /// it, <see cref="SkipReason.OutsideRoot"/> for a path outside the root, or <see cref="SkipReason.Unreadable"/>
    /// for a path the walk never saw (it does not exist).
    /// </summary>
    /// <param name="fullPath">An absolute path, as a build system lists it.</param>
    /// <param name="skipped">Why the file is not used; <c>null</c> when it is.</param>
    public SourceFile? Admit(string fullPath, out SkippedPath? skipped)
    {
        ArgumentException.ThrowIfNullOrEmpty(fullPath);
        var relative = Path.GetRelativePath(Discovery.Root, Path.GetFullPath(fullPath)).Replace('\\', '/');
        if (relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            skipped = new SkippedPath(relative, SkipReason.OutsideRoot, "listed by a project but outside the indexed root", IsDirectory: false);
            return null;
        }

        if (_files.TryGetValue(relative, out var file))
        {
            skipped = null;
            return file;
        }

        // The file itself, or the nearest folder above it that the walk skipped (and so never entered).
        for (var path = relative; path.Length > 0; path = ParentOf(path))
        {
            if (_skipped.TryGetValue(path, out var reason))
            {
                skipped = path == relative ? reason : reason with { RelativePath = relative, Detail = $"in '{path}/': {reason.Detail}", IsDirectory = false };
                return null;
            }
        }

        skipped = new SkippedPath(relative, SkipReason.Unreadable, "listed by a project but not found by the walk", IsDirectory: false);
        return null;
    }

    private static string ParentOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? string.Empty : path[..slash];
    }
}
