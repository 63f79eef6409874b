using System.CommandLine;
using System.Globalization;
using StructuralChunking.Cli.Output;
using StructuralChunking.Graph;
using StructuralChunking.Roslyn;
using StructuralChunking.TreeSitter;
using StructuralChunking.FrontEnds;

namespace StructuralChunking.Cli.Commands;

/// <summary><c>structchunk graph PATH [--json] [--dot FILE]</c>: build the call graph and print it.</summary>
internal static class GraphCommand
{
    public static Command Create(CliContext context)
    {
        var path = new Argument<string>("path")
        {
            Description = "A .sln, .slnx or .csproj file, or a folder (a folder without exactly one solution or project is compiled ad hoc).",
        };
        var json = new Option<bool>("--json") { Description = "Print the graph as JSON: {\"symbols\":[...],\"edges\":[...]}." };
        var dot = new Option<string?>("--dot") { Description = "Also write the graph in Graphviz format to this file." };
        var maxFileKb = new Option<int>("--max-file-kb") { Description = "Skip files larger than this many KiB.", DefaultValueFactory = _ => 2048 };

        var trustBuild = TrustBuildOption.Create();
        var command = new Command("graph", "Build the call graph of a solution, project or folder and print a summary or JSON.")
        {
            path, json, dot, maxFileKb, trustBuild,
        };

        command.SetAction(context.Guard(async (parseResult, cancellationToken) =>
        {
            var input = parseResult.GetValue(path)!;
            var codeBase = await FrontEndSet.LoadAsync(input, Math.Max(1, parseResult.GetValue(maxFileKb)) * 1024L, cancellationToken, parseResult.GetValue(trustBuild)).ConfigureAwait(false);
            if (parseResult.GetValue(dot) is { } dotPath)
            {
                await using var dotWriter = new StreamWriter(dotPath);
                GraphWriters.WriteDot(codeBase.Graph, dotWriter);
            }

            if (parseResult.GetValue(json))
            {
                await context.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
                using var buffer = new MemoryStream();
                GraphWriters.WriteJson(codeBase.Graph, buffer);
                await context.Output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)).ConfigureAwait(false);
            }
            else
            {
                await WriteSummaryAsync(context.Output, codeBase).ConfigureAwait(false);
            }

            await WriteDiagnosticsAsync(context.Error, codeBase, verbose: false).ConfigureAwait(false);
            return CliContext.Success;
        }));

        return command;
    }

    private static async Task WriteSummaryAsync(TextWriter output, CodeBase codeBase)
    {
        var graph = codeBase.Graph;
        if (codeBase.FrontEnds.Select(f => f.Details).OfType<CSharpGraphResult>().FirstOrDefault() is { } csharp)
        {
            var seconds = Math.Max(csharp.Elapsed.TotalSeconds, 1e-6);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"csharp (Roslyn, {csharp.Mode}): {csharp.ProjectCount} project(s), {csharp.DocumentCount} document(s), {csharp.SourceBytes / 1024.0 / 1024.0:F2} MB in {seconds:F2} s ({csharp.SourceBytes / 1024.0 / 1024.0 / seconds:F2} MB/s)")).ConfigureAwait(false);
        }

        if (codeBase.FrontEnds.Select(f => f.Details).OfType<TreeSitterGraphResult>().FirstOrDefault() is { } treeSitter)
        {
            var seconds = Math.Max(treeSitter.Elapsed.TotalSeconds, 1e-6);
            var languages = string.Join(", ", treeSitter.DocumentsByLanguage.Select(p => $"{p.Key} {p.Value}"));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"tree-sitter ({languages}): {treeSitter.DocumentCount} document(s), {treeSitter.SourceBytes / 1024.0 / 1024.0:F2} MB in {seconds:F2} s ({treeSitter.SourceBytes / 1024.0 / 1024.0 / seconds:F2} MB/s)")).ConfigureAwait(false);
        }

        var located = graph.Symbols.Count(s => !s.IsExternal);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{codeBase.Root}: symbols: {located} declared, {graph.Symbols.Length - located} external")).ConfigureAwait(false);
        foreach (var group in graph.Symbols.Where(s => !s.IsExternal).GroupBy(s => s.Kind).OrderBy(g => g.Key))
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {group.Key.ToWireName(),-14} {group.Count(),8}")).ConfigureAwait(false);
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"edges: {graph.Edges.Length}")).ConfigureAwait(false);
        foreach (var group in graph.Edges.GroupBy(e => e.Kind).OrderBy(g => g.Key))
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {group.Key.ToWireName(),-14} {group.Count(),8}")).ConfigureAwait(false);
        }
    }

    internal static Task WriteDiagnosticsAsync(TextWriter error, CodeBase codeBase, bool verbose) =>
        WriteDiagnosticsAsync(error, codeBase.Diagnostics, codeBase.NotableSkipped.ToList(), verbose);

    internal static async Task WriteDiagnosticsAsync(TextWriter error, IEnumerable<GraphLoadDiagnostic> diagnosticsOf, IReadOnlyList<Discovery.SkippedPath> skipped, bool verbose)
    {
        const int Shown = 5;
        // Both front ends report the core's GraphLoadDiagnostic, so one list serves both.
        var diagnostics = diagnosticsOf
            .Select(d => $"{d.Severity.ToString().ToLowerInvariant()}: {(d.Path is null ? string.Empty : d.Path + ": ")}{d.Message}")
            .ToList();

        if (diagnostics.Count > 0)
        {
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{diagnostics.Count} load diagnostic(s):")).ConfigureAwait(false);
            foreach (var diagnostic in verbose ? diagnostics : diagnostics.Take(Shown))
            {
                await error.WriteLineAsync("  " + diagnostic).ConfigureAwait(false);
            }

            if (!verbose && diagnostics.Count > Shown)
            {
                await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  … and {diagnostics.Count - Shown} more")).ConfigureAwait(false);
            }
        }

        if (skipped.Count > 0)
        {
            var byReason = skipped.GroupBy(s => s.Reason).Select(g => $"{g.Count()} {g.Key}");
            await error.WriteLineAsync($"skipped {skipped.Count}: {string.Join(", ", byReason)} (first: {skipped[0]})").ConfigureAwait(false);
        }
    }
}
