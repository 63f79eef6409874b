using StructuralChunking.Cli;
using StructuralChunking.Discovery;
using StructuralChunking.Graph;
using StructuralChunking.Roslyn;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Reliability;

/// <summary>Files that change or vanish during a run (a checkout while indexing) are skipped with a reason.</summary>
public sealed class VanishingFileTests
{
    /// <summary>Acts synchronously on the loader's thread, at a chosen stage: after discovery, before the files are read.</summary>
    private sealed class OnStage(string stage, Action action) : IProgress<GraphBuildProgress>
    {
        private bool _done;

        public void Report(GraphBuildProgress value)
        {
            if (!_done && value.Stage == stage)
            {
                _done = true;
                action();
            }
        }
    }

    [Fact]
    public async Task Files_deleted_or_rewritten_after_discovery_are_skipped_as_changed()
    {
        using var folder = new TempDirectory();
        folder.Write("App/App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>");
        folder.Write("App/Stays.cs", "namespace App; public class Stays { }");
        var gone = folder.Write("App/Gone.cs", "namespace App; public class Gone { }");
        var rewritten = folder.Write("App/Rewritten.cs", "namespace App; public class Rewritten { }");

        var progress = new OnStage("bind", () =>
        {
            File.Delete(gone);
            File.WriteAllBytes(rewritten, [0x63, 0x6C, 0x61, 0x73, 0x73, 0x20, 0xE9, 0xFF]);
        });
        var result = await CSharpGraphLoader.LoadAsync(Path.Combine(folder.Path, "App", "App.csproj"), progress: progress);

        Assert.Contains(result.Graph.Symbols, s => s.Name == "Stays");
        Assert.Contains(result.SkippedFiles, s => s.RelativePath == "Gone.cs" && s.Reason == SkipReason.Changed);
        Assert.Contains(result.SkippedFiles, s => s.RelativePath == "Rewritten.cs" && s.Reason == SkipReason.Changed);
    }

    [Fact]
    public async Task Index_run_while_files_vanish_never_ends_in_an_internal_error()
    {
        using var folder = new TempDirectory();
        for (var i = 0; i < 300; i++)
        {
            folder.Write($"src/m{i % 10}/F{i}.cs", $"namespace M{i % 10}; public class F{i} {{ public int Run() => {i}; }}");
            folder.Write($"py/m{i % 10}/f{i}.py", $"def run_{i}():\n    return {i}\n");
        }

        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var stop = new CancellationTokenSource();
            var churn = Task.Run(() =>
            {
                var random = new Random(attempt);
                while (!stop.IsCancellationRequested)
                {
                    var i = random.Next(300);
                    var path = Path.Combine(folder.Path, i % 2 == 0 ? $"src/m{i % 10}/F{i}.cs" : $"py/m{i % 10}/f{i}.py");
                    try
                    {
                        if (File.Exists(path))
                        {
                            File.Delete(path);
                        }
                        else
                        {
                            File.WriteAllText(path, "// back again\n");
                        }
                    }
                    catch (IOException)
                    {
                    }
                }
            });

            using var output = new StringWriter();
            using var error = new StringWriter();
            var exitCode = await CliApplication.RunAsync(["index", folder.Path, "--embedder", "hash", "--out", Path.Combine(folder.Path, "i.scidx")], output, error);
            await stop.CancelAsync();
            await churn;

            Assert.True(exitCode == 0, $"exit code {exitCode}: {error}");
            Assert.DoesNotContain("internal error", error.ToString(), StringComparison.Ordinal);
        }
    }
}
