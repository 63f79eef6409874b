using System.CommandLine;
using System.Globalization;
using StructuralChunking.TreeSitter;

namespace StructuralChunking.Cli.Commands;

/// <summary><c>structchunk languages</c>: the grammars compiled in, their versions and their self-check status.</summary>
internal static class LanguagesCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("languages", "List the supported languages: C# through Roslyn, the others through tree-sitter grammars (with self-check).");
        command.SetAction(context.Guard(async (_, _) =>
        {
            var output = context.Output;
            await output.WriteLineAsync("csharp        Roslyn (semantic model; solutions, projects or folders)").ConfigureAwait(false);
            var check = TreeSitterLanguages.Check();
            if (check.RuntimeError is { } error)
            {
                await output.WriteLineAsync($"tree-sitter   unavailable: {error}").ConfigureAwait(false);
                return CliContext.UserError;
            }

            foreach (var language in check.Languages)
            {
                var status = language.IsUsable ? "ok" : "BROKEN: " + language.Error;
                var ignored = language.IgnoredPredicates.IsEmpty ? string.Empty : $" (ignored predicates: {string.Join(", ", language.IgnoredPredicates)})";
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{language.Language,-13} tree-sitter {language.Package}@{language.PackageVersion}, ABI {language.AbiVersion}, {language.QueryPatternCount} tag patterns: {status}{ignored}")).ConfigureAwait(false);
            }

            return check.IsHealthy ? CliContext.Success : CliContext.UserError;
        }));

        return command;
    }
}
