using System.Text;
using StructuralChunking.Chunking;
using StructuralChunking.Discovery;

namespace StructuralChunking.Indexing;

/// <summary>
/// SHA-256 over the entry point and every path, with its content hash, that can change what gets indexed: the source
/// files discovery finds under the root and the solution and project files (which decide what a .sln or .csproj
/// includes). Build output and ignored folders do not count, so a build between two runs changes nothing.
/// </summary>
internal static class SourceFingerprint
{
    public static (string Fingerprint, Dictionary<string, string> Hashes) Compute(string entry, string root, SourceDiscoveryResult discovery, CancellationToken cancellationToken)
    {
        var paths = discovery.Files.Select(f => f.RelativePath)
            .Concat(discovery.Skipped.Where(s => !s.IsDirectory && s.Reason == SkipReason.UnsupportedLanguage && IsProjectFile(s.RelativePath)).Select(s => s.RelativePath));
        var lines = new StringBuilder();
        lines.Append(Path.GetRelativePath(root, Path.GetFullPath(entry)).Replace('\\', '/')).Append('\n');
        var hashes = FileHashes(root, paths, cancellationToken);
        foreach (var (path, hash) in hashes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            lines.Append(path).Append('\0').Append(hash).Append('\n');
        }

        return (ContentHash.Of(Encoding.UTF8.GetBytes(lines.ToString())), hashes);
    }

    /// <summary>Content hashes of files under <paramref name="root"/>; a file that vanished since discovery has none (the next run sees it as changed).</summary>
    public static Dictionary<string, string> FileHashes(string root, IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                hashes[path] = ContentHash.Of(File.ReadAllBytes(Path.Combine(root, path)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Left out: the file cannot be hashed now, so it counts as changed next time.
            }
        }

        return hashes;
    }

    private static bool IsProjectFile(string path) =>
        path.EndsWith(".sln", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".slnx", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith("proj", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".props", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".targets", StringComparison.OrdinalIgnoreCase);
}
