using System.Diagnostics;
using System.IO.Pipelines;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using StructuralChunking.Embeddings;
using StructuralChunking.Mcp;
using StructuralChunking.Tests.Support;
using StructuralChunking.TreeSitter;

namespace StructuralChunking.Tests.Mcp;

/// <summary>The MCP server: the SDK's client against it in-process, a live folder that changes, and the CLI over stdio.</summary>
public sealed class McpServerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private static CodeSearchEngine CreateEngine() =>
        new(new CodeSearchEngineOptions { Embedder = new HashingEmbeddingGenerator(), FrontEnds = { new TreeSitterFrontEnd() } });

    private static TempDirectory CodeBase()
    {
        var folder = new TempDirectory();
        folder.Write("billing.py", """
            def with_tax(amount, rate):
                return round(amount * (1 + rate), 2)


            def invoice_total(lines, rate):
                net = sum(line.quantity * line.unit_price for line in lines)
                return with_tax(net, rate)
            """);
        folder.Write("mail.py", """
            def send_reminder(address, text):
                print("sending", address, text)
            """);
        return folder;
    }

    [Fact]
    public async Task The_sdk_client_lists_the_tools_and_calls_them_and_errors_do_not_kill_the_server()
    {
        using var folder = CodeBase();
        using var live = LiveCodeIndex.Watch(CreateEngine(), folder.Path, new LiveCodeIndexOptions { WatchFiles = false });
        await using var connection = await Connection.StartAsync(live);
        var client = connection.Client;

        var tools = await client.ListToolsAsync();
        Assert.Equal(
            ["find_callees", "find_callers", "find_implementations", "get_context_pack", "get_symbol", "index_status", "search_code", "search_files"],
            tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        var search = tools.Single(t => t.Name == "search_code");
        Assert.False(string.IsNullOrWhiteSpace(search.Description));
        var schema = search.JsonSchema;
        Assert.Equal("string", schema.GetProperty("properties").GetProperty("query").GetProperty("type").GetString());
        Assert.Contains("query", schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));

        var found = await client.CallToolAsync("search_code", new Dictionary<string, object?> { ["query"] = "invoice_total", ["top"] = 3 });
        Assert.NotEqual(true, found.IsError);
        using (var json = JsonDocument.Parse(Text(found)))
        {
            var first = json.RootElement.GetProperty("results")[0];
            Assert.Equal("billing.py", first.GetProperty("path").GetString());
            Assert.Equal("def invoice_total(lines, rate):", first.GetProperty("signature").GetString());
        }

        // A pasted stack trace: the file of our frame comes first, named by the report.
        var trace = "Traceback (most recent call last):\n  File \"/srv/app/billing.py\", line 7, in invoice_total\n    return with_tax(net, rate)\n"
            + "TypeError: unsupported operand type(s) for *: 'NoneType' and 'float'";
        var files = await client.CallToolAsync("search_files", new Dictionary<string, object?> { ["query"] = trace, ["top"] = 2 });
        Assert.NotEqual(true, files.IsError);
        using (var json = JsonDocument.Parse(Text(files)))
        {
            var first = json.RootElement.GetProperty("files")[0];
            Assert.Equal("billing.py", first.GetProperty("path").GetString());
            Assert.True(first.GetProperty("named").GetBoolean());
            Assert.Contains(first.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("symbol").GetString()!.EndsWith("invoice_total", StringComparison.Ordinal));
        }

        var pack = await client.CallToolAsync("get_context_pack", new Dictionary<string, object?> { ["query"] = "invoice_total", ["budget"] = 500 });
        Assert.StartsWith("# Context for: invoice_total", Text(pack), StringComparison.Ordinal);
        Assert.Contains("## billing.py", Text(pack), StringComparison.Ordinal);

        var callees = await client.CallToolAsync("find_callees", new Dictionary<string, object?> { ["nameOrId"] = "invoice_total" });
        using (var json = JsonDocument.Parse(Text(callees)))
        {
            Assert.Equal("callees", json.RootElement.GetProperty("relation").GetString());
            Assert.Contains(json.RootElement.GetProperty("related").EnumerateArray(), r => r.GetProperty("name").GetString()!.EndsWith("with_tax", StringComparison.Ordinal));
        }

        var status = await client.CallToolAsync("index_status", new Dictionary<string, object?>());
        using (var json = JsonDocument.Parse(Text(status)))
        {
            Assert.True(json.RootElement.GetProperty("ready").GetBoolean());
            Assert.Equal("hash-512", json.RootElement.GetProperty("modelId").GetString());
        }

        // Bad arguments and unknown names are tool errors the model can read; the next call still works.
        var bad = await client.CallToolAsync("search_code", new Dictionary<string, object?> { ["query"] = "x", ["top"] = 500 });
        Assert.True(bad.IsError);
        Assert.Contains("top must be between 1 and 50", Text(bad), StringComparison.Ordinal);
        var missing = await client.CallToolAsync("get_symbol", new Dictionary<string, object?> { ["nameOrId"] = "no_such_thing" });
        Assert.True(missing.IsError);
        Assert.Contains("No definition", Text(missing), StringComparison.Ordinal);
        var symbol = await client.CallToolAsync("get_symbol", new Dictionary<string, object?> { ["nameOrId"] = "with_tax" });
        Assert.NotEqual(true, symbol.IsError);
        Assert.Contains("round(amount", Text(symbol), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edited_file_is_in_the_next_answer_and_the_old_index_answers_meanwhile()
    {
        using var folder = CodeBase();
        using var live = LiveCodeIndex.Watch(CreateEngine(), folder.Path, new LiveCodeIndexOptions { Debounce = TimeSpan.FromMilliseconds(50) });
        using var timeout = new CancellationTokenSource(Timeout);
        await live.WaitUntilFreshAsync(timeout.Token);
        var before = live.Current!;
        var generation = live.Generation;
        await using var connection = await Connection.StartAsync(live);

        var missing = await connection.Client.CallToolAsync("get_symbol", new Dictionary<string, object?> { ["nameOrId"] = "refund_invoice" }, cancellationToken: timeout.Token);
        Assert.True(missing.IsError);

        var swapped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        live.Updated += (_, _) => swapped.TrySetResult();
        folder.Write("refunds.py", """
            def refund_invoice(invoice, reason):
                return {"invoice": invoice, "reason": reason, "refunded": True}
            """);
        await swapped.Task.WaitAsync(timeout.Token);

        Assert.True(live.Generation > generation);
        Assert.NotSame(before, live.Current);
        Assert.Contains(before.Chunks, c => c.Path == "billing.py");
        Assert.DoesNotContain(before.Chunks, c => c.Path == "refunds.py");
        var found = await connection.Client.CallToolAsync("get_symbol", new Dictionary<string, object?> { ["nameOrId"] = "refund_invoice" }, cancellationToken: timeout.Token);
        Assert.NotEqual(true, found.IsError);
        Assert.Contains("refunds.py", Text(found), StringComparison.Ordinal);

        // A change the discovery policy never reads (the index's own folder, hidden files) starts no re-index.
        Assert.False(live.IsRelevant(Path.Combine(folder.Path, ".structchunk", "index.scidx")));
        Assert.False(live.IsRelevant(Path.Combine(folder.Path, ".venv", "lib.py")));
        Assert.False(live.IsRelevant(Path.Combine(folder.Path, "node_modules", "x", "index.js")));
        Assert.True(live.IsRelevant(Path.Combine(folder.Path, ".gitignore")));
        Assert.True(live.IsRelevant(Path.Combine(folder.Path, "src", "app.py")));
    }

    [Fact]
    public async Task The_cli_speaks_json_rpc_over_stdio_and_writes_nothing_else_to_stdout()
    {
        using var folder = CodeBase();
        var indexPath = Path.Combine(folder.Path, "code.scidx");
        await CreateEngine().IndexAsync(folder.Path, new IndexingOptions { IndexPath = indexPath });
        var cli = Path.Combine(AppContext.BaseDirectory, "structchunk.dll");
        Assert.True(File.Exists(cli), cli);

        using var process = Process.Start(new ProcessStartInfo("dotnet", ["exec", cli, "mcp", "--index", indexPath])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            async Task<JsonElement> Call(int id, string method, object parameters)
            {
                await process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(new { jsonrpc = "2.0", id, method, @params = parameters }));
                await process.StandardInput.FlushAsync();
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("stdout closed: " + await stderr);
                using var document = JsonDocument.Parse(line);
                var response = document.RootElement.Clone();
                Assert.Equal(id, response.GetProperty("id").GetInt32());
                return response;
            }

            var initialized = await Call(1, "initialize", new { protocolVersion = "2025-06-18", capabilities = new { }, clientInfo = new { name = "test", version = "1" } });
            Assert.Equal("structchunk", initialized.GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
            await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");

            var listed = await Call(2, "tools/list", new { });
            var names = listed.GetProperty("result").GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
            Assert.Contains("get_context_pack", names);
            Assert.Contains("search_code", names);

            var called = await Call(3, "tools/call", new { name = "search_code", arguments = new { query = "send_reminder", top = 2 } });
            var text = called.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString()!;
            Assert.Contains("mail.py", text, StringComparison.Ordinal);

            var failed = await Call(4, "tools/call", new { name = "get_context_pack", arguments = new { query = "x", budget = 1 } });
            Assert.True(failed.GetProperty("result").GetProperty("isError").GetBoolean());
            var again = await Call(5, "tools/call", new { name = "index_status", arguments = new { } });
            Assert.Contains("\"ready\":true", again.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);

            process.StandardInput.Close();
            await process.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, process.ExitCode);
            Assert.Equal(string.Empty, await process.StandardOutput.ReadToEndAsync(timeout.Token));
            Assert.Contains("structchunk mcp: serving", await stderr, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;

    /// <summary>A server and the SDK's client connected through in-memory pipes.</summary>
    private sealed class Connection : IAsyncDisposable
    {
        private readonly McpServer _server;
        private readonly Task _serving;
        private readonly CancellationTokenSource _stop = new();

        private Connection(McpServer server, McpClient client)
        {
            _server = server;
            Client = client;
            _serving = server.RunAsync(_stop.Token);
        }

        public McpClient Client { get; private set; } = null!;

        public static async Task<Connection> StartAsync(LiveCodeIndex live)
        {
            var toServer = new Pipe();
            var toClient = new Pipe();
            var server = CodeSearchMcpServer.Create(new StreamServerTransport(toServer.Reader.AsStream(), toClient.Writer.AsStream()), live);
            var connection = new Connection(server, null!);
            connection.Client = await McpClient.CreateAsync(new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream()));
            return connection;
        }

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await _stop.CancelAsync();
            try
            {
                await _serving;
            }
            catch (OperationCanceledException)
            {
                // Stopped on purpose.
            }

            await _server.DisposeAsync();
            _stop.Dispose();
        }
    }
}
