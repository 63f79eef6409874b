using static StructuralChunking.Tests.Support.Cli;
using System.Globalization;
using System.Text.Json;
using StructuralChunking.Indexing;
using StructuralChunking.Search;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Cli;

public sealed class IndexSearchEvalCliTests
{
    private static string Shop => RepositoryPaths.Fixture("CSharp", "Shop", "src");

    [Fact]
    public async Task Index_then_search_answers_in_json_with_the_documented_fields()
    {
        using var folder = new TempDirectory();
        var index = Path.Combine(folder.Path, "shop.scidx");
        var (exitCode, output, error) = await Run("index", Shop, "--out", index);
        Assert.True(exitCode == 0, error);
        Assert.StartsWith("indexed ", output, StringComparison.Ordinal);
        Assert.Contains("model minilm-int8", output, StringComparison.Ordinal);

        (exitCode, output, _) = await Run("search", "validate the admin jwt token", "--index", index, "--json", "--top", "3");
        Assert.Equal(0, exitCode);
        using var document = JsonDocument.Parse(output);
        Assert.Equal("validate the admin jwt token", document.RootElement.GetProperty("query").GetString());
        var first = document.RootElement.GetProperty("results")[0];
        foreach (var property in new[] { "rank", "score", "path", "startLine", "endLine", "symbol", "kind" })
        {
            Assert.True(first.TryGetProperty(property, out _), property);
        }

        Assert.Equal("Shop.Web/auth/middleware/admin_jwt_validator.cs", first.GetProperty("path").GetString());

        (exitCode, output, _) = await Run("search", "read bearer token", "--index", index);
        Assert.Equal(0, exitCode);
        Assert.Contains("TokenReader", output, StringComparison.Ordinal);

        // Re-indexing unchanged code parses and embeds nothing.
        (_, output, _) = await Run("index", Shop, "--out", index);
        Assert.StartsWith("index is up to date", output, StringComparison.Ordinal);

        // A changed chunker re-chunks, but reuses every embedding whose text did not change: chunks of definitions
        // with no callers, callees or implementations have the same text without graph context.
        (_, output, _) = await Run("index", Shop, "--out", index, "--no-graph-context");
        Assert.Contains("(0 changed)", output, StringComparison.Ordinal);
        var counts = System.Text.RegularExpressions.Regex.Match(output, @"(\d+) chunks \((\d+) embedded, (\d+) reused\)");
        Assert.True(counts.Success, output);
        var (total, embedded, reused) = (int.Parse(counts.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(counts.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(counts.Groups[3].Value, CultureInfo.InvariantCulture));
        Assert.Equal(total, embedded + reused);
        Assert.InRange(reused, 1, total - 1);
    }

    [Fact]
    public async Task Solution_index_is_up_to_date_until_a_source_or_project_file_changes()
    {
        using var folder = new TempDirectory();
        var fixture = RepositoryPaths.Fixture("CSharp", "Shop");
        foreach (var file in Directory.EnumerateFiles(fixture, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(fixture, file);
            if (!relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            {
                folder.Write(relative, File.ReadAllText(file));
            }
        }

        var solution = Path.Combine(folder.Path, "Shop.sln");
        string[] index = ["index", solution, "--embedder", "hash"];
        var (exitCode, output, error) = await Run(index);
        Assert.True(exitCode == 0, error);
        Assert.StartsWith("indexed ", output, StringComparison.Ordinal);

        // The solution's files are a subset of what discovery sees; build output written by the load must not count either.
        (_, output, _) = await Run(index);
        Assert.StartsWith("index is up to date", output, StringComparison.Ordinal);

        // A project file decides what the solution includes, so changing it makes the index stale.
        var project = Path.Combine(folder.Path, "src", "Shop.Core", "Shop.Core.csproj");
        File.AppendAllText(project, "<!-- changed -->\n");
        (_, output, _) = await Run(index);
        Assert.StartsWith("indexed ", output, StringComparison.Ordinal);
        Assert.Contains("(0 changed)", output, StringComparison.Ordinal);

        File.AppendAllText(Path.Combine(folder.Path, "src", "Shop.Core", "Pricing", "PriceCalculator.cs"), "\n// changed\n");
        (_, output, _) = await Run(index);
        Assert.Contains("(1 changed)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Queries_file_gives_one_json_line_per_query()
    {
        using var folder = new TempDirectory();
        var index = Path.Combine(folder.Path, "shop.scidx");
        await Run("index", Shop, "--out", index, "--chunker", "lines");
        var queries = folder.Write("q.txt", "price calculator discount\n\nrepository saves orders\n");

        var (exitCode, output, _) = await Run("search", "--index", index, "--queries-file", queries);
        Assert.Equal(0, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.True(JsonDocument.Parse(l).RootElement.GetProperty("results").GetArrayLength() > 0));
    }

    [Fact]
    public async Task Missing_or_corrupt_index_is_a_clear_user_error()
    {
        using var folder = new TempDirectory();
        var (exitCode, _, error) = await Run("search", "anything", "--index", Path.Combine(folder.Path, "none.scidx"));
        Assert.Equal(1, exitCode);
        Assert.Contains("structchunk index", error, StringComparison.Ordinal);

        var corrupt = folder.Write("bad.scidx", "garbage");
        (exitCode, _, error) = await Run("search", "anything", "--index", corrupt);
        Assert.Equal(1, exitCode);
        Assert.Contains("not a structchunk index", error, StringComparison.Ordinal);

        // An unknown embedder on a valid index is its own fault, with its own message.
        var valid = Path.Combine(folder.Path, "valid.scidx");
        folder.Write("src/auth.py", "def read_bearer_token(headers):\n    return headers.get('Authorization')\n");
        (exitCode, _, error) = await Run("index", Path.Combine(folder.Path, "src"), "--out", valid, "--embedder", "hash");
        Assert.True(exitCode == 0, error);
        (exitCode, _, error) = await Run("search", "anything", "--index", valid, "--embedder", "nope");
        Assert.Equal(1, exitCode);
        Assert.Contains("Unknown embedder 'nope'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("not a structchunk index", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_measures_calibrate_stores_the_threshold_and_search_applies_it()
    {
        using var folder = new TempDirectory();
        var queries = folder.Write("shop.jsonl", """
            {"id": "s1", "query": "where is the bearer token read from the authorization header", "kind": "natural", "relevant": [{"path": "Shop.Web/auth/middleware/TokenReader.cs", "line": 5, "symbol": "TokenReader.ReadBearerToken"}]}
            {"id": "s2", "query": "middleware that only lets admins through", "kind": "discriminative", "relevant": [{"path": "Shop.Web/auth/middleware/admin_jwt_validator.cs", "line": 6, "symbol": "AdminJwtValidator.UseAdminJwtValidationMiddleware"}]}
            {"id": "s3", "query": "net price after the discount", "kind": "behavior", "relevant": [{"path": "Shop.Core/Pricing/PriceCalculator.cs", "line": 8, "symbol": "PriceCalculator.Net"}]}
            {"id": "s4", "query": "render a 3d teapot with shaders", "kind": "negative", "relevant": []}
            """);

        var (exitCode, output, error) = await Run("eval", queries, "--root", Shop, "--json");
        Assert.True(exitCode == 0, error);
        using (var report = JsonDocument.Parse(output))
        {
            Assert.Equal(4, report.RootElement.GetProperty("queries").GetInt32());
            Assert.True(report.RootElement.GetProperty("symbol").GetProperty("mrr@10").GetDouble() > 0.5);
            Assert.True(report.RootElement.GetProperty("file").GetProperty("recall@10").GetDouble() > 0.6);
            Assert.True(report.RootElement.GetProperty("byKind").TryGetProperty("discriminative", out _));
            Assert.True(report.RootElement.GetProperty("threshold").TryGetProperty("curve", out _));
        }

        var index = Path.Combine(folder.Path, "shop.scidx");
        await Run("index", Shop, "--out", index);
        (exitCode, output, error) = await Run("calibrate", queries, "--index", index);
        Assert.True(exitCode == 0, error);
        // The default model has a confidence model, so calibration chooses its threshold (and the minimum score, kept for
        // models without one).
        Assert.StartsWith("stored hybrid confidence threshold", output, StringComparison.Ordinal);
        var calibrated = CodeIndex.Load(index).Metadata;
        Assert.True(calibrated.MinScores.ContainsKey("hybrid"));
        var stored = calibrated.Confidence!.Threshold;

        // The stored threshold applies by default: the best result of a real question clears it and the others clear the
        // answered-result share of it (a question without any result would prove nothing), and turning it off by hand
        // can only add results.
        var floor = stored * SearchOptions.DefaultAnsweredResultShare;
        (_, output, _) = await Run("search", "read the bearer token from the authorization header", "--index", index, "--json");
        using (var answer = JsonDocument.Parse(output))
        {
            var results = answer.RootElement.GetProperty("results");
            Assert.True(results.GetArrayLength() > 0, output);
            Assert.All(results.EnumerateArray(), r => Assert.True(r.GetProperty("confidence").GetDouble() >= floor - 1e-4, r.ToString()));
            Assert.True(results.EnumerateArray().Max(r => r.GetProperty("confidence").GetDouble()) >= stored - 1e-4, output);
            Assert.True(results[0].GetProperty("signals").GetProperty("queryWordsKnown").GetDouble() > 0.5, output);
        }

        (_, output, _) = await Run("search", "render a 3d teapot with shaders", "--index", index, "--json");
        (_, var unfiltered, _) = await Run("search", "render a 3d teapot with shaders", "--index", index, "--json", "--min-score", "-1");
        using (var strict = JsonDocument.Parse(output))
        using (var loose = JsonDocument.Parse(unfiltered))
        {
            Assert.True(strict.RootElement.GetProperty("results").GetArrayLength() <= loose.RootElement.GetProperty("results").GetArrayLength());
            Assert.True(loose.RootElement.GetProperty("results").GetArrayLength() > 0);
            var strictResults = strict.RootElement.GetProperty("results").EnumerateArray().ToList();
            Assert.All(strictResults, r => Assert.True(r.GetProperty("confidence").GetDouble() >= floor - 1e-4));
            Assert.True(strictResults.Count == 0 || strictResults.Max(r => r.GetProperty("confidence").GetDouble()) >= stored - 1e-4);
        }

        (_, output, _) = await Run("eval", queries, "--root", Shop, "--compare");
        Assert.Contains("structural, no graph context / minilm-int8 / hybrid", output, StringComparison.Ordinal);
        Assert.Contains("lines 30/15, no split / minilm-int8 / dense", output, StringComparison.Ordinal);
        foreach (var ranking in new[] { "no graph ranking", "no declaration prior", "no test prior" })
        {
            Assert.Contains($"structural / minilm-int8 / hybrid, {ranking}", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Eval_writes_confidence_samples_that_fit_confidence_turns_into_a_model_stored_in_the_index()
    {
        using var folder = new TempDirectory();
        var queries = folder.Write("shop.jsonl", """
            {"id": "s1", "query": "where is the bearer token read from the authorization header", "kind": "natural", "relevant": [{"path": "Shop.Web/auth/middleware/TokenReader.cs", "line": 5, "symbol": "TokenReader.ReadBearerToken"}]}
            {"id": "s3", "query": "net price after the discount", "kind": "behavior", "relevant": [{"path": "Shop.Core/Pricing/PriceCalculator.cs", "line": 8, "symbol": "PriceCalculator.Net"}]}
            """);
        var negatives = folder.Write("negatives.txt", "# questions this shop cannot answer\nrender a 3d teapot with shaders\nhow do I bake sourdough bread\n");
        var index = Path.Combine(folder.Path, "shop.scidx");
        await Run("index", Shop, "--out", index);
        var samples = Path.Combine(folder.Path, "samples.jsonl");

        var (exitCode, _, error) = await Run("eval", queries, "--index", index, "--negatives", negatives, "--samples", samples);
        Assert.True(exitCode == 0, error);
        var lines = File.ReadAllLines(samples);
        Assert.Contains(lines, l => l.Contains("\"answers\":true", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"answers\":false", StringComparison.Ordinal));

        (exitCode, var output, error) = await Run("fit-confidence", samples, "--index", index);
        Assert.True(exitCode == 0, error);
        using (var model = JsonDocument.Parse(output))
        {
            Assert.Equal(model.RootElement.GetProperty("threshold").GetDouble(), CodeIndex.Load(index).Metadata.Confidence!.Threshold, 4);
        }

        // Holding definitions out only makes sense for an index the run builds.
        (exitCode, _, error) = await Run("eval", queries, "--index", index, "--hold-out", "0.3");
        Assert.Equal(1, exitCode);
        Assert.Contains("--hold-out", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_from_docs_builds_its_own_queries()
    {
        var (exitCode, output, error) = await Run("eval", "--from-docs", RepositoryPaths.Fixture("CSharp", "Inventory"));
        Assert.True(exitCode == 0, error);
        Assert.Contains("symbol  MRR@10", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_ablation_grid_on_doc_comment_queries_leaves_out_line_windows_which_would_contain_the_questions()
    {
        var (exitCode, output, error) = await Run("eval", "--from-docs", RepositoryPaths.Fixture("CSharp", "Inventory"), "--compare", "--embedder", "hash");
        Assert.True(exitCode == 0, error);
        Assert.Contains("structural / hash / hybrid, no graph ranking", output, StringComparison.Ordinal);
        Assert.Contains("structural, no inherited doc / hash / hybrid", output, StringComparison.Ordinal);
        Assert.DoesNotContain("lines 30/15", output, StringComparison.Ordinal);
    }
}
