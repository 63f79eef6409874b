using System.CommandLine;
using StructuralChunking.Identifiers;

namespace StructuralChunking.Cli.Commands;

/// <summary><c>structchunk split ID...</c>: one line per argument, the argument, a tab, its lower-case words.</summary>
internal static class SplitCommand
{
    public static Command Create(CliContext context)
    {
        var identifiers = new Argument<string[]>("identifiers")
        {
            Description = "Identifiers (or any text) to split into words, e.g. useAdminJwtValidationMiddleware XMLHttpRequest.",
            Arity = ArgumentArity.OneOrMore,
        };

        var command = new Command("split", "Split identifiers into the words an embedding model and a lexical index see.")
        {
            identifiers,
        };

        command.SetAction(context.Guard(async (parseResult, cancellationToken) =>
        {
            foreach (var identifier in parseResult.GetValue(identifiers) ?? [])
            {
                cancellationToken.ThrowIfCancellationRequested();
                await context.Output.WriteLineAsync($"{identifier}\t{IdentifierSplitter.SplitToText(identifier)}").ConfigureAwait(false);
            }

            return CliContext.Success;
        }));

        return command;
    }
}
