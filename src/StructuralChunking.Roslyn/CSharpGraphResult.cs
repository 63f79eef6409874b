using System.Collections.Immutable;
using StructuralChunking.Discovery;
using StructuralChunking.Graph;

namespace StructuralChunking.Roslyn;

/// <summary>How <see cref="CSharpGraphLoader"/> obtained its compilations.</summary>
public enum CSharpLoadMode
{
    /// <summary>A solution or project opened through MSBuildWorkspace (only with <see cref="CSharpGraphOptions.TrustProjectBuild"/>).</summary>
    MSBuild,
    /// <summary>A folder's <c>.cs</c> files compiled together against the running framework's reference assemblies.</summary>
    AdHoc,
    /// <summary>
    /// A solution or project read as data (no evaluation, no targets), each project compiled from its <c>Compile</c> items
    /// against the running .NET's assemblies, its project references and the packages a previous restore resolved.
    /// </summary>
    ProjectFiles,
}

/// <summary>The outcome of <see cref="CSharpGraphLoader.LoadAsync"/>.</summary>
public sealed record CSharpGraphResult
{
    /// <summary>The resolved graph of the loaded code.</summary>
    public required CodeGraph Graph { get; init; }

    /// <summary>The folder that symbol paths are relative to (the folder of the solution, project or the folder given).</summary>
    public required string RootDirectory { get; init; }

    /// <summary>Whether MSBuild or an ad-hoc compilation supplied the semantic model.</summary>
    public required CSharpLoadMode Mode { get; init; }

    /// <summary>Projects loaded (1 for an ad-hoc folder).</summary>
    public required int ProjectCount { get; init; }

    /// <summary>Documents turned into graph symbols.</summary>
    public required int DocumentCount { get; init; }

    /// <summary>Bytes of source text in those documents.</summary>
    public required long SourceBytes { get; init; }

    /// <summary>Everything that went wrong or was worked around, in the order met.</summary>
    public required ImmutableArray<GraphLoadDiagnostic> Diagnostics { get; init; }

    /// <summary>Files not used, each with its reason.</summary>
    public required ImmutableArray<SkippedPath> SkippedFiles { get; init; }

    /// <summary>How many of <see cref="DocumentCount"/> documents came from <see cref="CSharpGraphOptions.Cache"/> instead of being bound.</summary>
    public int ReusedDocumentCount { get; init; }

    /// <summary>Wall-clock time of the whole load.</summary>
    public required TimeSpan Elapsed { get; init; }
}
