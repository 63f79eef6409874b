namespace StructuralChunking.Chunking;

/// <summary>Options for <see cref="StructuralChunker"/>. Defaults suit a 256-token embedding model such as all-MiniLM-L6-v2.</summary>
/// <remarks>
/// Every header part can be switched off on its own so evaluations can measure what each one buys
/// (the CLI's <c>--no-graph-context</c> and <c>--no-split</c>).
/// </remarks>
public sealed record ChunkingOptions
{
    /// <summary>Token budget of a chunk's embedding text (header plus code). Default 256.</summary>
    public int TokenBudget { get; init; } = 256;

    /// <summary>The most of <see cref="TokenBudget"/> the header may take, as a fraction; code keeps the rest. Default 0.45.</summary>
    public double MaxHeaderShare { get; init; } = 0.45;

    /// <summary>Put the file path in the header. Default <c>true</c>.</summary>
    public bool IncludePath { get; init; } = true;

    /// <summary>Put the scope chain (<c>Namespace &gt; Type &gt; Member</c>) and kind in the header. Default <c>true</c>.</summary>
    public bool IncludeScope { get; init; } = true;

    /// <summary>Put the signature in the header. Default <c>true</c>.</summary>
    public bool IncludeSignature { get; init; } = true;

    /// <summary>Put the first sentence of the doc comment in the header. Default <c>true</c>.</summary>
    public bool IncludeDocumentation { get; init; } = true;

    /// <summary>
    /// Give an undocumented definition the first doc sentences of its graph neighbours: the member or type it implements
    /// or overrides, a documented caller that only forwards to it, and a documented property of another type that it
    /// reads (at most two sentences, inside the documentation's share of the header; test code borrows nothing).
    /// Needs <see cref="IncludeDocumentation"/>. Default <c>true</c>.
    /// </summary>
    public bool InheritDocumentation { get; init; } = true;

    /// <summary>
    /// Split identifiers into words: the header gets the signature's identifiers as words and graph neighbours are
    /// named by their words; the lexical text gets words next to the original identifiers. Default <c>true</c>.
    /// </summary>
    public bool SplitIdentifiers { get; init; } = true;

    /// <summary>Put graph context (implemented members, base types, callees, callers) in the header. Default <c>true</c>.</summary>
    public bool IncludeGraphContext { get; init; } = true;

    /// <summary>Most callees named in a header. Default 5.</summary>
    public int MaxCallees { get; init; } = 5;

    /// <summary>Most callers named in a header. Default 4.</summary>
    public int MaxCallers { get; init; } = 4;

    /// <summary>Members of at most this many lines (fields, one-line properties, enum members) merge into runs. Default 2.</summary>
    public int TinyMemberMaxLines { get; init; } = 2;

    /// <summary>
    /// Undocumented methods, constructors, operators and properties with bodies of at most this many lines (getters,
    /// trivial constructors, forwarding overloads) join runs of tiny members when at least two such members are adjacent,
    /// so one header serves several; a run with bodies ends before it outgrows one chunk or its scope line could no longer
    /// name every member. A merged member stays covered by its run's span, and its name is in the run's scope line, words
    /// and lexical text. 0 keeps each in a chunk of its own. Default 0: at 4 and 5 lines (3–5% fewer chunks on a large C#
    /// code base) one of the shared evaluation sets lost 0.02 symbol MRR@10.
    /// </summary>
    public int TinyMethodMaxLines { get; init; }

    /// <summary>
    /// Embed generated code (forms designer files, resource accessors, protocol-buffer stubs, files whose heading comments
    /// say they are generated; see <see cref="Discovery.GeneratedCode"/>) like hand-written code. Default <c>false</c>:
    /// generated code is embedded by its header only (where it lives, its name, signature and neighbours), while every
    /// word of its body stays in the lexical text, so it is still found by name and by the words in it. Its bodies are
    /// machine-written and rarely what a question asks for; embedding only their headers cut a WinForms code base's
    /// embedded tokens by an eighth. The parts of a generated definition too long for one chunk all get the header that
    /// definition would have as one chunk (no part number), so they share one embedding.
    /// </summary>
    public bool EmbedGeneratedCode { get; init; }

    /// <summary>
    /// Leave doc comments out of every text (header and code). Used by self-generated evaluations, where the doc
    /// comment is the query and must not also be the answer. Default <c>false</c>.
    /// </summary>
    public bool HideDocumentation { get; init; }

    /// <summary>Checks the options, reporting every problem at once.</summary>
    /// <exception cref="ArgumentException">One or more options are out of range.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (TokenBudget < 32)
        {
            errors.Add($"{nameof(TokenBudget)} must be at least 32 (was {TokenBudget}).");
        }

        if (MaxHeaderShare is < 0.05 or > 0.9 || double.IsNaN(MaxHeaderShare))
        {
            errors.Add($"{nameof(MaxHeaderShare)} must be between 0.05 and 0.9 (was {MaxHeaderShare}).");
        }

        if (MaxCallees < 0)
        {
            errors.Add($"{nameof(MaxCallees)} must not be negative (was {MaxCallees}).");
        }

        if (MaxCallers < 0)
        {
            errors.Add($"{nameof(MaxCallers)} must not be negative (was {MaxCallers}).");
        }

        if (TinyMemberMaxLines < 0)
        {
            errors.Add($"{nameof(TinyMemberMaxLines)} must not be negative (was {TinyMemberMaxLines}).");
        }

        if (TinyMethodMaxLines < 0)
        {
            errors.Add($"{nameof(TinyMethodMaxLines)} must not be negative (was {TinyMethodMaxLines}).");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid chunking options: " + string.Join(" ", errors));
        }
    }
}
