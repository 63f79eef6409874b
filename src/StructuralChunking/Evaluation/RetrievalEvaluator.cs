namespace StructuralChunking.Evaluation;

/// <summary>A positive query that found nothing relevant in its top 10, and what ranked first instead.</summary>
/// <param name="Query">The query.</param>
/// <param name="FirstResult">The top result, or <c>null</c> when nothing was returned.</param>
/// <param name="FileHitRank">Rank of the first result in a relevant file, if any (a near miss).</param>
public sealed record FailedQuery(EvalQuery Query, RankedAnswer? FirstResult, int? FileHitRank);

/// <summary>Everything one evaluation run measured.</summary>
public sealed record EvalReport
{
    /// <summary>Number of queries (positive and negative).</summary>
    public required int Queries { get; init; }

    /// <summary>Symbol-level metrics: a hit when a result's span contains a relevant definition line.</summary>
    public required RetrievalMetrics Symbol { get; init; }

    /// <summary>File-level metrics: a hit when a result is in a relevant file.</summary>
    public required RetrievalMetrics File { get; init; }

    /// <summary>Symbol- and file-level metrics per query kind (natural, behavior, discriminative).</summary>
    public required IReadOnlyDictionary<string, (RetrievalMetrics Symbol, RetrievalMetrics File)> ByKind { get; init; }

    /// <summary>The calibrated threshold and its trade-off curve.</summary>
    public required ThresholdCalibration Threshold { get; init; }

    /// <summary>Share of negative queries that returned nothing as run (before calibration).</summary>
    public required double NegativesEmptyAsRun { get; init; }

    /// <summary>Positive queries with no symbol-level hit in the top 10.</summary>
    public required IReadOnlyList<FailedQuery> Failures { get; init; }

    /// <summary>
    /// The threshold on result confidence calibrated like <see cref="Threshold"/> (a first hit survives when the query is
    /// answered and its own confidence reaches the answered-result share of the threshold, see
    /// <see cref="RetrievalEvaluator.SurvivingConfidence"/>; a negative query is emptied when none of its results reaches
    /// the threshold); <c>null</c> when the answers carried no confidence.
    /// </summary>
    public ThresholdCalibration? ConfidenceThreshold { get; init; }

    /// <summary>The trade-off at the confidence threshold the search used by default; <c>null</c> when none applied.</summary>
    public ThresholdPoint? AtDefaultConfidence { get; init; }

    /// <summary>
    /// Labelled confidence evidence for fitting a <see cref="Search.ConfidenceModel"/>: each positive query's first hit
    /// (answers) and every result of each negative query (does not answer).
    /// </summary>
    public IReadOnlyList<Search.ConfidenceSample> ConfidenceSamples { get; init; } = [];
}

/// <summary>
/// Scores ranked answers against a query set: MRR@10 and Recall@1/5/10 at symbol and file level, per kind, failures,
/// and a calibrated minimum score. It agrees with the shared independent <c>score.py</c>: paths match by suffix, a
/// symbol-level hit needs the result's span to contain the relevant line.
/// </summary>
public static class RetrievalEvaluator
{
    /// <summary>Evaluates <paramref name="answers"/> (keyed by query text, each ranked best first).</summary>
    /// <param name="queries">The query set.</param>
    /// <param name="answers">The answers by query text, unfiltered by any threshold.</param>
    /// <param name="defaultConfidence">The confidence threshold the search applies by default, to report its trade-off.</param>
    /// <param name="answeredResultShare">
    /// The search's <see cref="Search.SearchOptions.AnsweredResultShare"/>: a first hit survives a confidence threshold when
    /// the query is answered (one of its first results reaches the threshold) and its own confidence reaches this share of it.
    /// </param>
    public static EvalReport Evaluate(IReadOnlyList<EvalQuery> queries, IReadOnlyDictionary<string, IReadOnlyList<RankedAnswer>> answers, double? defaultConfidence = null,
        double answeredResultShare = Search.SearchOptions.DefaultAnsweredResultShare)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(answers);
        var symbolRanks = new List<int?>();
        var fileRanks = new List<int?>();
        var byKind = new Dictionary<string, (List<int?> Symbol, List<int?> File)>(StringComparer.Ordinal);
        var firstHitScores = new List<float>();
        var negativeTopScores = new List<float?>();
        var failures = new List<FailedQuery>();
        var negativesEmpty = 0;
        var negatives = 0;
        var firstHitConfidences = new List<float>();
        var negativeTopConfidences = new List<float?>();
        var samples = new List<Search.ConfidenceSample>();
        var withConfidence = false;

        foreach (var query in queries)
        {
            var results = answers.TryGetValue(query.Query, out var list) ? list : [];
            if (query.IsNegative)
            {
                negatives++;
                negativesEmpty += results.Count == 0 ? 1 : 0;
                negativeTopScores.Add(results.Count == 0 ? null : results[0].Score);
                float? topConfidence = null;
                foreach (var result in results)
                {
                    withConfidence |= result.Confidence.HasValue;
                    if (result.Confidence is { } c)
                    {
                        topConfidence = Math.Max(topConfidence ?? 0f, (float)c);
                    }

                    if (result.Signals is { } signals)
                    {
                        samples.Add(new Search.ConfidenceSample(signals, Answers: false));
                    }
                }

                negativeTopConfidences.Add(topConfidence);
                continue;
            }

            var symbolRank = FirstHit(results, query.Relevant, symbolLevel: true);
            var fileRank = FirstHit(results, query.Relevant, symbolLevel: false);
            symbolRanks.Add(symbolRank);
            fileRanks.Add(fileRank);
            if (!byKind.TryGetValue(query.Kind, out var kind))
            {
                byKind[query.Kind] = kind = ([], []);
            }

            kind.Symbol.Add(symbolRank);
            kind.File.Add(fileRank);
            if (symbolRank is { } rank)
            {
                firstHitScores.Add(results[rank - 1].Score);
                var firstHit = results[rank - 1];
                withConfidence |= firstHit.Confidence.HasValue;
                if (SurvivingConfidence(results, rank, answeredResultShare) is { } c)
                {
                    firstHitConfidences.Add((float)c);
                }

                if (firstHit.Signals is { } signals)
                {
                    var neighbours = new List<Search.ConfidenceSignals>();
                    for (var i = 0; i < Math.Min(Indexing.CodeIndex.AnsweredWindow, results.Count); i++)
                    {
                        if (i != rank - 1 && results[i].Signals is { } other)
                        {
                            neighbours.Add(other);
                        }
                    }

                    samples.Add(new Search.ConfidenceSample(signals, Answers: true, neighbours));
                }
            }
            else
            {
                failures.Add(new FailedQuery(query, results.Count > 0 ? results[0] : null, fileRank));
            }
        }

        return new EvalReport
        {
            Queries = queries.Count,
            Symbol = RetrievalMetrics.FromRanks(symbolRanks),
            File = RetrievalMetrics.FromRanks(fileRanks),
            ByKind = byKind.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => (RetrievalMetrics.FromRanks(p.Value.Symbol), RetrievalMetrics.FromRanks(p.Value.File)), StringComparer.Ordinal),
            Threshold = ThresholdCalibration.Calibrate(firstHitScores, negativeTopScores),
            NegativesEmptyAsRun = negatives == 0 ? 0 : negativesEmpty / (double)negatives,
            Failures = failures,
            ConfidenceThreshold = withConfidence ? ThresholdCalibration.Calibrate(firstHitConfidences, negativeTopConfidences) : null,
            AtDefaultConfidence = withConfidence && defaultConfidence is { } t
                ? new ThresholdPoint((float)t,
                    firstHitConfidences.Count == 0 ? 0 : firstHitConfidences.Count(c => c >= t) / (double)firstHitConfidences.Count,
                    negativeTopConfidences.Count == 0 ? 0 : negativeTopConfidences.Count(c => c is null || c < t) / (double)negativeTopConfidences.Count)
                : null,
            ConfidenceSamples = samples,
        };
    }

    /// <summary>
    /// The highest confidence threshold at which the result at 1-based <paramref name="rank"/> is still returned: the query
    /// must be answered (one of its first results reaches the threshold) and the result must reach
    /// <paramref name="answeredResultShare"/> of it. <c>null</c> when the results carry no confidence.
    /// </summary>
    public static double? SurvivingConfidence(IReadOnlyList<RankedAnswer> results, int rank, double answeredResultShare)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results[rank - 1].Confidence is not { } own)
        {
            return null;
        }

        var best = own;
        for (var i = 0; i < Math.Min(Indexing.CodeIndex.AnsweredWindow, results.Count); i++)
        {
            best = Math.Max(best, results[i].Confidence ?? 0);
        }

        return Search.ConfidenceModel.SurvivingThreshold(own, best, answeredResultShare);
    }

    /// <summary>The 1-based rank of the first hit within the top 10, or <c>null</c>.</summary>
    public static int? FirstHit(IReadOnlyList<RankedAnswer> results, IReadOnlyList<RelevantLocation> relevant, bool symbolLevel)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(relevant);
        for (var i = 0; i < Math.Min(10, results.Count); i++)
        {
            foreach (var target in relevant)
            {
                if (SamePath(results[i].Path, target.Path) && (!symbolLevel || (results[i].StartLine <= target.Line && target.Line <= results[i].EndLine)))
                {
                    return i + 1;
                }
            }
        }

        return null;
    }

    /// <summary>Paths match when equal or when one ends with the other after a folder separator.</summary>
    public static bool SamePath(string a, string b)
    {
        a = a.Replace('\\', '/');
        b = b.Replace('\\', '/');
        return a == b || a.EndsWith("/" + b, StringComparison.Ordinal) || b.EndsWith("/" + a, StringComparison.Ordinal);
    }
}
