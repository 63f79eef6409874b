using System.Text.Json;
using StructuralChunking.Tests.Support;
using static StructuralChunking.Tests.Support.Cli;

namespace StructuralChunking.Tests.Cli;

public sealed class SearchFilesCliTests
{
    [Fact]
    public async Task Search_files_answers_a_traceback_read_from_a_file_with_ranked_files_and_their_reasons()
    {
        using var folder = new TempDirectory();
        var index = Path.Combine(folder.Path, "python.scidx");
        var (exitCode, _, error) = await Run("index", RepositoryPaths.Fixture("python"), "--out", index, "--embedder", "hash");
        Assert.True(exitCode == 0, error);
        var report = folder.Write("report.txt", """
            Reading the admin token crashes:

            Traceback (most recent call last):
              File "/usr/lib/python3.11/site-packages/flask/app.py", line 2190, in wsgi_app
              File "/srv/app/auth/tokens.py", line 19, in _split
            AttributeError: 'NoneType' object has no attribute 'split'
            """);

        string output;
        (exitCode, output, error) = await Run("search", "--files", "--query-file", report, "--index", index, "--json", "--top", "3", "--min-score", "-1");

        Assert.True(exitCode == 0, error);
        using var document = JsonDocument.Parse(output);
        var files = document.RootElement.GetProperty("files");
        Assert.InRange(files.GetArrayLength(), 1, 3);
        var first = files[0];
        Assert.Equal("auth/tokens.py", first.GetProperty("path").GetString());
        Assert.True(first.GetProperty("named").GetBoolean());
        Assert.Equal(1, first.GetProperty("rank").GetInt32());
        var reason = first.GetProperty("reasons")[0];
        Assert.Equal("auth.tokens.TokenDecoder", reason.GetProperty("symbol").GetString());
        Assert.True(reason.GetProperty("startLine").GetInt32() <= 19);

        (exitCode, output, _) = await Run("search", "--files", "--query-file", report, "--index", index, "--min-score", "-1");
        Assert.Equal(0, exitCode);
        Assert.StartsWith(" 1. ", output, StringComparison.Ordinal);
        Assert.Contains("auth/tokens.py  (named in the query)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_files_reports_file_level_figures_and_the_whole_file_bm25_baseline()
    {
        using var folder = new TempDirectory();
        var root = RepositoryPaths.Fixture("python");
        var index = Path.Combine(folder.Path, "python.scidx");
        var (exitCode, _, error) = await Run("index", root, "--out", index, "--embedder", "hash");
        Assert.True(exitCode == 0, error);
        var queries = folder.Write("set.jsonl",
            """{"id":"r1","query":"TokenDecoder._split crashes on a None token. Calling decode on a request that has no Authorization header fails with AttributeError: 'NoneType' object has no attribute 'split' instead of rejecting the request; the decoder should check for a missing token before splitting it into its parts","kind":"report","relevant":[{"path":"auth/tokens.py","line":18,"symbol":"TokenDecoder._split"}]}""" + "\n");

        string output;
        (exitCode, output, error) = await Run("eval", queries, "--files", "--index", index, "--root", root, "--json");

        Assert.True(exitCode == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var baseline = JsonDocument.Parse(lines[0]);
        Assert.Equal("bm25-whole-files", baseline.RootElement.GetProperty("configuration").GetString());
        using var ours = JsonDocument.Parse(lines[1]);
        var report = ours.RootElement.GetProperty("report");
        Assert.Equal(1, report.GetProperty("Queries").GetInt32());
        Assert.Equal(1.0, report.GetProperty("Acc1").GetDouble());
        Assert.Equal(1.0, report.GetProperty("FunctionRecall10").GetDouble());
        Assert.Equal("auth/tokens.py", report.GetProperty("PerQuery")[0].GetProperty("TopFiles")[0].GetString());
    }
}
