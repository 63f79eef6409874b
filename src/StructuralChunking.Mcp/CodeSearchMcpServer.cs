using System.Reflection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace StructuralChunking.Mcp;

/// <summary>
/// Builds and runs the StructuralChunking MCP server: the <see cref="CodeSearchTools"/> over a <see cref="LiveCodeIndex"/>,
/// on any MCP transport (stdio for assistants that launch it, streams for tests).
/// </summary>
/// <example>
/// <code>
/// using var live = LiveCodeIndex.Watch(engine, "path/to/repo");
/// await CodeSearchMcpServer.RunStdioAsync(live, cancellationToken);
/// </code>
/// </example>
public static class CodeSearchMcpServer
{
    /// <summary>The server's name in the MCP handshake.</summary>
    public const string Name = "structchunk";

    private const string Instructions =
        "Code search over one indexed code base, with its compiler-built call graph. Start with get_context_pack for a question " +
        "(it fits a token budget and stops at the relevance threshold), or search_code for a ranked list. Then follow the graph with " +
        "get_symbol, find_callers, find_callees and find_implementations, passing the symbolId an earlier answer gave. An empty " +
        "answer means nothing in the code base scores above the calibrated threshold: say so rather than guess.";

    /// <summary>The server options: identity, instructions and the tools over <paramref name="live"/>.</summary>
    public static McpServerOptions CreateOptions(LiveCodeIndex live, TimeSpan? readyTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(live);
        var tools = new CodeSearchTools(live, readyTimeout);
        var collection = new McpServerPrimitiveCollection<McpServerTool>();
        foreach (var method in typeof(CodeSearchTools).GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            if (method.GetCustomAttribute<McpServerToolAttribute>() is not null)
            {
                collection.Add(McpServerTool.Create(method, tools));
            }
        }

        return new McpServerOptions
        {
            ServerInfo = new Implementation { Name = Name, Version = typeof(CodeSearchMcpServer).Assembly.GetName().Version?.ToString(3) ?? "0.0.0" },
            ServerInstructions = Instructions,
            ToolCollection = collection,
        };
    }

    /// <summary>Creates a server on <paramref name="transport"/>; run it with <see cref="McpServer.RunAsync"/> and dispose it after.</summary>
    public static McpServer Create(ITransport transport, LiveCodeIndex live, TimeSpan? readyTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        return McpServer.Create(transport, CreateOptions(live, readyTimeout));
    }

    /// <summary>
    /// Serves over standard input and output until the client disconnects or <paramref name="cancellationToken"/> fires.
    /// Only JSON-RPC goes to standard output: the caller must write its own messages to standard error.
    /// </summary>
    public static async Task RunStdioAsync(LiveCodeIndex live, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(live);
        var options = CreateOptions(live);
        await using var transport = new StdioServerTransport(options);
        await using var server = McpServer.Create(transport, options);
        await server.RunAsync(cancellationToken).ConfigureAwait(false);
    }
}
