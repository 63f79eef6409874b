using static StructuralChunking.Tests.Support.Cli;
using System.Text.Json;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Cli;

public sealed class CliTests
{
    [Fact]
    public async Task Split_prints_argument_tab_and_lower_case_words_per_line()
    {
        var (exitCode, output, error) = await Run("split", "useAdminJwtValidationMiddleware", "XMLHttpRequest", "requestIDs");

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        Assert.Equal(
            "useAdminJwtValidationMiddleware\tuse admin jwt validation middleware\n" +
            "XMLHttpRequest\txml http request\n" +
            "requestIDs\trequest ids\n",
            output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Help_lists_the_commands()
    {
        var (exitCode, output, _) = await Run("--help");
        Assert.Equal(0, exitCode);

        // The names must appear as entries of the command list, not merely somewhere in the description.
        var lines = output.ReplaceLineEndings("\n").Split('\n');
        var list = lines.SkipWhile(l => !l.StartsWith("Commands:", StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.Length > 0).ToList();
        var listed = list.Select(l => l.TrimStart().Split(' ')[0]).ToHashSet(StringComparer.Ordinal);
        Assert.All(new[] { "split", "graph", "chunks", "index", "search", "eval", "calibrate", "languages" }, name => Assert.Contains(name, listed));
    }

    [Theory]
    [InlineData("split")]
    [InlineData("graph")]
    [InlineData("chunks")]
    public async Task Every_command_has_help(string command)
    {
        var (exitCode, output, _) = await Run(command, "--help");
        Assert.Equal(0, exitCode);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_errors_go_to_stderr_with_a_non_zero_exit_code()
    {
        var (exitCode, output, error) = await Run("split");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("Required argument missing", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("identifiers\t", output, StringComparison.Ordinal);

        (exitCode, _, error) = await Run("no-such-command");
        Assert.NotEqual(0, exitCode);
        Assert.NotEmpty(error);
    }

    [Fact]
    public async Task Missing_path_is_a_user_error_without_stack_trace()
    {
        var (exitCode, _, error) = await Run("graph", "/nonexistent/structchunk/solution.sln");
        Assert.Equal(1, exitCode);
        Assert.StartsWith("error: '/nonexistent/structchunk/solution.sln' does not exist.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graph_json_follows_the_contract()
    {
        var (exitCode, output, _) = await Run("graph", RepositoryPaths.Fixture("CSharp", "Inventory"), "--json");
        Assert.Equal(0, exitCode);

        using var document = JsonDocument.Parse(output);
        var symbols = document.RootElement.GetProperty("symbols").EnumerateArray().ToList();
        var edges = document.RootElement.GetProperty("edges").EnumerateArray().ToList();
        var statusOf = symbols.Single(s => s.GetProperty("qualifiedName").GetString() == "Warehouse.Inventory.InventoryService.StatusOf");
        Assert.Equal("StatusOf", statusOf.GetProperty("name").GetString());
        Assert.Equal("method", statusOf.GetProperty("kind").GetString());
        Assert.Equal("csharp", statusOf.GetProperty("language").GetString());
        Assert.Equal("InventoryService.cs", statusOf.GetProperty("path").GetString());
        Assert.True(statusOf.GetProperty("startLine").GetInt32() > 0);
        Assert.True(statusOf.GetProperty("endLine").GetInt32() >= statusOf.GetProperty("startLine").GetInt32());
        var id = statusOf.GetProperty("id").GetString();
        Assert.Contains(edges, e => e.GetProperty("to").GetString() == id && e.GetProperty("kind").GetString() == "calls");
        Assert.All(edges, e => Assert.Contains(e.GetProperty("kind").GetString(), new[] { "contains", "calls", "implements", "inherits", "overrides", "references", "imports" }));
    }

    [Fact]
    public async Task Chunks_json_lines_show_what_gets_embedded()
    {
        var (exitCode, output, _) = await Run("chunks", RepositoryPaths.Fixture("CSharp", "Inventory"), "--json");
        Assert.Equal(0, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length > 5);
        foreach (var line in lines)
        {
            using var chunk = JsonDocument.Parse(line);
            foreach (var property in new[] { "id", "symbol", "path", "startLine", "endLine", "tokens", "embeddingText", "lexicalText" })
            {
                Assert.True(chunk.RootElement.TryGetProperty(property, out _), $"missing {property} in {line}");
            }
        }

        var (linesExit, linesOutput, _) = await Run("chunks", RepositoryPaths.Fixture("CSharp", "Inventory"), "--json", "--chunker", "lines");
        Assert.Equal(0, linesExit);
        Assert.Contains("\"id\":\"lines:InventoryService.cs:1-30\"", linesOutput, StringComparison.Ordinal);
    }
}
