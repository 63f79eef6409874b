namespace StructuralChunking.TreeSitter.Internal;

/// <summary>Module names from relative paths.</summary>
internal static class ModuleNames
{
    /// <summary>
    /// <c>auth/middleware/admin_jwt_validator.py</c> → <c>auth.middleware.admin_jwt_validator</c> (dotted, with
    /// <c>pkg/__init__.py</c> → <c>pkg</c>); <c>lib/command.js</c> → <c>lib/command</c> (path).
    /// </summary>
    public static string Of(string relativePath, ModuleNaming naming)
    {
        if (naming == ModuleNaming.FilePath)
        {
            return relativePath;
        }

        var withoutExtension = StripExtension(relativePath);
        if (naming == ModuleNaming.Path)
        {
            return withoutExtension;
        }

        var dotted = withoutExtension.Replace('/', '.');
        if (dotted == "__init__")
        {
            return "__init__";
        }

        return dotted.EndsWith(".__init__", StringComparison.Ordinal) ? dotted[..^".__init__".Length] : dotted;
    }

    public static string StripExtension(string path)
    {
        var slash = path.LastIndexOf('/');
        var dot = path.LastIndexOf('.');
        return dot > slash + 1 ? path[..dot] : path;
    }

    /// <summary>Joins a relative import path (<c>./a</c>, <c>../b/c</c>) to a folder; null when it climbs above the root.</summary>
    public static string? Join(string directory, string relative)
    {
        var parts = directory.Length == 0 ? new List<string>() : [.. directory.Split('/')];
        foreach (var part in relative.Split('/'))
        {
            switch (part)
            {
                case "" or ".":
                    continue;
                case "..":
                    if (parts.Count == 0)
                    {
                        return null;
                    }

                    parts.RemoveAt(parts.Count - 1);
                    break;
                default:
                    parts.Add(part);
                    break;
            }
        }

        return string.Join('/', parts);
    }
}
