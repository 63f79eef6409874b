using StructuralChunking.Cli;

namespace StructuralChunking.Tests.Support;

/// <summary>Runs the CLI in-process and captures what it wrote.</summary>
internal static class Cli
{
    public static async Task<(int ExitCode, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApplication.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }
}
