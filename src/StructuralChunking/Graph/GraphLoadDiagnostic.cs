namespace StructuralChunking.Graph;

/// <summary>How serious a <see cref="GraphLoadDiagnostic"/> is.</summary>
public enum GraphLoadSeverity
{
    /// <summary>Worth knowing; the graph is complete.</summary>
    Info,

    /// <summary>Part of the input could not be used (a project failed to load, a file has syntax errors).</summary>
    Warning,

    /// <summary>A whole input or language could not be used (a grammar failed its self-check, nothing could be loaded).</summary>
    Error,
}

/// <summary>
/// A problem a graph loader met: a project that failed to load, a file with syntax errors, a fallback taken, a grammar
/// that failed its self-check. Every front end (Roslyn, tree-sitter) reports this one type.
/// </summary>
/// <param name="Severity">How serious it is.</param>
/// <param name="Message">What happened, in words a user can act on.</param>
/// <param name="Path">The file or project concerned, relative to the root when possible.</param>
public sealed record GraphLoadDiagnostic(GraphLoadSeverity Severity, string Message, string? Path = null);
