namespace StructuralChunking.Search;

/// <summary>
/// What <see cref="QueryAnalyzer"/> found in a query: the code names, paths, stack frames, error messages and code
/// blocks of a pasted issue report, and whether the query is long or structured enough for them to be used.
/// </summary>
public sealed record QueryAnalysis
{
    /// <summary>Code identifiers written in the query (mixed case, underscores, or followed by a call: <c>PlaceOrder</c>, <c>read_token</c>, <c>save()</c>).</summary>
    public IReadOnlyList<string> Identifiers { get; init; } = [];

    /// <summary>Dotted and <c>::</c> names (<c>requests.sessions.Session.send</c>, <c>std::vector</c>), as written.</summary>
    public IReadOnlyList<string> QualifiedNames { get; init; } = [];

    /// <summary>File paths and file names with an extension (<c>src/orders.ts</c>, <c>models.py</c>), as written.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>Stack-trace frames, in the order they were found.</summary>
    public IReadOnlyList<StackFrame> Frames { get; init; } = [];

    /// <summary>Error messages: quoted strings and <c>SomeError: text</c> lines.</summary>
    public IReadOnlyList<string> Messages { get; init; } = [];

    /// <summary>The contents of fenced code blocks (<c>```</c>).</summary>
    public IReadOnlyList<string> CodeBlocks { get; init; } = [];

    /// <summary>Words in the query (runs of letters and digits).</summary>
    public int WordCount { get; init; }

    /// <summary>
    /// True when the query is a report rather than a short question: it holds a stack trace, fenced code or inline
    /// code in backticks (as issue trackers write it), or it is long (<see cref="QueryAnalyzer.LongQueryWords"/> words
    /// or more). Search uses the analysis only then, so short
    /// questions rank exactly as without it.
    /// </summary>
    public bool IsStructured { get; init; }
}
