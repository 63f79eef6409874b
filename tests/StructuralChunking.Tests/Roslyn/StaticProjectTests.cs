using System.Text.Json;
using StructuralChunking.Discovery;
using StructuralChunking.Graph;
using StructuralChunking.Roslyn;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Roslyn;

/// <summary>The default, static reading of solutions and projects: the SDK's item rules without running MSBuild.</summary>
public sealed class StaticProjectTests
{
    [Fact]
    public async Task Slnx_compile_items_references_and_constants_are_read_from_the_xml()
    {
        using var folder = new TempDirectory();
        folder.Write("All.slnx", """
            <Solution>
              <Folder Name="/src/">
                <Project Path="src/Lib/Lib.csproj" />
                <Project Path="src/App/App.csproj" />
              </Folder>
            </Solution>
            """);
        folder.Write("src/Lib/Lib.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <DefineConstants>$(DefineConstants);FEATURE_X</DefineConstants>
              </PropertyGroup>
              <ItemGroup>
                <Compile Remove="Excluded/**" />
                <Compile Include="../Shared/Linked.cs" />
              </ItemGroup>
            </Project>
            """);
        folder.Write("src/Lib/Api.cs", """
            namespace Lib;
            public static class Api
            {
            #if FEATURE_X
                public static int Feature() => Linked.Value();
            #endif
            }
            """);
        folder.Write("src/Lib/Excluded/Old.cs", "namespace Lib; public static class Old { }");
        folder.Write("src/Shared/Linked.cs", "namespace Lib; public static class Linked { public static int Value() => 1; }");
        folder.Write("src/App/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="..\Lib\Lib.csproj" />
              </ItemGroup>
            </Project>
            """);
        // Needs the implicit `using System.Linq;` and the reference to Lib.
        folder.Write("src/App/Main.cs", "namespace App; public static class Main { public static int Run() => new[] { Lib.Api.Feature() }.Sum(); }");

        var result = await CSharpGraphLoader.LoadAsync(Path.Combine(folder.Path, "All.slnx"));

        Assert.Equal(CSharpLoadMode.ProjectFiles, result.Mode);
        Assert.Equal(2, result.ProjectCount);
        result.Graph.AssertEdge("Lib.Api.Feature", "Lib.Linked.Value", EdgeKind.Calls);
        result.Graph.AssertEdge("App.Main.Run", "Lib.Api.Feature", EdgeKind.Calls);
        Assert.Contains(result.Graph.Targets("App.Main.Run", EdgeKind.Calls), t => t.StartsWith("System.Linq.Enumerable.Sum", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Graph.Symbols, s => s.Name == "Old");
    }

    [Fact]
    public async Task Package_assemblies_come_from_a_previous_restore_without_running_it()
    {
        using var folder = new TempDirectory();
        // A package folder as NuGet lays it out, holding a real assembly: our own core library stands in for a package.
        var packages = Path.Combine(folder.Path, "packages");
        var assembly = typeof(LanguageIds).Assembly.Location;
        var packageDll = Path.Combine(packages, "xunit.core", "2.0.0", "lib", "netstandard1.1", Path.GetFileName(assembly));
        Directory.CreateDirectory(Path.GetDirectoryName(packageDll)!);
        File.Copy(assembly, packageDll);
        folder.Write("App/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
              <ItemGroup><PackageReference Include="xunit.core" Version="2.0.0" /></ItemGroup>
            </Project>
            """);
        folder.Write("App/Checks.cs", "namespace App; public class Checks { public string? Works() => StructuralChunking.Discovery.LanguageIds.FromPath(\"a.cs\"); }");
        folder.Write("App/obj/project.assets.json", JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["version"] = 3,
            ["targets"] = new Dictionary<string, object>
            {
                ["net10.0"] = new Dictionary<string, object>
                {
                    ["xunit.core/2.0.0"] = new { type = "package", compile = new Dictionary<string, object> { [$"lib/netstandard1.1/{Path.GetFileName(assembly)}"] = new { } } },
                },
            },
            ["libraries"] = new Dictionary<string, object> { ["xunit.core/2.0.0"] = new { type = "package", path = "xunit.core/2.0.0" } },
            ["packageFolders"] = new Dictionary<string, object> { [packages + Path.DirectorySeparatorChar] = new { } },
        }));

        var result = await CSharpGraphLoader.LoadAsync(Path.Combine(folder.Path, "App", "App.csproj"));

        Assert.DoesNotContain(result.Diagnostics, d => d.Message.Contains("not restored", StringComparison.Ordinal));
        // The call binds to the package's method (an external symbol), and the package name marks a test project.
        Assert.Equal(SymbolTraits.Test, result.Graph.Symbol("App.Checks").Traits);
        Assert.Contains("StructuralChunking.Discovery.LanguageIds.FromPath", result.Graph.Targets("App.Checks.Works", EdgeKind.Calls));
    }

    [Fact]
    public async Task An_ignored_or_unreadable_project_is_not_read_and_says_so()
    {
        using var folder = new TempDirectory();
        folder.Write("All.sln", "Project(\"{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}\") = \"Hidden\", \"secret\\Hidden.csproj\", \"{1}\"\nEndProject\n" +
            "Project(\"{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}\") = \"Broken\", \"broken\\Broken.csproj\", \"{2}\"\nEndProject\n");
        folder.Write(".gitignore", "secret/\n");
        folder.Write("secret/Hidden.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        folder.Write("secret/Key.cs", "public class Key { }");
        folder.Write("broken/Broken.csproj", "<Project <<< not xml");
        folder.Write("broken/Code.cs", "public class Code { }");

        var result = await CSharpGraphLoader.LoadAsync(Path.Combine(folder.Path, "All.sln"), new CSharpGraphOptions { FallBackToAdHoc = false });

        Assert.Contains(result.Diagnostics, d => d.Path == "secret/Hidden.csproj" && d.Message.Contains("Ignored", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Path == "broken/Broken.csproj" && d.Message.Contains("not well-formed", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Graph.Symbols, s => s.Name == "Key");
    }

    [Fact]
    public async Task A_folder_compiled_ad_hoc_parses_each_file_with_the_symbols_of_its_nearest_project()
    {
        using var folder = new TempDirectory();
        // Two projects, so the folder is compiled ad hoc. Old-style constants separated by commas; a second project file
        // for another platform beside the main one must not switch the main build's blocks off.
        folder.Write("core/core.csproj", """
            <Project>
              <PropertyGroup Condition=" '$(Configuration)|$(Platform)' == 'Debug|AnyCPU' ">
                <DefineConstants>TRACE;DEBUG;CLR_2_0,NET_2_0</DefineConstants>
              </PropertyGroup>
            </Project>
            """);
        folder.Write("core/core.Portable.csproj", """
            <Project>
              <PropertyGroup>
                <DefineConstants>PORTABLE</DefineConstants>
              </PropertyGroup>
            </Project>
            """);
        folder.Write("core/Region.cs", """
            #if CLR_2_0 || CLR_4_0
            namespace Core
            {
                internal sealed class Region
            #if !PORTABLE
                {
                    public static object Unwrap(object result) => result;
                }
            #else
                {
                }
            #endif
            }
            #endif
            """);
        folder.Write("tools/tools.csproj", "<Project><PropertyGroup><DefineConstants>TOOLS</DefineConstants></PropertyGroup></Project>");
        folder.Write("tools/Tool.cs", """
            namespace Tools
            {
                public static class Tool
                {
            #if TOOLS
                    public static object Run() => Core.Region.Unwrap(1);
            #endif
            #if CLR_2_0
                    public static void NotInThisProject() { }
            #endif
                }
            }
            """);

        var result = await CSharpGraphLoader.LoadAsync(folder.Path);

        Assert.Equal(CSharpLoadMode.AdHoc, result.Mode);
        var graph = result.Graph;
        var unwrap = Assert.Single(graph.Symbols, s => s.QualifiedName == "Core.Region.Unwrap(object)" || s.Name == "Unwrap");
        var run = Assert.Single(graph.Symbols, s => s.Name == "Run");
        Assert.Contains(graph.Edges, e => e.From == run.Id && e.To == unwrap.Id && e.Kind == EdgeKind.Calls);
        Assert.DoesNotContain(graph.Symbols, s => s.Name == "NotInThisProject");
    }
}
