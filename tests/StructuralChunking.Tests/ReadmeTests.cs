using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests;

/// <summary>
/// The README's library examples are the consumer app's code (tests/Consumer/App), which .ci/run compiles and runs
/// against the packed packages; this keeps the two from drifting apart.
/// </summary>
public sealed class ReadmeTests
{
    [Theory]
    [InlineData("Program.cs", "// README: entry point")]
    [InlineData("LowLevel.cs", "// README: low level")]
    public void The_readme_shows_the_consumer_apps_code_verbatim(string file, string startMarker)
    {
        var source = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "Consumer", "App", file)).ReplaceLineEndings("\n");
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md")).ReplaceLineEndings("\n");
        var start = source.IndexOf(startMarker, StringComparison.Ordinal);
        var end = source.IndexOf("// README: end", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"{file} lacks its README markers");

        var snippet = source[(source.IndexOf('\n', start) + 1)..end].TrimEnd('\n') + "\n";
        Assert.Contains("```csharp\n" + snippet + "```", readme, StringComparison.Ordinal);
    }
}
