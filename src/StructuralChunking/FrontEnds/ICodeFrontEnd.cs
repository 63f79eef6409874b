namespace StructuralChunking.FrontEnds;

/// <summary>
/// Turns the sources of some languages into a <see cref="Graph.CodeGraph"/>: the one seam between the language-blind
/// core and a parser (Roslyn for C#, tree-sitter for other languages). <see cref="CodeSearchEngine"/> gives each
/// discovered file to the first front end that claims its language, and a solution or project file to the first front
/// end that can open it; files no front end claims are still chunked, as file-level code.
/// </summary>
/// <remarks>Implementations are thread-safe and keep no state between calls except through <see cref="FrontEndRequest.StatePath"/>.</remarks>
public interface ICodeFrontEnd
{
    /// <summary>A short name for summaries and diagnostics, for example <c>csharp</c> or <c>tree-sitter</c>.</summary>
    string Name { get; }

    /// <summary>
    /// The front end and every option that changes what it loads (for example <c>csharp trust-build=False</c>): part of
    /// an index's up-to-date check, so an index built with other settings is rebuilt.
    /// </summary>
    string Description { get; }

    /// <summary>The language ids (<see cref="Discovery.LanguageIds"/>) this front end parses.</summary>
    IReadOnlySet<string> Languages { get; }

    /// <summary>Whether this front end can open <paramref name="path"/> as an entry point (a solution or project file).</summary>
    bool CanOpen(string path);

    /// <summary>Parses the request's files (or its entry point) into a graph.</summary>
    /// <param name="request">What to load.</param>
    /// <param name="progress">Receives progress; may be <c>null</c>.</param>
    /// <param name="cancellationToken">Stops the load.</param>
    /// <returns>
    /// The graph and what went wrong. A front end that cannot run here (a missing native library, an unsupported
    /// platform) returns an empty graph with an error diagnostic rather than throwing, so its files are still chunked.
    /// </returns>
    Task<FrontEndResult> LoadAsync(FrontEndRequest request, IProgress<Graph.GraphBuildProgress>? progress, CancellationToken cancellationToken);
}
