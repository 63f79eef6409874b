using StructuralChunking.Evaluation;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Evaluation;

public sealed class RetrievalEvaluatorTests
{
    private static readonly EvalQuery Positive1 = new("q1", "where are tokens read", "natural", [new RelevantLocation("auth/reader.py", 10)]);
    private static readonly EvalQuery Positive2 = new("q2", "admin middleware", "discriminative", [new RelevantLocation("auth/admin.py", 5), new RelevantLocation("auth/admin2.py", 7)]);
    private static readonly EvalQuery Positive3 = new("q3", "never found", "behavior", [new RelevantLocation("x.py", 1)]);
    private static readonly EvalQuery Negative = new("q4", "quantum physics", "negative", []);

    private static Dictionary<string, IReadOnlyList<RankedAnswer>> Answers() => new()
    {
        // Hit at rank 2 at symbol level; rank 1 is the right file but the wrong lines.
        ["where are tokens read"] = [new("auth/reader.py", 20, 30, 0.8f), new("pkg/auth/reader.py", 8, 12, 0.7f)],
        // The second relevant location is hit at rank 1.
        ["admin middleware"] = [new("auth/admin2.py", 1, 9, 0.9f)],
        ["never found"] = [new("y.py", 1, 5, 0.3f)],
        ["quantum physics"] = [new("z.py", 1, 2, 0.2f)],
    };

    [Fact]
    public void Metrics_follow_the_documented_definitions()
    {
        var report = RetrievalEvaluator.Evaluate([Positive1, Positive2, Positive3, Negative], Answers());

        Assert.Equal(4, report.Queries);
        Assert.Equal(3, report.Symbol.Queries);
        Assert.Equal((0.5 + 1 + 0) / 3, report.Symbol.Mrr10, 6);
        Assert.Equal(1 / 3.0, report.Symbol.Recall1, 6);
        Assert.Equal(2 / 3.0, report.Symbol.Recall5, 6);
        Assert.Equal((1 + 1 + 0) / 3.0, report.File.Mrr10, 6);
        Assert.Equal(0, report.NegativesEmptyAsRun);
        Assert.Equal(["behavior", "discriminative", "natural"], report.ByKind.Keys);
        Assert.Equal(1, report.ByKind["natural"].File.Mrr10);
        var failure = Assert.Single(report.Failures);
        Assert.Equal("q3", failure.Query.Id);
        Assert.Equal("y.py", failure.FirstResult!.Path);
    }

    [Fact]
    public void Only_the_top_ten_count()
    {
        var answers = new Dictionary<string, IReadOnlyList<RankedAnswer>>
        {
            ["where are tokens read"] = Enumerable.Range(0, 10).Select(i => new RankedAnswer("other.py", 1, 2, 1f - (i * 0.01f))).Append(new("auth/reader.py", 1, 50, 0.1f)).ToList(),
        };
        var report = RetrievalEvaluator.Evaluate([Positive1], answers);
        Assert.Equal(0, report.Symbol.Mrr10);
        Assert.Equal(0, report.File.Recall10);
    }

    [Fact]
    public void A_first_hit_below_a_confident_result_survives_at_the_share_of_the_threshold()
    {
        // The first hit is ranked second with confidence 0.3; the query is answered by the first result's 0.8.
        IReadOnlyList<RankedAnswer> results = [new("auth/reader.py", 20, 30, 0.8f, Confidence: 0.8), new("auth/reader.py", 8, 12, 0.7f, Confidence: 0.3)];

        Assert.Equal(0.6, RetrievalEvaluator.SurvivingConfidence(results, 2, 0.5)!.Value, 10);
        Assert.Equal(0.3, RetrievalEvaluator.SurvivingConfidence(results, 2, 1)!.Value, 10);
        Assert.Equal(0.8, RetrievalEvaluator.SurvivingConfidence(results, 2, 0)!.Value, 10);
        Assert.Equal(0.8, RetrievalEvaluator.SurvivingConfidence(results, 1, 0.5)!.Value, 10);

        var answers = new Dictionary<string, IReadOnlyList<RankedAnswer>> { ["where are tokens read"] = results };
        Assert.Equal(1, RetrievalEvaluator.Evaluate([Positive1], answers, defaultConfidence: 0.55, answeredResultShare: 0.5).AtDefaultConfidence!.PositivesKept);
        Assert.Equal(0, RetrievalEvaluator.Evaluate([Positive1], answers, defaultConfidence: 0.65, answeredResultShare: 0.5).AtDefaultConfidence!.PositivesKept);
        Assert.Equal(0, RetrievalEvaluator.Evaluate([Positive1], answers, defaultConfidence: 0.55, answeredResultShare: 1).AtDefaultConfidence!.PositivesKept);
    }

    [Fact]
    public void Calibration_keeps_ninety_percent_of_first_hits_and_empties_most_negatives()
    {
        float[] positives = [0.9f, 0.8f, 0.7f, 0.65f, 0.6f, 0.55f, 0.5f, 0.45f, 0.4f, 0.2f];
        float?[] negatives = [0.42f, 0.35f, 0.3f, null, 0.5f];

        var calibration = ThresholdCalibration.Calibrate(positives, negatives);

        // 0.4 keeps 9 of 10 first hits; 0.42 would keep only 8.
        Assert.Equal(0.4f, calibration.Threshold);
        Assert.Equal(0.9, calibration.PositivesKept, 6);
        Assert.Equal(3 / 5.0, calibration.NegativesEmptied, 6);
        Assert.All(calibration.Curve.Zip(calibration.Curve.Skip(1)), pair => Assert.True(pair.First.Threshold < pair.Second.Threshold));
        Assert.Null(ThresholdCalibration.Calibrate([], negatives).Threshold);
    }

    [Fact]
    public void Paths_match_by_suffix_like_the_independent_scorer()
    {
        Assert.True(RetrievalEvaluator.SamePath("/usr/lib/python3/dist-packages/requests/sessions.py", "sessions.py"));
        Assert.True(RetrievalEvaluator.SamePath("Serialization\\JsonProperty.cs", "Serialization/JsonProperty.cs"));
        Assert.False(RetrievalEvaluator.SamePath("mysessions.py", "sessions.py"));
    }

    [Fact]
    public void Query_sets_load_and_bad_lines_name_their_line()
    {
        using var folder = new TempDirectory();
        var good = folder.Write("good.jsonl", """
            {"id": "a-1", "query": "where are redirects followed", "kind": "natural", "relevant": [{"path": "sessions.py", "line": 159, "symbol": "S.resolve"}]}

            {"id": "a-2", "query": "launch a rocket", "kind": "negative", "relevant": []}
            """);
        var queries = EvalQuery.Load(good);
        Assert.Equal(2, queries.Count);
        Assert.Equal(159, queries[0].Relevant[0].Line);
        Assert.True(queries[1].IsNegative);

        var bad = folder.Write("bad.jsonl", "{\"id\": \"x\", \"query\": \"ok\", \"relevant\": []}\n{not json\n");
        Assert.Contains("bad.jsonl:2", Assert.Throws<InvalidDataException>(() => EvalQuery.Load(bad)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Calibration_without_negative_questions_sets_no_threshold()
    {
        // Nothing says where wrong answers score, so cutting any positive would buy nothing.
        var calibration = ThresholdCalibration.Calibrate([0.5f, 0.6f, 0.7f], []);

        Assert.Null(calibration.Threshold);
        Assert.Equal(1.0, calibration.PositivesKept);
        Assert.Equal(0.0, calibration.NegativesEmptied);
        Assert.Equal([0.5f, 0.6f, 0.7f], calibration.Curve.Select(p => p.Threshold));
    }

    [Fact]
    public void Calibration_with_ties_keeps_scores_equal_to_the_threshold()
    {
        // Ten positives (one at 0.4, nine at 0.5) and two negatives (0.45, 0.5). By hand: at 0.45, 9/10 kept and no
        // negative emptied (0.45 is not below 0.45); at 0.5, 9/10 kept and the 0.45 negative emptied (1/2), while the
        // negative tied with the positives at 0.5 stays. So 0.5 is chosen.
        float[] positives = [0.4f, .. Enumerable.Repeat(0.5f, 9)];
        var calibration = ThresholdCalibration.Calibrate(positives, [0.45f, 0.5f]);

        Assert.Equal(0.5f, calibration.Threshold);
        Assert.Equal(0.9, calibration.PositivesKept, 6);
        Assert.Equal(0.5, calibration.NegativesEmptied, 6);
        var atTie = Assert.Single(calibration.Curve, p => p.Threshold == 0.45f);
        Assert.Equal(0.0, atTie.NegativesEmptied);
    }

    [Fact]
    public void Calibration_counts_a_negative_that_returned_nothing_as_emptied_at_every_threshold()
    {
        var calibration = ThresholdCalibration.Calibrate([0.5f, 0.6f], [null, 0.9f]);

        Assert.All(calibration.Curve, p => Assert.True(p.NegativesEmptied >= 0.5));
        Assert.Null(calibration.Threshold);
    }
}
