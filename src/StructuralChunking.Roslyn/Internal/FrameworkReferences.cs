using Microsoft.CodeAnalysis;

namespace StructuralChunking.Roslyn.Internal;

/// <summary>The running framework's assemblies as metadata references, for ad-hoc compilations of loose folders.</summary>
internal static class FrameworkReferences
{
    private static readonly Lazy<IReadOnlyList<MetadataReference>> Shared = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static IReadOnlyList<MetadataReference> All => Shared.Value;

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
