using static StructuralChunking.Tests.Support.Cli;
using System.Text.Json;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Cli;

/// <summary>
/// The machine-readable output tools depend on: field names and JSON types of <c>chunks --json</c>,
/// <c>search --json</c> and <c>eval --json</c>, on a code base without C# (the Python fixture), plus <c>languages</c>.
/// Adding fields is fine; renaming or retyping one breaks a consumer and must fail here.
/// </summary>
public sealed class JsonContractTests
{
    private static string Python => RepositoryPaths.Fixture("python");

    private static void AssertFields(JsonElement element, params (string Name, JsonValueKind Kind)[] fields)
    {
        foreach (var (name, kind) in fields)
        {
            Assert.True(element.TryGetProperty(name, out var value), $"missing '{name}' in {element}");
            Assert.True(value.ValueKind == kind || (kind == JsonValueKind.String && value.ValueKind == JsonValueKind.Null),
                $"'{name}' is {value.ValueKind}, expected {kind}");
        }
    }

    [Fact]
    public async Task Chunks_json_on_a_folder_without_csharp_has_one_object_per_line()
    {
        var (exitCode, output, error) = await Run("chunks", Python, "--json");
        Assert.True(exitCode == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var chunk = JsonDocument.Parse(line);
            AssertFields(chunk.RootElement,
                ("id", JsonValueKind.String), ("symbol", JsonValueKind.String), ("kind", JsonValueKind.String), ("path", JsonValueKind.String),
                ("startLine", JsonValueKind.Number), ("endLine", JsonValueKind.Number), ("part", JsonValueKind.Number), ("parts", JsonValueKind.Number),
                ("tokens", JsonValueKind.Number), ("contentHash", JsonValueKind.String), ("embeddingText", JsonValueKind.String), ("lexicalText", JsonValueKind.String));
        }

        Assert.Contains(lines, l => l.Contains("\"symbol\":\"auth.tokens.read_bearer_token\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Search_and_eval_json_keep_their_fields_and_types()
    {
        using var folder = new TempDirectory();
        var index = Path.Combine(folder.Path, "python.scidx");
        var (exitCode, _, error) = await Run("index", Python, "--out", index, "--embedder", "hash");
        Assert.True(exitCode == 0, error);

        (exitCode, var output, error) = await Run("search", "read the bearer token from the headers", "--index", index, "--json");
        Assert.True(exitCode == 0, error);
        using (var answer = JsonDocument.Parse(output))
        {
            AssertFields(answer.RootElement, ("query", JsonValueKind.String), ("results", JsonValueKind.Array));
            var results = answer.RootElement.GetProperty("results");
            Assert.True(results.GetArrayLength() > 0);
            foreach (var result in results.EnumerateArray())
            {
                AssertFields(result, ("rank", JsonValueKind.Number), ("score", JsonValueKind.Number), ("path", JsonValueKind.String),
                    ("startLine", JsonValueKind.Number), ("endLine", JsonValueKind.Number), ("symbol", JsonValueKind.String),
                    ("kind", JsonValueKind.String), ("chunk", JsonValueKind.String), ("denseScore", JsonValueKind.Number),
                    ("thresholdScore", JsonValueKind.Number));
            }
        }

        var queries = folder.Write("queries.jsonl",
            """{"id": "p1", "query": "read the bearer token from the authorization header", "kind": "natural", "relevant": [{"path": "auth/tokens.py", "line": 4, "symbol": "read_bearer_token"}]}""" + "\n" +
            """{"id": "n1", "query": "render a teapot with shaders", "kind": "negative", "relevant": []}""" + "\n");
        (exitCode, output, error) = await Run("eval", queries, "--root", Python, "--embedder", "hash", "--json");
        Assert.True(exitCode == 0, error);
        using var report = JsonDocument.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0]);
        AssertFields(report.RootElement, ("configuration", JsonValueKind.String), ("queries", JsonValueKind.Number),
            ("symbol", JsonValueKind.Object), ("file", JsonValueKind.Object), ("byKind", JsonValueKind.Object), ("threshold", JsonValueKind.Object));
        foreach (var level in new[] { "symbol", "file" })
        {
            AssertFields(report.RootElement.GetProperty(level), ("mrr@10", JsonValueKind.Number), ("recall@1", JsonValueKind.Number),
                ("recall@5", JsonValueKind.Number), ("recall@10", JsonValueKind.Number));
        }

        AssertFields(report.RootElement.GetProperty("threshold"), ("positivesKept", JsonValueKind.Number), ("negativesEmptied", JsonValueKind.Number),
            ("curve", JsonValueKind.Array));
    }

    [Fact]
    public async Task Languages_lists_csharp_and_every_grammar_as_usable()
    {
        var (exitCode, output, error) = await Run("languages");
        Assert.True(exitCode == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("csharp", lines[0], StringComparison.Ordinal);
        foreach (var language in new[] { "python", "javascript", "typescript", "go", "java", "rust", "c", "cpp", "ruby", "php" })
        {
            Assert.Contains(lines, l => l.StartsWith(language + " ", StringComparison.Ordinal) && l.EndsWith(": ok", StringComparison.Ordinal));
        }
    }
}
