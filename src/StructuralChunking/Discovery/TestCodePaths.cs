namespace StructuralChunking.Discovery;

/// <summary>
/// Recognises test code by path, with the conventions of the supported languages: test folders (<c>test</c>,
/// <c>tests</c>, <c>__tests__</c>, <c>spec</c>, <c>specs</c>, <c>testing</c>, <c>Foo.Tests</c>, <c>Foo.UnitTests</c>) and test
/// file names (<c>*.test.ts</c>, <c>*.spec.js</c>, <c>*_test.go</c>, <c>test_*.py</c>, <c>*_test.py</c>, <c>conftest.py</c>,
/// <c>*_spec.rb</c>, <c>FooTest.java</c>, <c>FooTests.cs</c>).
/// </summary>
/// <remarks>
/// Front ends mark the symbols of test code themselves (a C# test project, the same path conventions); this is what
/// code outside every definition (file-level statements such as <c>describe(…)</c> and <c>test(…)</c> blocks) is judged by.
/// </remarks>
public static class TestCodePaths
{
    private static readonly string[] Folders = ["test", "tests", "__tests__", "spec", "specs", "testing"];
    private static readonly string[] FolderSuffixes = [".tests", ".test", ".unittests", ".integrationtests", ".specs"];

    /// <summary>True when <paramref name="relativePath"/> (separated by <c>/</c>) is test code by convention.</summary>
    public static bool IsTest(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var parts = relativePath.Replace('\\', '/').Split('/');
        for (var i = 0; i < parts.Length - 1; i++)
        {
            var folder = parts[i];
            if (Folders.Contains(folder, StringComparer.OrdinalIgnoreCase) || FolderSuffixes.Any(s => folder.EndsWith(s, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        var name = parts[^1];
        var dot = name.IndexOf('.', 1);
        var stem = dot > 0 ? name[..dot] : name;
        var lastDot = name.LastIndexOf('.');
        var withoutExtension = lastDot > 0 ? name[..lastDot] : name;
        return name.StartsWith("test_", StringComparison.Ordinal) || name == "conftest.py"
            || stem.EndsWith("_test", StringComparison.Ordinal) || stem.EndsWith("_spec", StringComparison.Ordinal)
            || withoutExtension.EndsWith(".test", StringComparison.Ordinal) || withoutExtension.EndsWith(".spec", StringComparison.Ordinal)
            || (withoutExtension.Length > 4 && (withoutExtension.EndsWith("Test", StringComparison.Ordinal) || withoutExtension.EndsWith("Tests", StringComparison.Ordinal))
                && char.IsLower(withoutExtension[^(withoutExtension.EndsWith('s') ? 6 : 5)]));
    }
}
