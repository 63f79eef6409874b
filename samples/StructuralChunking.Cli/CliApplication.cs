using System.CommandLine;
using StructuralChunking.Cli.Commands;

namespace StructuralChunking.Cli;

/// <summary>Builds the <c>structchunk</c> command tree and runs it with explicit output writers (so tests can capture them).</summary>
internal static class CliApplication
{
    public static RootCommand CreateRootCommand(CliContext context)
    {
        var root = new RootCommand(
            "structchunk: parse code into a call graph, cut it into graph-contextualized chunks, and search it.");
        root.Subcommands.Add(SplitCommand.Create(context));
        root.Subcommands.Add(GraphCommand.Create(context));
        root.Subcommands.Add(ChunksCommand.Create(context));
        root.Subcommands.Add(IndexCommand.Create(context));
        root.Subcommands.Add(SearchCommand.Create(context));
        root.Subcommands.Add(ContextCommand.Create(context));
        root.Subcommands.Add(McpCommand.Create(context));
        root.Subcommands.Add(EvalCommand.Create(context));
        root.Subcommands.Add(EvalCommand.CreateCalibrate(context));
        root.Subcommands.Add(FitConfidenceCommand.Create(context));
        root.Subcommands.Add(LanguagesCommand.Create(context));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var context = new CliContext(output, error);
        var root = CreateRootCommand(context);
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return await root.Parse(args).InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
