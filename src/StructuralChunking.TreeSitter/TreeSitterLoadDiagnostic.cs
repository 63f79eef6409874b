namespace StructuralChunking.TreeSitter;

/// <summary>How serious a <see cref="TreeSitterLoadDiagnostic"/> is.</summary>
public enum TreeSitterDiagnosticSeverity
{
    /// <summary>Worth knowing; the graph is complete.</summary>
    Info,
    /// <summary>Part of the input could not be used (a file has syntax errors, a query stopped early).</summary>
    Warning,
    /// <summary>A whole language could not be used (its grammar or query failed the self-check).</summary>
    Error,
}

/// <summary>A problem met while loading: a file with syntax errors, a grammar that failed its self-check.</summary>
/// <param name="Severity">How serious it is.</param>
/// <param name="Message">What happened, in words a user can act on.</param>
/// <param name="Path">The file concerned, relative to the root, when there is one.</param>
public sealed record TreeSitterLoadDiagnostic(TreeSitterDiagnosticSeverity Severity, string Message, string? Path = null);
