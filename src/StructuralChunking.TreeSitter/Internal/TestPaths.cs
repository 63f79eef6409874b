namespace StructuralChunking.TreeSitter.Internal;

/// <summary>Recognises test code by path: test folders and the usual test file name patterns.</summary>
internal static class TestPaths
{
    private static readonly string[] Folders = ["test", "tests", "__tests__", "spec", "specs", "testing"];

    public static bool IsTest(string relativePath)
    {
        var parts = relativePath.Split('/');
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (Folders.Contains(parts[i], StringComparer.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        var name = parts[^1];
        var stem = ModuleNames.StripExtension(name);
        return name.StartsWith("test_", StringComparison.Ordinal) || stem.EndsWith("_test", StringComparison.Ordinal)
            || stem.EndsWith(".test", StringComparison.Ordinal) || stem.EndsWith(".spec", StringComparison.Ordinal)
            || stem.EndsWith("_spec", StringComparison.Ordinal)
            || (stem.EndsWith("Test", StringComparison.Ordinal) && stem.Length > 4) || stem.EndsWith("Tests", StringComparison.Ordinal);
    }
}
