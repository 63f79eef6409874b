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
