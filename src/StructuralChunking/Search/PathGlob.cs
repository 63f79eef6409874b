namespace StructuralChunking.Search;

/// <summary>
/// Matches forward-slash paths against a glob: <c>*</c> any characters within a folder name, <c>**</c> any number of
/// folders, <c>?</c> one character. A glob without a slash matches the file name anywhere (<c>*.cs</c>).
/// </summary>
internal static class PathGlob
{
    public static bool IsMatch(string glob, string path)
    {
        if (!glob.Contains('/', StringComparison.Ordinal))
        {
            var slash = path.LastIndexOf('/');
            return Match(glob.AsSpan(), path.AsSpan(slash + 1));
        }

        return Match(glob.AsSpan().TrimStart('/'), path.AsSpan());
    }

    private static bool Match(ReadOnlySpan<char> glob, ReadOnlySpan<char> path)
    {
        while (glob.Length > 0)
        {
            if (glob.StartsWith("**", StringComparison.Ordinal))
            {
                var rest = glob[2..].TrimStart('/');
                for (var i = 0; i <= path.Length; i++)
                {
                    if ((i == 0 || path[i - 1] == '/') && Match(rest, path[i..]))
                    {
                        return true;
                    }
                }

                return rest.Length == 0;
            }

            if (glob[0] == '*')
            {
                var rest = glob[1..];
                for (var i = 0; i <= path.Length; i++)
                {
                    if (Match(rest, path[i..]))
                    {
                        return true;
                    }

                    if (i < path.Length && path[i] == '/')
                    {
                        return false;
                    }
                }

                return false;
            }

            if (path.Length == 0 || (glob[0] != '?' && glob[0] != path[0]) || (glob[0] == '?' && path[0] == '/'))
            {
                return false;
            }

            glob = glob[1..];
            path = path[1..];
        }

        return path.Length == 0;
    }
}
