using Microsoft.CodeAnalysis;

namespace StructuralChunking.Roslyn.Internal;

/// <summary>The running framework's assemblies as metadata references, for ad-hoc compilations of loose folders.</summary>
internal static class FrameworkReferences
{
    private static readonly Lazy<IReadOnlyList<MetadataReference>> Shared = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<IReadOnlyList<MetadataReference>> SharedAspNetCore = new(LoadAspNetCore, LazyThreadSafetyMode.ExecutionAndPublication);

    public static IReadOnlyList<MetadataReference> All => Shared.Value;

    /// <summary>The ASP.NET Core shared framework installed next to the running one (same major version), or none.</summary>
    public static IReadOnlyList<MetadataReference> AspNetCore => SharedAspNetCore.Value;

    private static List<MetadataReference> LoadAspNetCore()
    {
        var frameworkDirectory = new DirectoryInfo(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        var shared = frameworkDirectory.Parent?.Parent;
        var folder = shared is null ? null : new DirectoryInfo(Path.Combine(shared.FullName, "Microsoft.AspNetCore.App"));
        if (folder is null || !folder.Exists)
        {
            return [];
        }

        var major = frameworkDirectory.Name.Split('.')[0] + ".";
        var version = folder.GetDirectories().Where(d => d.Name.StartsWith(major, StringComparison.Ordinal))
            .OrderByDescending(d => d.Name, StringComparer.Ordinal).FirstOrDefault();
        return version is null
            ? []
            : version.GetFiles("*.dll").OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => (MetadataReference)MetadataReference.CreateFromFile(f.FullName)).ToList();
    }

    private static List<MetadataReference> Load()
    {
        // Only the shared framework folder: the trusted list of a test host or a tool also holds its own assemblies.
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var trusted = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string)?.Split(Path.PathSeparator) ?? [];
        var references = new List<MetadataReference>();
        foreach (var path in trusted.Order(StringComparer.Ordinal))
        {
            if (string.Equals(Path.GetDirectoryName(path), frameworkDirectory, StringComparison.Ordinal) &&
                path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            {
                references.Add(MetadataReference.CreateFromFile(path));
            }
        }

        return references;
    }
}
