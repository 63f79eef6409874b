namespace StructuralChunking.Roslyn.Internal;

/// <summary>
/// Preprocessor symbols for a file of a folder compiled ad hoc: those of the project file nearest above it (read as
/// data), so that code inside <c>#if CLR_2_0</c> or <c>#if NET45</c> blocks is parsed as its own project builds it
/// instead of being dropped as inactive text.
/// </summary>
/// <remarks>
/// Several project files in one folder usually build the same sources for different platforms
/// (<c>Lib.csproj</c>, <c>Lib.Net20.csproj</c>, <c>Lib.Portable.csproj</c>): the one named after its folder is taken, else
/// the shortest name, so the main build's view wins and the symbols of mutually exclusive platforms are never mixed. A
/// project file that cannot be read, or is a link, contributes nothing. The search stops at the root of the load.
/// </remarks>
internal sealed class NearestProjectSymbols
{
    private readonly string _root;
    private readonly Dictionary<string, IReadOnlyList<string>> _byDirectory = new(StringComparer.Ordinal);

    public NearestProjectSymbols(string root) => _root = Path.GetFullPath(root);

    /// <summary>The symbols for a file at <paramref name="fullPath"/>; empty when no project file lies between it and the root.</summary>
    public IReadOnlyList<string> For(string fullPath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(fullPath));
        return directory is null ? [] : ForDirectory(directory);
    }

    private IReadOnlyList<string> ForDirectory(string directory)
    {
        if (_byDirectory.TryGetValue(directory, out var known))
        {
            return known;
        }

        IReadOnlyList<string> symbols = [];
        if (directory.StartsWith(_root, StringComparison.Ordinal))
        {
            var project = PreferredProject(directory);
            if (project is not null)
            {
                symbols = Read(project);
            }
            else if (!string.Equals(directory, _root, StringComparison.Ordinal) && Path.GetDirectoryName(directory) is { } parent)
            {
                symbols = ForDirectory(parent);
            }
        }

        _byDirectory[directory] = symbols;
        return symbols;
    }

    private static string? PreferredProject(string directory)
    {
        string[] projects;
        try
        {
            // A project file that is a link may point out of the code base: it is not read.
            projects = Directory.GetFiles(directory, "*.csproj", SearchOption.TopDirectoryOnly)
                .Where(p => new FileInfo(p).LinkTarget is null)
                .ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (projects.Length == 0)
        {
            return null;
        }

        var folderName = Path.GetFileName(directory);
        return projects
            .OrderBy(p => string.Equals(Path.GetFileNameWithoutExtension(p), folderName, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(p => Path.GetFileName(p).Length)
            .ThenBy(p => p, StringComparer.Ordinal)
            .First();
    }

    private static List<string> Read(string projectPath)
    {
        try
        {
            return StaticProjectReader.PreprocessorSymbols(StaticProjectReader.ReadProject(projectPath));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or System.Xml.XmlException)
        {
            return [];
        }
    }
}
