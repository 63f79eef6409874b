using System.Diagnostics;
using StructuralChunking.Cli;
using StructuralChunking.Indexing;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Reliability;

/// <summary>
/// <c>index</c> killed (SIGKILL) at spread-out moments of a run: the index file on disk is always the previous one or
/// the new one, complete, and the next run succeeds.
/// </summary>
[Collection(FuzzRuns.Name)]
public sealed class KillDuringWriteTests
{
    [Fact]
    public async Task Index_killed_at_any_moment_leaves_a_loadable_index_and_the_next_run_works()
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "structchunk.dll");
        Assert.True(File.Exists(cli), cli);
        using var folder = new TempDirectory();
        for (var i = 0; i < 200; i++)
        {
            folder.Write($"src/F{i}.py", $"def run_{i}(value):\n    return helper_{i % 7}(value) + {i}\n\ndef helper_{i % 7}(value):\n    return value\n");
        }

        var indexPath = Path.Combine(folder.Path, "out", "index.scidx");
        using (var output = new StringWriter())
        using (var error = new StringWriter())
        {
            Assert.Equal(0, await CliApplication.RunAsync(["index", folder.Path, "--embedder", "hash", "--out", indexPath], output, error));
        }

        var survived = 0;
        for (var attempt = 0; attempt < 6; attempt++)
        {
            // Every attempt changes the sources, so the killed run has real work (and a real write) to do.
            folder.Write($"src/New{attempt}.py", $"def added_{attempt}():\n    return {attempt}\n");
            using var process = Process.Start(new ProcessStartInfo("dotnet", ["exec", cli, "index", folder.Path, "--embedder", "hash", "--out", indexPath])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            await Task.Delay(150 + (attempt * 250));
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();

            var index = CodeIndex.Load(indexPath);
            Assert.NotEmpty(index.Chunks);
            survived++;
        }

        using var finalOutput = new StringWriter();
        using var finalError = new StringWriter();
        Assert.Equal(0, await CliApplication.RunAsync(["index", folder.Path, "--embedder", "hash", "--out", indexPath], finalOutput, finalError));
        Assert.Contains(CodeIndex.Load(indexPath).Chunks, c => c.Path == "src/New5.py");
        Assert.Equal(6, survived);
    }
}
