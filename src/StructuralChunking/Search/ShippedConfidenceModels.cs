namespace StructuralChunking.Search;

/// <summary>
/// The confidence models fitted for the built-in embedding models by <c>benchmarks/confidence/fit.sh</c> (see
/// <see cref="ConfidenceModel.Fit"/> and the evaluation document): doc-comment questions of four code bases in four
/// languages, none of them an evaluation set, against held-out definitions, the other code bases' questions and
/// out-of-domain questions.
/// </summary>
internal static class ShippedConfidenceModels
{
    // all-MiniLM-L6-v2 (minilm). The threshold keeps 95% of the positives' first hits as the search applies it: the query
    // answered by its best result, the first hit returned at half the threshold (SearchOptions.AnsweredResultShare).
    private static readonly ConfidenceModel MiniLM = new(
        Intercept: -5.9231, Cosine: 5.0366, TopCosine: 2.1770, CosineSpread: 0.8234, QueryWordsKnown: 2.0650, QueryWordsMatched: 3.5358, ExactName: 1.8710,
        Threshold: 0.4232);

    // snowflake-arctic-embed-xs (arctic-xs), fitted on three of the four code bases (Go, Python, TypeScript).
    private static readonly ConfidenceModel ArcticXs = new(
        Intercept: -6.0445, Cosine: 2.3194, TopCosine: 1.3431, CosineSpread: 0.7126, QueryWordsKnown: 3.3490, QueryWordsMatched: 3.5593, ExactName: 2.5297,
        Threshold: 0.3094);

    public static ConfidenceModel? ForModel(string modelId) => modelId switch
    {
        // The int8 variant's cosines stay within about 0.01 of the float model's: the same calibration holds.
        "minilm" or "minilm-int8" => MiniLM,
        "arctic-xs" => ArcticXs,
        _ => null,
    };
}
