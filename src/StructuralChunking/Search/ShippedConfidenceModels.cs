namespace StructuralChunking.Search;

/// <summary>
/// The confidence models fitted for the built-in embedding models by <c>benchmarks/confidence/fit.sh</c> (see
/// <see cref="ConfidenceModel.Fit"/> and the evaluation document): doc-comment questions of four code bases in four
/// languages, none of them an evaluation set, against held-out definitions, the other code bases' questions and
/// out-of-domain questions. Each threshold keeps 95% of the doc-comment questions' first hits as search returns them:
/// the query answered by its best result, the first hit returned at <see cref="SearchOptions.DefaultAnsweredResultShare"/>
/// of the threshold.
/// </summary>
internal static class ShippedConfidenceModels
{
    // all-MiniLM-L6-v2 (minilm).
    private static readonly ConfidenceModel MiniLM = new(
        Intercept: -5.7561, Cosine: 4.9521, TopCosine: 2.1415, CosineSpread: 0.9021, QueryWordsKnown: 1.9731, QueryWordsMatched: 3.5228, ExactName: 1.8479,
        Threshold: 0.4011);

    // snowflake-arctic-embed-xs (arctic-xs), fitted on three of the four code bases (Go, Python, TypeScript).
    private static readonly ConfidenceModel ArcticXs = new(
        Intercept: -5.9938, Cosine: 2.2715, TopCosine: 1.2700, CosineSpread: 0.7256, QueryWordsKnown: 3.2984, QueryWordsMatched: 3.6524, ExactName: 2.5548,
        Threshold: 0.3940);

    public static ConfidenceModel? ForModel(string modelId) => modelId switch
    {
        // The int8 variant's cosines stay within about 0.01 of the float model's: the same calibration holds.
        "minilm" or "minilm-int8" => MiniLM,
        "arctic-xs" => ArcticXs,
        _ => null,
    };
}
