using System.CommandLine;
using System.Globalization;
using StructuralChunking.Cli.Output;
using StructuralChunking.Graph;
using StructuralChunking.Roslyn;

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

        var command = new Command("graph", "Build the call graph of a solution, project or folder and print a summary or JSON.")
        {
            path, json, dot, maxFileKb,
        };

        command.SetAction(context.Guard(async (parseResult, cancellationToken) =>
        {
            var input = parseResult.GetValue(path)!;
            if (!File.Exists(input) && !Directory.Exists(input))
            {
                throw new CliUserException($"'{input}' does not exist. Pass a .sln, .slnx or .csproj file, or a folder.");
            }

            var options = new CSharpGraphOptions { MaxFileBytes = Math.Max(1, parseResult.GetValue(maxFileKb)) * 1024L };
            CSharpGraphResult result;
            try
            {
                result = await CSharpGraphLoader.LoadAsync(input, options, progress: null, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                throw new CliUserException(ex.Message);
            }

            if (parseResult.GetValue(dot) is { } dotPath)
            {
                await using var dotWriter = new StreamWriter(dotPath);
                GraphWriters.WriteDot(result.Graph, dotWriter);
            }

            if (parseResult.GetValue(json))
            {
                await context.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
                using var buffer = new MemoryStream();
                GraphWriters.WriteJson(result.Graph, buffer);
                await context.Output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)).ConfigureAwait(false);
            }
            else
            {
                await WriteSummaryAsync(context.Output, result).ConfigureAwait(false);
            }

            await WriteDiagnosticsAsync(context.Error, result, verbose: false).ConfigureAwait(false);
            return CliContext.Success;
        }));

        return command;
    }

    private static async Task WriteSummaryAsync(TextWriter output, CSharpGraphResult result)
    {
        var graph = result.Graph;
        var located = graph.Symbols.Count(s => !s.IsExternal);
        var seconds = Math.Max(result.Elapsed.TotalSeconds, 1e-6);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{result.RootDirectory}: {result.Mode} load, {result.ProjectCount} project(s), {result.DocumentCount} document(s), {result.SourceBytes / 1024.0 / 1024.0:F2} MB in {seconds:F2} s ({result.SourceBytes / 1024.0 / 1024.0 / seconds:F2} MB/s)")).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"symbols: {located} declared, {graph.Symbols.Length - located} external")).ConfigureAwait(false);
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

    internal static async Task WriteDiagnosticsAsync(TextWriter error, CSharpGraphResult result, bool verbose)
    {
        const int Shown = 5;
        if (result.Diagnostics.Length > 0)
        {
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{result.Diagnostics.Length} load diagnostic(s):")).ConfigureAwait(false);
            foreach (var diagnostic in verbose ? result.Diagnostics.AsEnumerable() : result.Diagnostics.Take(Shown))
            {
                var where = diagnostic.Path is null ? string.Empty : diagnostic.Path + ": ";
                await error.WriteLineAsync($"  {diagnostic.Severity.ToString().ToLowerInvariant()}: {where}{diagnostic.Message}").ConfigureAwait(false);
            }

            if (!verbose && result.Diagnostics.Length > Shown)
            {
                await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  … and {result.Diagnostics.Length - Shown} more")).ConfigureAwait(false);
            }
        }

        if (result.SkippedFiles.Length > 0)
        {
            var byReason = result.SkippedFiles.GroupBy(s => s.Reason).Select(g => $"{g.Count()} {g.Key}");
            await error.WriteLineAsync($"skipped {result.SkippedFiles.Length} file(s): {string.Join(", ", byReason)}").ConfigureAwait(false);
        }
    }
}
