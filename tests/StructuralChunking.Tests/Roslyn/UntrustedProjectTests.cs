using StructuralChunking.Discovery;
using StructuralChunking.Graph;
using StructuralChunking.Roslyn;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Roslyn;

/// <summary>Indexing a repository must not run its code, and every file it lists obeys the discovery rules.</summary>
public sealed class UntrustedProjectTests
{
    // Runs on every target invocation (InitialTargets) and before compilation, as a hostile repository would arrange.
    private const string HostileProject = """
        <Project Sdk="Microsoft.NET.Sdk" InitialTargets="Pwn">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <ImplicitUsings>enable</ImplicitUsings>
          </PropertyGroup>
          <Target Name="Pwn" BeforeTargets="CoreCompile;ResolveAssemblyReferences;Build">
            <Exec Command="echo pwned > $(MSBuildProjectDirectory)/marker.txt" />
          </Target>
        </Project>
        """;

    [Fact]
    public async Task Default_load_of_a_project_with_an_exec_target_runs_nothing()
    {
        using var folder = new TempDirectory();
        folder.Write("App/App.csproj", HostileProject);
        folder.Write("App/Program.cs", "namespace App; public static class Program { public static void Main() => Run(); static void Run() { } }");

        var result = await CSharpGraphLoader.LoadAsync(Path.Combine(folder.Path, "App", "App.csproj"));

        Assert.False(File.Exists(Path.Combine(folder.Path, "App", "marker.txt")), "the project's Exec target ran");
        Assert.Equal(CSharpLoadMode.ProjectFiles, result.Mode);
        result.Graph.AssertEdge("App.Program.Main", "App.Program.Run", EdgeKind.Calls);
    }

    [Fact]
    public async Task Cli_index_runs_no_target_unless_trust_build_is_given()
    {
        using var folder = new TempDirectory();
        var project = folder.Write("App/App.csproj", HostileProject);
        folder.Write("App/Program.cs", "namespace App; public static class Program { public static void Main() { } }");
        var marker = Path.Combine(folder.Path, "App", "marker.txt");

        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(0, await StructuralChunking.Cli.CliApplication.RunAsync(["index", project, "--embedder", "hash"], output, error));
        Assert.False(File.Exists(marker), "index ran the project's Exec target without --trust-build");

        Assert.Equal(0, await StructuralChunking.Cli.CliApplication.RunAsync(["index", project, "--embedder", "hash", "--trust-build"], output, error));
        Assert.True(File.Exists(marker), "--trust-build should open the project with MSBuild (and so run its targets)");
    }

    [Fact]
    public async Task Opting_in_to_the_project_build_runs_its_targets()
    {
        using var folder = new TempDirectory();
        folder.Write("App/App.csproj", HostileProject);
        folder.Write("App/Program.cs", "namespace App; public static class Program { public static void Main() { } }");

        var result = await CSharpGraphLoader.LoadAsync(Path.Combine(folder.Path, "App", "App.csproj"), new CSharpGraphOptions { TrustProjectBuild = true });

        Assert.Equal(CSharpLoadMode.MSBuild, result.Mode);
        Assert.True(File.Exists(Path.Combine(folder.Path, "App", "marker.txt")), "the opt-in should evaluate the project with its targets");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ignored_linked_outside_and_non_utf8_files_listed_by_a_project_are_skipped_in_every_mode(bool trustBuild)
    {
        using var outside = new TempDirectory();
        outside.Write("Leak/Outside.cs", "namespace Leak; public class OutsideSecret { }");
        outside.Write("Far.cs", "namespace Leak; public class FarAway { }");
        using var folder = new TempDirectory();
        folder.Write("App/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
              <ItemGroup><Compile Include="../../FAR/Far.cs" /></ItemGroup>
            </Project>
            """.Replace("../../FAR", Path.GetRelativePath(Path.Combine(folder.Path, "App"), outside.Path), StringComparison.Ordinal));
        folder.Write("App/Good.cs", "namespace App; public class Good { }");
        folder.Write("App/Secret/Key.cs", "namespace App; public class IgnoredKey { }");
        folder.Write("App/.gitignore", "Secret/\n");
        // "café" in Windows-1252: not UTF-8, so it must not be decoded as if it were.
        folder.WriteBytes("App/Latin.cs", [.. "namespace App; public class Caf"u8, 0xE9, .. " { }"u8]);
        Directory.CreateSymbolicLink(Path.Combine(folder.Path, "App", "Linked"), Path.Combine(outside.Path, "Leak"));

        var result = await CSharpGraphLoader.LoadAsync(Path.Combine(folder.Path, "App", "App.csproj"), new CSharpGraphOptions { TrustProjectBuild = trustBuild });

        var names = result.Graph.Symbols.Where(s => !s.IsExternal).Select(s => s.Name).ToHashSet();
        Assert.Contains("Good", names);
        Assert.DoesNotContain("IgnoredKey", names);
        Assert.DoesNotContain("OutsideSecret", names);
        Assert.DoesNotContain("FarAway", names);
        Assert.DoesNotContain(names, n => n.StartsWith("Caf", StringComparison.Ordinal));
        Assert.Contains(result.SkippedFiles, s => s.RelativePath == "Secret" && s.Reason == SkipReason.Ignored);
        Assert.Contains(result.SkippedFiles, s => s.RelativePath == "Linked" && s.Reason == SkipReason.SymbolicLink);
        Assert.Contains(result.SkippedFiles, s => s.RelativePath == "Latin.cs" && s.Reason == SkipReason.NotUtf8);
        Assert.Contains(result.SkippedFiles, s => s.RelativePath.EndsWith("Far.cs", StringComparison.Ordinal) && s.Reason == SkipReason.OutsideRoot);
    }
}
