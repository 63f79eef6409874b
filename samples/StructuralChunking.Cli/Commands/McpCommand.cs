using System.CommandLine;
using System.Globalization;
using StructuralChunking.Discovery;
using StructuralChunking.Indexing;
using StructuralChunking.Mcp;

namespace StructuralChunking.Cli.Commands;

/// <summary>
/// <c>structchunk mcp [PATH | --index FILE]</c>: a Model Context Protocol server over stdio, through <see cref="CodeSearchMcpServer"/>.
/// Serving a folder keeps its index fresh (watched, re-indexed incrementally in the background); serving a file does not.
/// </summary>
internal static class McpCommand
{
    public static Command Create(CliContext context)
    {
        var path = new Argument<string?>("path") { Description = "The code base folder to serve and keep indexed (default: the current folder).", Arity = ArgumentArity.ZeroOrOne };
        var index = new Option<string?>("--index") { Description = "Serve this index file as it is, without watching or re-indexing anything." };
        var embedder = new Option<string?>("--embedder") { Description = $"Embedding model when the folder has no index yet: {Embedders.Names}. Default: the index's model, else {Embedders.DefaultName}." };
        var debounce = new Option<int>("--debounce") { Description = "Milliseconds of quiet after a file change before re-indexing.", DefaultValueFactory = _ => 500 };
        var noWatch = new Option<bool>("--no-watch") { Description = "Index the folder once at start, then do not watch it." };
        var trustBuild = TrustBuildOption.Create();
        var command = new Command("mcp", "Serve code search, context packs and call-graph navigation to an AI assistant over MCP (stdio). Logs go to stderr.")
        {
            path, index, embedder, debounce, noWatch, trustBuild,
        };

        command.SetAction(context.Guard(async (parseResult, cancellationToken) =>
        {
            var indexFile = parseResult.GetValue(index);
            var folder = parseResult.GetValue(path);
            if (indexFile is not null && folder is not null)
            {
                throw new CliUserException("Give a folder to serve or --index FILE, not both.");
            }

            void Log(string message) => context.Error.WriteLine("structchunk mcp: " + message);

            string modelName;
            if (indexFile is not null)
            {
                modelName = parseResult.GetValue(embedder) ?? ContextCommand.OpenIndex(indexFile).Metadata.ModelId;
            }
            else
            {
                folder = Path.GetFullPath(folder ?? Directory.GetCurrentDirectory());
                if (!Directory.Exists(folder))
                {
                    throw new CliUserException($"The folder '{folder}' does not exist.");
                }

                modelName = parseResult.GetValue(embedder) ?? ExistingModel(folder) ?? Embedders.DefaultName;
            }

            using var embedderChoice = Embedders.Create(modelName);
            var options = new CodeSearchEngineOptions
            {
                Embedder = embedderChoice.Generator,
                Profile = embedderChoice.Profile,
                Discovery = new SourceDiscoveryOptions { MaxFileBytes = 2 * 1024 * 1024 },
            };
            foreach (var frontEnd in FrontEndSet.Create(parseResult.GetValue(trustBuild)))
            {
                options.FrontEnds.Add(frontEnd);
            }

            var engine = new CodeSearchEngine(options);
            LiveCodeIndex live;
            try
            {
                live = indexFile is not null
                    ? LiveCodeIndex.Open(engine, indexFile)
                    : LiveCodeIndex.Watch(engine, folder!, new LiveCodeIndexOptions
                    {
                        Debounce = TimeSpan.FromMilliseconds(parseResult.GetValue(debounce)),
                        WatchFiles = !parseResult.GetValue(noWatch),
                        Log = Log,
                    });
            }
            catch (Exception ex) when (ex is ArgumentException or IndexFormatException or IndexModelMismatchException)
            {
                throw new CliUserException(ex.Message);
            }

            using (live)
            {
                Log(indexFile is not null
                    ? string.Create(CultureInfo.InvariantCulture, $"serving {live.Current!.Chunks.Length} chunks from {indexFile} (model {engine.Profile.ModelId})")
                    : $"serving {folder} (model {engine.Profile.ModelId}){(live.Current is null ? "; building its index" : string.Empty)}");

                // stdout carries JSON-RPC only: anything a library writes to Console.Out goes to stderr instead.
                var stdout = Console.Out;
                Console.SetOut(Console.Error);
                try
                {
                    await CodeSearchMcpServer.RunStdioAsync(live, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    Console.SetOut(stdout);
                }
            }

            return CliContext.Success;
        }));

        return command;
    }

    /// <summary>The model the folder's existing index was built with, so serving it reuses its embeddings.</summary>
    private static string? ExistingModel(string folder)
    {
        var file = IndexingOptions.DefaultIndexPath(folder);
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            return CodeIndex.Load(file).Metadata.ModelId;
        }
        catch (IndexFormatException)
        {
            return null;
        }
    }
}
