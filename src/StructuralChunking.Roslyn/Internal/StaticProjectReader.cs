using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace StructuralChunking.Roslyn.Internal;

/// <summary>
/// What a project file says, read as XML without evaluating it: no target, task, property function or import runs,
/// so reading a hostile project cannot execute anything.
/// </summary>
internal sealed record StaticProject(
    string FilePath,
    string Name,
    bool IsSdkStyle,
    bool IsWebSdk,
    bool EnableDefaultCompileItems,
    IReadOnlyList<string> CompileIncludes,
    IReadOnlyList<string> CompileRemoves,
    IReadOnlyList<string> ProjectReferences,
    IReadOnlyList<string> PackageReferences,
    IReadOnlyList<string> FrameworkReferences,
    IReadOnlyList<string> Usings,
    IReadOnlyList<string> UsingRemoves,
    bool ImplicitUsings,
    bool Nullable,
    bool AllowUnsafe,
    string? LangVersion,
    string? TargetFramework,
    IReadOnlyList<string> DefineConstants,
    IReadOnlyList<string> Unresolved)
{
    public string Directory => Path.GetDirectoryName(FilePath)!;
}

/// <summary>
/// Reads solutions (<c>.sln</c>, <c>.slnx</c>), projects (<c>.csproj</c>) and a previous restore's
/// <c>obj/project.assets.json</c> as plain data. Conditions are not evaluated (every item counts), imports (including
/// <c>Directory.Build.props</c>) are not followed, and only simple <c>$(Property)</c> references are substituted.
/// </summary>
internal static partial class StaticProjectReader
{
    // Guards against absurd inputs: a hostile project or assets file is still bounded work.
    private const long MaxProjectFileBytes = 4 * 1024 * 1024;
    private const long MaxAssetsFileBytes = 64 * 1024 * 1024;

    private static readonly XmlReaderSettings SafeXml = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxProjectFileBytes,
        IgnoreComments = true,
    };

    /// <summary>The project files a solution lists (C# projects only), as full paths, in solution order.</summary>
    public static List<string> ReadSolution(string solutionPath)
    {
        var folder = Path.GetDirectoryName(solutionPath)!;
        var projects = new List<string>();
        if (solutionPath.EndsWith(".slnx", StringComparison.OrdinalIgnoreCase))
        {
            var document = LoadXml(solutionPath);
            foreach (var element in document.Descendants().Where(e => e.Name.LocalName == "Project"))
            {
                if (element.Attribute("Path")?.Value is { Length: > 0 } path && path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
                {
                    projects.Add(Path.GetFullPath(Path.Combine(folder, Normalize(path))));
                }
            }
        }
        else
        {
            foreach (Match match in SolutionProjectLine().Matches(ReadBounded(solutionPath, MaxProjectFileBytes)))
            {
                var path = match.Groups["path"].Value;
                if (path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
                {
                    projects.Add(Path.GetFullPath(Path.Combine(folder, Normalize(path))));
                }
            }
        }

        return projects.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Reads one project file.</summary>
    /// <exception cref="InvalidDataException">The file is not well-formed XML or too large.</exception>
    public static StaticProject ReadProject(string projectPath)
    {
        var document = LoadXml(projectPath);
        var root = document.Root ?? throw new InvalidDataException($"'{projectPath}' has no root element.");
        var directory = Path.GetDirectoryName(projectPath)!;
        var sdk = root.Attribute("Sdk")?.Value
            ?? root.Elements().FirstOrDefault(e => e.Name.LocalName == "Sdk")?.Attribute("Name")?.Value
            ?? root.Elements().FirstOrDefault(e => e.Name.LocalName == "Import" && e.Attribute("Sdk") is not null)?.Attribute("Sdk")?.Value;

        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["MSBuildProjectDirectory"] = directory,
            ["MSBuildThisFileDirectory"] = directory + Path.DirectorySeparatorChar,
            ["MSBuildProjectName"] = Path.GetFileNameWithoutExtension(projectPath),
            ["MSBuildProjectFile"] = Path.GetFileName(projectPath),
            ["BaseIntermediateOutputPath"] = "obj" + Path.DirectorySeparatorChar,
            ["BaseOutputPath"] = "bin" + Path.DirectorySeparatorChar,
            ["IntermediateOutputPath"] = "obj" + Path.DirectorySeparatorChar,
            ["OutputPath"] = "bin" + Path.DirectorySeparatorChar,
            ["Configuration"] = "Debug",
        };

        var unresolved = new List<string>();
        foreach (var property in root.Elements().Where(e => e.Name.LocalName == "PropertyGroup").SelectMany(g => g.Elements()))
        {
            // Later definitions win, as in MSBuild; conditions are not evaluated, so a conditional value only fills a gap.
            var name = property.Name.LocalName;
            var conditional = property.Attribute("Condition") is not null || property.Parent!.Attribute("Condition") is not null;
            if (conditional && properties.ContainsKey(name))
            {
                continue;
            }

            properties[name] = Substitute(property.Value.Trim(), properties, unresolved);
        }

        var items = root.Elements().Where(e => e.Name.LocalName == "ItemGroup").SelectMany(g => g.Elements()).ToList();
        List<string> Values(string itemType, string attribute) => items
            .Where(e => e.Name.LocalName == itemType && e.Attribute(attribute) is not null)
            .SelectMany(e => SplitList(Substitute(e.Attribute(attribute)!.Value, properties, unresolved)))
            .ToList();

        var isSdk = sdk is not null;
        string? Property(string name) => properties.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
        bool Flag(string name, bool fallback) => Property(name) is { } value
            ? value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("enable", StringComparison.OrdinalIgnoreCase)
            : fallback;

        var targetFramework = Property("TargetFramework") ?? SplitList(Property("TargetFrameworks") ?? "").FirstOrDefault();
        return new StaticProject(
            projectPath,
            Property("AssemblyName") ?? Path.GetFileNameWithoutExtension(projectPath),
            isSdk,
            sdk?.Contains(".Web", StringComparison.OrdinalIgnoreCase) == true,
            isSdk && Flag("EnableDefaultItems", true) && Flag("EnableDefaultCompileItems", true),
            Values("Compile", "Include"),
            Values("Compile", "Remove"),
            Values("ProjectReference", "Include"),
            Values("PackageReference", "Include"),
            Values("FrameworkReference", "Include"),
            Values("Using", "Include"),
            Values("Using", "Remove"),
            isSdk && Flag("ImplicitUsings", false),
            Flag("Nullable", false),
            Flag("AllowUnsafeBlocks", false),
            Property("LangVersion"),
            targetFramework,
            SplitList(Property("DefineConstants") ?? ""),
            unresolved.Distinct(StringComparer.OrdinalIgnoreCase).ToList());
    }

    /// <summary>
    /// Compile-time assemblies of the packages a previous restore resolved for <paramref name="project"/>, read from
    /// <c>obj/project.assets.json</c> (never written or refreshed here). Only files inside the restore's package
    /// folders are returned. <c>null</c> when there is no assets file.
    /// </summary>
    public static List<string>? ReadRestoredAssemblies(StaticProject project, out string? problem)
    {
        problem = null;
        var assetsPath = Path.Combine(project.Directory, "obj", "project.assets.json");
        if (!File.Exists(assetsPath))
        {
            return null;
        }

        try
        {
            using var stream = new FileStream(assetsPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length > MaxAssetsFileBytes)
            {
                problem = $"obj/project.assets.json is larger than {MaxAssetsFileBytes / (1024 * 1024)} MiB; package references are not resolved.";
                return [];
            }

            using var json = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 64 });
            var root = json.RootElement;
            var folders = new List<string>();
            if (root.TryGetProperty("packageFolders", out var packageFolders) && packageFolders.ValueKind == JsonValueKind.Object)
            {
                folders.AddRange(packageFolders.EnumerateObject().Select(p => Path.GetFullPath(p.Name)));
            }

            var libraryPaths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("libraries", out var libraries) && libraries.ValueKind == JsonValueKind.Object)
            {
                foreach (var library in libraries.EnumerateObject())
                {
                    if (library.Value.ValueKind == JsonValueKind.Object && library.Value.TryGetProperty("path", out var path) && path.ValueKind == JsonValueKind.String)
                    {
                        libraryPaths[library.Name] = path.GetString()!;
                    }
                }
            }

            if (!root.TryGetProperty("targets", out var targets) || targets.ValueKind != JsonValueKind.Object)
            {
                return [];
            }

            var target = targets.EnumerateObject()
                .OrderByDescending(t => project.TargetFramework is { } tfm && TargetMatches(t.Name, tfm))
                .ThenBy(t => t.Name.Contains('/', StringComparison.Ordinal)) // a runtime-specific target only when nothing else
                .Select(t => (JsonElement?)t.Value)
                .FirstOrDefault();
            if (target is not { ValueKind: JsonValueKind.Object } selected)
            {
                return [];
            }

            var assemblies = new List<string>();
            foreach (var library in selected.EnumerateObject())
            {
                if (library.Value.ValueKind != JsonValueKind.Object
                    || !library.Value.TryGetProperty("type", out var type) || type.GetString() != "package"
                    || !library.Value.TryGetProperty("compile", out var compile) || compile.ValueKind != JsonValueKind.Object
                    || !libraryPaths.TryGetValue(library.Name, out var libraryPath))
                {
                    continue;
                }

                foreach (var asset in compile.EnumerateObject())
                {
                    if (!asset.Name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                    {
                        continue; // "_._" marks a package with nothing to compile against
                    }

                    foreach (var folder in folders)
                    {
                        var candidate = Path.GetFullPath(Path.Combine(folder, libraryPath, asset.Name));
                        if (IsInside(candidate, folder) && File.Exists(candidate))
                        {
                            assemblies.Add(candidate);
                            break;
                        }
                    }
                }
            }

            return assemblies;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            problem = $"obj/project.assets.json could not be read ({ex.Message}); package references are not resolved.";
            return [];
        }
    }

    /// <summary>Preprocessor symbols the SDK defines for a configuration and target framework, plus the project's own.</summary>
    public static List<string> PreprocessorSymbols(StaticProject project)
    {
        var symbols = new List<string> { "DEBUG", "TRACE" };
        if (project.TargetFramework is { } tfm && TargetFrameworkVersion().Match(tfm) is { Success: true } match)
        {
            var major = int.Parse(match.Groups["major"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var minor = match.Groups["minor"].Success ? int.Parse(match.Groups["minor"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            if (major >= 5)
            {
                symbols.Add("NET");
                symbols.Add("NETCOREAPP");
                symbols.Add($"NET{major}_{minor}");
                for (var version = 5; version <= major; version++)
                {
                    symbols.Add($"NET{version}_0_OR_GREATER");
                }

                symbols.Add("NETCOREAPP3_1_OR_GREATER");
            }
        }

        // The compiler takes ',' as well as ';' between symbols (DefineConstants of older projects: "TRACE;CLR_2_0,NET_2_0").
        symbols.AddRange(project.DefineConstants
            .SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(s => s.Length > 0 && !s.Contains('$', StringComparison.Ordinal)));
        return symbols.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// A matcher for MSBuild item globs (<c>**</c>, <c>*</c>, <c>?</c>; <c>;</c>-separated lists already split) relative to
    /// <paramref name="baseDirectory"/>; matches full paths.
    /// </summary>
    public static Func<string, bool> GlobMatcher(string baseDirectory, IReadOnlyList<string> patterns)
    {
        if (patterns.Count == 0)
        {
            return static _ => false;
        }

        var regexes = patterns.Select(p => new Regex(GlobToRegex(Path.GetFullPath(Path.Combine(baseDirectory, Normalize(p))).Replace('\\', '/')),
            RegexOptions.CultureInvariant | (OperatingSystem.IsWindows() ? RegexOptions.IgnoreCase : RegexOptions.None), TimeSpan.FromSeconds(1))).ToList();
        return path =>
        {
            var normalized = path.Replace('\\', '/');
            foreach (var regex in regexes)
            {
                try
                {
                    if (regex.IsMatch(normalized))
                    {
                        return true;
                    }
                }
                catch (RegexMatchTimeoutException)
                {
                    // A pathological pattern matches nothing rather than stalling the load.
                }
            }

            return false;
        };
    }

    public static bool IsInside(string fullPath, string folder)
    {
        var relative = Path.GetRelativePath(folder, fullPath);
        return relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }

    internal static string Normalize(string path) => path.Trim().Replace('\\', Path.DirectorySeparatorChar).Replace('/', Path.DirectorySeparatorChar);

    private static string GlobToRegex(string glob)
    {
        var builder = new System.Text.StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                var slashAfter = i + 2 < glob.Length && glob[i + 2] == '/';
                builder.Append(slashAfter ? "(?:[^/]*/)*" : ".*");
                i += slashAfter ? 2 : 1;
            }
            else if (c == '*')
            {
                builder.Append("[^/]*");
            }
            else if (c == '?')
            {
                builder.Append("[^/]");
            }
            else
            {
                builder.Append(Regex.Escape(c.ToString()));
            }
        }

        return builder.Append('$').ToString();
    }

    private static bool TargetMatches(string targetName, string tfm)
    {
        var name = targetName.Split('/')[0];
        if (name.Equals(tfm, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // "net10.0" in the project, ".NETCoreApp,Version=v10.0" in older assets files.
        return TargetFrameworkVersion().Match(tfm) is { Success: true } match
            && name.EndsWith("v" + match.Groups["major"].Value + "." + (match.Groups["minor"].Success ? match.Groups["minor"].Value : "0"), StringComparison.OrdinalIgnoreCase);
    }

    private static string[] SplitList(string value) =>
        value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Substitute(string value, Dictionary<string, string> properties, List<string> unresolved) =>
        !value.Contains("$(", StringComparison.Ordinal)
            ? value
            : PropertyReference().Replace(value, match =>
            {
                var name = match.Groups["name"].Value;
                if (properties.TryGetValue(name, out var known))
                {
                    return known;
                }

                unresolved.Add(name);
                return string.Empty;
            });

    private static XDocument LoadXml(string path)
    {
        var text = ReadBounded(path, MaxProjectFileBytes);
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), SafeXml);
            return XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            throw new InvalidDataException($"'{Path.GetFileName(path)}' is not well-formed XML: {ex.Message}", ex);
        }
    }

    private static string ReadBounded(string path, long maxBytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length > maxBytes)
        {
            throw new InvalidDataException($"'{Path.GetFileName(path)}' is larger than {maxBytes / (1024 * 1024)} MiB.");
        }

        using var reader = new StreamReader(stream, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    // Project("{type guid}") = "Name", "relative\path.csproj", "{project guid}"
    [GeneratedRegex("""^\s*Project\("\{[^}]*\}"\)\s*=\s*"[^"]*"\s*,\s*"(?<path>[^"]+)"\s*,""", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex SolutionProjectLine();

    [GeneratedRegex(@"\$\((?<name>[A-Za-z_][A-Za-z0-9_.\-]*)\)", RegexOptions.CultureInvariant)]
    private static partial Regex PropertyReference();

    [GeneratedRegex(@"^net(?:coreapp)?(?<major>\d+)(?:\.(?<minor>\d+))?", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex TargetFrameworkVersion();
}
