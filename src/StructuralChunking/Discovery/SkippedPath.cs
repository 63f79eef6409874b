namespace StructuralChunking.Discovery;

/// <summary>A file or folder that source discovery left out, and why.</summary>
/// <param name="RelativePath">Path relative to the discovery root, with <c>/</c> separators; <c>.</c> for the root itself.</param>
/// <param name="Reason">The kind of reason.</param>
/// <param name="Detail">
/// Human-readable specifics, for example <c>matched 'build/' in src/.gitignore line 3</c> or
/// <c>2.4 MiB exceeds the limit of 2 MiB</c>.
/// </param>
/// <param name="IsDirectory">True for a folder (or a link to one); nothing below a skipped folder is reported.</param>
public sealed record SkippedPath(string RelativePath, SkipReason Reason, string Detail, bool IsDirectory)
{
    /// <inheritdoc />
    public override string ToString() => $"{RelativePath}{(IsDirectory ? "/" : "")}: {Reason} ({Detail})";
}
