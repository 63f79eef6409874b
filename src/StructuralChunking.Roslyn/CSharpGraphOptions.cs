namespace StructuralChunking.Roslyn;

/// <summary>Options for <see cref="CSharpGraphLoader"/>. Every property has a default that suits most code bases.</summary>
public sealed class CSharpGraphOptions
{
    /// <summary>C# files larger than this are skipped with a recorded reason. Default 2 MiB.</summary>
    public long MaxFileBytes { get; init; } = 2 * 1024 * 1024;

    /// <summary>
    /// When a solution or project loads with no documents at all (an old-style project MSBuild cannot evaluate here, a
    /// missing SDK), compile the files of its folder ad hoc instead, so broken projects still get a semantic graph.
    /// Default <c>true</c>.
    /// </summary>
    public bool FallBackToAdHoc { get; init; } = true;

    /// <summary>
    /// Preprocessor symbols for the ad-hoc compilation of loose folders (projects use their own). Default none.
    /// </summary>
    public IReadOnlyList<string> PreprocessorSymbols { get; init; } = [];

    /// <summary>
    /// Add the SDK's implicit global usings (<c>System</c>, <c>System.Linq</c>, …) to ad-hoc compilations, so modern
    /// code written for <c>ImplicitUsings</c> binds. Default <c>true</c>.
    /// </summary>
    public bool AdHocImplicitUsings { get; init; } = true;

    /// <summary>Record <c>references</c> edges for type usage (source types only). Default <c>true</c>.</summary>
    public bool IncludeTypeReferences { get; init; } = true;

    /// <summary>Maximum number of documents bound at once. Default: the number of processors.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Per-document results of earlier loads: documents whose text and visible declarations are unchanged are taken from
    /// it instead of being bound again, and the cache is updated with this load. <c>null</c> (the default) binds
    /// everything.
    /// </summary>
    public CSharpGraphCache? Cache { get; init; }

    /// <summary>
    /// Open solutions and projects with MSBuildWorkspace, which evaluates them and runs their design-time targets and
    /// tasks: code from the repository (an <c>Exec</c> in a target, a custom task, a property function) runs with your
    /// permissions. Exact for builds that generate code or compute their items. Default <c>false</c>: project files are
    /// read as data and nothing from the repository runs. Turn it on only for code you trust.
    /// </summary>
    public bool TrustProjectBuild { get; init; }

    /// <summary>
    /// Files whose brackets nest deeper than this are skipped as <see cref="Discovery.SkipReason.Pathological"/> before
    /// parsing, so no input can exhaust the stack in the parser or binder. Default 256 (hand-written code rarely passes 30).
    /// </summary>
    public int MaxNestingDepth { get; init; } = 256;

    /// <summary>
    /// Binding one document that takes longer than this is abandoned and the file skipped as
    /// <see cref="Discovery.SkipReason.Unparsable"/>. Default 30 seconds (ordinary files take milliseconds);
    /// <see cref="Timeout.InfiniteTimeSpan"/> for none.
    /// </summary>
    public TimeSpan DocumentTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks the options, reporting every problem at once.</summary>
    /// <exception cref="ArgumentException">One or more options are out of range.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (MaxFileBytes <= 0)
        {
            errors.Add($"{nameof(MaxFileBytes)} must be positive (was {MaxFileBytes}).");
        }

        if (MaxDegreeOfParallelism <= 0)
        {
            errors.Add($"{nameof(MaxDegreeOfParallelism)} must be positive (was {MaxDegreeOfParallelism}).");
        }

        if (MaxNestingDepth <= 0)
        {
            errors.Add($"{nameof(MaxNestingDepth)} must be positive (was {MaxNestingDepth}).");
        }

        if (DocumentTimeout <= TimeSpan.Zero && DocumentTimeout != Timeout.InfiniteTimeSpan)
        {
            errors.Add($"{nameof(DocumentTimeout)} must be positive or Timeout.InfiniteTimeSpan (was {DocumentTimeout}).");
        }

        if (PreprocessorSymbols is null)
        {
            errors.Add($"{nameof(PreprocessorSymbols)} must not be null.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid C# graph options: " + string.Join(" ", errors));
        }
    }
}
