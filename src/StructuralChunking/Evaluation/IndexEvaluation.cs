using Microsoft.Extensions.AI;
using StructuralChunking.Indexing;
using StructuralChunking.Search;

namespace StructuralChunking.Evaluation;

/// <summary>Runs a query set against a <see cref="CodeIndex"/> and evaluates the answers.</summary>
public static class IndexEvaluation
{
    /// <summary>
    /// Answers every query with no minimum score (so the threshold can be calibrated from the raw score distributions),
    /// then evaluates. <paramref name="options"/> supplies the mode and filters; its <c>MinScore</c> is ignored.
    /// </summary>
    public static async Task<(EvalReport Report, IReadOnlyDictionary<string, IReadOnlyList<RankedAnswer>> Answers)> RunAsync(
        CodeIndex index, IReadOnlyList<EvalQuery> queries, IEmbeddingGenerator<string, Embedding<float>> embedder,
        SearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(embedder);
        options ??= new SearchOptions();
        var raw = new SearchOptions
        {
            Top = 10,
            Mode = options.Mode,
            MinScore = float.NegativeInfinity,
            PathGlob = options.PathGlob,
            Languages = options.Languages,
            Kinds = options.Kinds,
            ExcludeTests = options.ExcludeTests,
            Tests = options.Tests,
            TestCodeWeight = options.TestCodeWeight,
            ExcludeGenerated = options.ExcludeGenerated,
            CandidatePool = options.CandidatePool,
            LexicalWeight = options.LexicalWeight,
            GraphWeight = options.GraphWeight,
            DeclarationWeight = options.DeclarationWeight,
        };

        var answers = new Dictionary<string, IReadOnlyList<RankedAnswer>>(StringComparer.Ordinal);
        foreach (var query in queries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (answers.ContainsKey(query.Query))
            {
                continue;
            }

            var results = await index.SearchAsync(query.Query, embedder, raw, cancellationToken).ConfigureAwait(false);
            answers[query.Query] = results.Select(r => new RankedAnswer(r.Path, r.StartLine, r.EndLine, r.ThresholdScore, r.Symbol, r.Confidence, r.Signals)).ToList();
        }

        var defaultConfidence = options.Mode == SearchMode.Lexical ? null : index.Confidence?.Threshold;
        return (RetrievalEvaluator.Evaluate(queries, answers, options.MinConfidence ?? defaultConfidence, options.AnsweredResultShare), answers);
    }
}
