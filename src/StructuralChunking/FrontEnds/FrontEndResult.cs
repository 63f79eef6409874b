using System.Collections.Immutable;
using StructuralChunking.Discovery;
using StructuralChunking.Graph;

namespace StructuralChunking.FrontEnds;

/// <summary>What a <see cref="ICodeFrontEnd"/> loaded.</summary>
public sealed record FrontEndResult
{
    /// <summary>The front end's <see cref="ICodeFrontEnd.Name"/>.</summary>
    public required string FrontEnd { get; init; }

    /// <summary>The graph of the files it parsed.</summary>
    public required CodeGraph Graph { get; init; }

    /// <summary>Documents parsed.</summary>
    public int DocumentCount { get; init; }

    /// <summary>Documents whose results came from the state of an earlier run instead of being parsed again.</summary>
    public int ReusedDocumentCount { get; init; }

    /// <summary>Problems met: projects that failed to load, files with syntax errors, fallbacks taken.</summary>
    public ImmutableArray<GraphLoadDiagnostic> Diagnostics { get; init; } = [];

    /// <summary>Files the front end left out, with the reason.</summary>
    public ImmutableArray<SkippedPath> SkippedFiles { get; init; } = [];

    /// <summary>State to keep for the next run (see <see cref="FrontEndRequest.StatePath"/>), or <c>null</c>.</summary>
    public IFrontEndState? State { get; init; }

    /// <summary>
    /// The front end's own result type (<c>CSharpGraphResult</c>, <c>TreeSitterGraphResult</c>) for callers that want
    /// its details, or <c>null</c>.
    /// </summary>
    public object? Details { get; init; }

    /// <summary>An empty result with one error diagnostic: the front end could not run here.</summary>
    public static FrontEndResult Unavailable(string frontEnd, string message) => new()
    {
        FrontEnd = frontEnd,
        Graph = CodeGraph.Empty,
        Diagnostics = [new GraphLoadDiagnostic(GraphLoadSeverity.Error, message)],
    };
}

/// <summary>State a front end keeps between runs, written by the engine after the index it belongs to is saved.</summary>
public interface IFrontEndState
{
    /// <summary>Writes the state to <paramref name="path"/> atomically.</summary>
    void Save(string path);
}
