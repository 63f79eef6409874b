using StructuralChunking.Graph;

namespace StructuralChunking.Search;

/// <summary>Options of one search. Defaults: top 10, hybrid ranking, the index's calibrated minimum score.</summary>
public sealed class SearchOptions
{
    /// <summary>Most results returned. Default 10.</summary>
    public int Top { get; init; } = 10;

    /// <summary>Ranking. Default <see cref="SearchMode.Hybrid"/>.</summary>
    public SearchMode Mode { get; init; } = SearchMode.Hybrid;

    /// <summary>
    /// Results scoring below this are not returned (cosine for dense and hybrid, BM25 for lexical). <c>null</c> uses the
    /// threshold calibrated into the index for the mode, or none if it has none; negative infinity turns the threshold
    /// off. Returning nothing is a valid answer.
    /// </summary>
    public float? MinScore { get; init; }

    /// <summary>
    /// In dense and hybrid mode, results whose confidence (the probability that they answer the query, see
    /// <see cref="ConfidenceModel"/>) is below this are not returned. <c>null</c> uses the index's confidence model and its
    /// threshold (calibrated into the index, else the one shipped for its embedding model); 0 turns the check off. Ignored
    /// when <see cref="MinScore"/> is set.
    /// </summary>
    public double? MinConfidence { get; init; }

    /// <summary>
    /// The confidence threshold answers the query as a whole: when the best of the first results reaches it, the query
    /// is answered, and the results whose confidence is at least this share of the threshold are returned with it (a
    /// right answer ranked below a confident one often scores lower itself); when none reaches it, nothing is returned.
    /// 1 makes every result reach the threshold on its own. Default <see cref="DefaultAnsweredResultShare"/>.
    /// </summary>
    public double AnsweredResultShare { get; init; } = DefaultAnsweredResultShare;

    /// <summary>The default <see cref="AnsweredResultShare"/>.</summary>
    public const double DefaultAnsweredResultShare = 0.5;

    /// <summary>Only chunks whose path matches this glob (<c>*</c> within a folder, <c>**</c> across folders, <c>?</c>).</summary>
    public string? PathGlob { get; init; }

    /// <summary>Only chunks of these languages; <c>null</c> for all.</summary>
    public IReadOnlySet<string>? Languages { get; init; }

    /// <summary>Only chunks of these symbol kinds; <c>null</c> for all.</summary>
    public IReadOnlySet<SymbolKind>? Kinds { get; init; }

    /// <summary>Leave out chunks from test code. Default <c>false</c>. The same as <see cref="Tests"/> = <see cref="TestCodeInclusion.Exclude"/>.</summary>
    public bool ExcludeTests { get; init; }

    /// <summary>Whether test code is returned: included (ranked below production code), excluded, or only test code. Default included.</summary>
    public TestCodeInclusion Tests { get; init; }

    /// <summary>
    /// In hybrid mode, the factor applied to the fused score of test code when it is included with production code, so
    /// that a test ranks below the production code it exercises unless it matches clearly better. Test code also never
    /// receives score through the graph. In every mode, test code's <see cref="SearchResult.Confidence"/> is multiplied by
    /// it as well, so a test alone answers a query only with a clearly higher confidence. 1 ranks test code like any other
    /// code. Default <see cref="DefaultTestCodeWeight"/>.
    /// </summary>
    public double TestCodeWeight { get; init; } = DefaultTestCodeWeight;

    /// <summary>The default <see cref="TestCodeWeight"/>, chosen by measurement (see the evaluation document).</summary>
    public const double DefaultTestCodeWeight = 0.6;

    /// <summary>True when test code is left out (<see cref="ExcludeTests"/> or <see cref="Tests"/> = exclude).</summary>
    internal bool LeavesOutTests => ExcludeTests || Tests == TestCodeInclusion.Exclude;

    /// <summary>Leave out chunks from generated code. Default <c>false</c>.</summary>
    public bool ExcludeGenerated { get; init; }

    /// <summary>How many candidates each list contributes before fusion and grouping. Default 100.</summary>
    public int CandidatePool { get; init; } = 100;

    /// <summary>
    /// In hybrid mode, how much the BM25 list counts in reciprocal rank fusion relative to the dense list (weight 1)
    /// and the exact-name list (weight 1). Default 1: equal weights.
    /// </summary>
    public double LexicalWeight { get; init; } = 1.0;

    /// <summary>
    /// In hybrid mode, the share of a declaration-like hit's score (a property, field, enum, interface member, option or
    /// exception type, or a forwarding overload) passed to the code that reads, calls, uses or implements it, through the
    /// code graph stored in the index. 0 turns graph ranking off; it also has no effect on an index built without a graph.
    /// </summary>
    public double GraphWeight { get; init; } = DefaultGraphWeight;

    /// <summary>The default <see cref="GraphWeight"/>, chosen by measurement (see the evaluation document).</summary>
    public const double DefaultGraphWeight = 0.5;

    /// <summary>
    /// In hybrid mode with graph ranking, the factor applied to the score of a declaration-like hit (a property, an option
    /// or exception type, an interface member, a forwarding overload) that passed score on to code that does the work:
    /// the declaration describes the behaviour, the receiver performs it. Hits that only describe (properties, fields,
    /// enums and their members, interfaces and body-less members, delegates, type aliases) step back by the same factor
    /// even when no code acting on them was found. 1 leaves declarations where they matched.
    /// Default <see cref="DefaultDeclarationWeight"/>.
    /// </summary>
    public double DeclarationWeight { get; init; } = DefaultDeclarationWeight;

    /// <summary>The default <see cref="DeclarationWeight"/>, chosen by measurement (see the evaluation document).</summary>
    public const double DefaultDeclarationWeight = 0.8;

    /// <summary>
    /// Whether the query is analysed as an issue report: its stack frames, qualified names and file paths resolved
    /// against the index add ranked evidence to hybrid fusion, its whole text is embedded in windows, and file-level
    /// search counts the files it names. Default <see cref="QueryAnalysisMode.Auto"/>: long or structured queries only,
    /// so short questions rank as before.
    /// </summary>
    public QueryAnalysisMode QueryAnalysis { get; init; }

    /// <summary>
    /// How the windows of a query longer than <see cref="QueryWindowWords"/> words are fused on the dense side (when the
    /// query is analysed). Default <see cref="DefaultLongQueryFusion"/>, chosen by measurement.
    /// </summary>
    public LongQueryFusion LongQueryFusion { get; init; } = DefaultLongQueryFusion;

    /// <summary>The default <see cref="LongQueryFusion"/>.</summary>
    public const LongQueryFusion DefaultLongQueryFusion = LongQueryFusion.Max;

    /// <summary>Words per embedded window of a long query (the default model reads 256 tokens). Default 120.</summary>
    public int QueryWindowWords { get; init; } = 120;

    /// <summary>
    /// In hybrid mode, the weight in reciprocal rank fusion of a report's evidence lists: definitions its qualified names
    /// name; chunks of the files it names (at half this weight); and definitions its stack frames name in our code (twice
    /// this weight for the frame closest to the error, divided by the frame's position for the others; framework frames,
    /// which resolve to none of our files, add nothing). 0 turns the evidence off. Default 1.
    /// </summary>
    public double ReportEvidenceWeight { get; init; } = 1.0;

    /// <summary>
    /// In file-level search, the weight of each further definition of a file relative to the one before it: a file's
    /// score is <c>s1 + d·s2 + d²·s3 + …</c> over its results, best first (each score counted above the last result's), so
    /// a file with several good matches ranks above one with a single slightly better match. 0 ranks files by their best
    /// definition only. Default
    /// <see cref="DefaultFileScoreDecay"/>, chosen by measurement.
    /// </summary>
    public double FileScoreDecay { get; init; } = DefaultFileScoreDecay;

    /// <summary>The default <see cref="FileScoreDecay"/>.</summary>
    public const double DefaultFileScoreDecay = 0.5;

    /// <summary>Checks the options, reporting every problem at once.</summary>
    /// <exception cref="ArgumentException">One or more options are out of range.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (Top is < 1 or > 10_000)
        {
            errors.Add($"{nameof(Top)} must be between 1 and 10000 (was {Top}).");
        }

        if (CandidatePool < Top)
        {
            errors.Add($"{nameof(CandidatePool)} must be at least {nameof(Top)} (was {CandidatePool}).");
        }

        if (MinScore is { } min && !float.IsFinite(min) && !float.IsNegativeInfinity(min))
        {
            errors.Add($"{nameof(MinScore)} must be a finite number (or negative infinity for no threshold).");
        }

        if (!double.IsFinite(LexicalWeight) || LexicalWeight is < 0 or > 10)
        {
            errors.Add($"{nameof(LexicalWeight)} must be between 0 and 10 (was {LexicalWeight}).");
        }

        if (!double.IsFinite(DeclarationWeight) || DeclarationWeight is < 0 or > 1)
        {
            errors.Add($"{nameof(DeclarationWeight)} must be between 0 and 1 (was {DeclarationWeight}).");
        }

        if (!double.IsFinite(GraphWeight) || GraphWeight is < 0 or > 10)
        {
            errors.Add($"{nameof(GraphWeight)} must be between 0 and 10 (was {GraphWeight}).");
        }

        if (MinConfidence is { } confidence && (!double.IsFinite(confidence) || confidence is < 0 or > 1))
        {
            errors.Add($"{nameof(MinConfidence)} must be between 0 and 1 (was {confidence}).");
        }

        if (!double.IsFinite(AnsweredResultShare) || AnsweredResultShare is < 0 or > 1)
        {
            errors.Add($"{nameof(AnsweredResultShare)} must be between 0 and 1 (was {AnsweredResultShare}).");
        }

        if (!double.IsFinite(TestCodeWeight) || TestCodeWeight is < 0 or > 1)
        {
            errors.Add($"{nameof(TestCodeWeight)} must be between 0 and 1 (was {TestCodeWeight}).");
        }

        if (ExcludeTests && Tests == TestCodeInclusion.Only)
        {
            errors.Add($"{nameof(ExcludeTests)} and {nameof(Tests)} = {nameof(TestCodeInclusion.Only)} contradict each other.");
        }

        if (!double.IsFinite(FileScoreDecay) || FileScoreDecay is < 0 or > 1)
        {
            errors.Add($"{nameof(FileScoreDecay)} must be between 0 and 1 (was {FileScoreDecay}).");
        }

        if (QueryWindowWords is < 16 or > 4096)
        {
            errors.Add($"{nameof(QueryWindowWords)} must be between 16 and 4096 (was {QueryWindowWords}).");
        }

        if (!double.IsFinite(ReportEvidenceWeight) || ReportEvidenceWeight is < 0 or > 10)
        {
            errors.Add($"{nameof(ReportEvidenceWeight)} must be between 0 and 10 (was {ReportEvidenceWeight}).");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid search options: " + string.Join(" ", errors));
        }
    }
}
