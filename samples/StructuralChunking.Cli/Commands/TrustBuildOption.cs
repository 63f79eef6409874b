using System.CommandLine;

namespace StructuralChunking.Cli.Commands;

/// <summary><c>--trust-build</c>: the one switch that lets MSBuild evaluate the indexed solution (and run its targets).</summary>
internal static class TrustBuildOption
{
    public static Option<bool> Create() => new("--trust-build")
    {
        Description = "Open C# solutions and projects with MSBuild, which runs their targets and tasks (code from the repository). " +
            "Without it project files are read as data and nothing from the repository runs. Only for code you trust.",
    };
}
