namespace StructuralChunking.Evaluation;

/// <summary>One point of the threshold trade-off curve.</summary>
/// <param name="Threshold">Minimum score.</param>
/// <param name="PositivesKept">Share of positive queries whose first hit scores at least the threshold.</param>
/// <param name="NegativesEmptied">Share of negative queries whose every result scores below it (they return nothing).</param>
public sealed record ThresholdPoint(float Threshold, double PositivesKept, double NegativesEmptied);

/// <summary>
/// The calibrated minimum score and the trade-off it sits on.
/// </summary>
/// <remarks>
/// <para><b>Objective.</b> Among thresholds that keep at least <see cref="TargetPositivesKept"/> (90%) of the positive
/// queries' first hits, choose the one that empties the most negative queries; among equals, the lowest (it keeps the
/// most answers). A first hit is the highest-ranked relevant result within the top 10 (symbol level); its score is what
/// the threshold must not cut. A negative query is emptied when its top result scores below the threshold.</para>
/// <para>With no negative queries the objective has nothing to gain and the threshold keeps every first hit.</para>
/// </remarks>
/// <param name="Threshold">The chosen minimum score; <c>null</c> when there were no first hits to calibrate on.</param>
/// <param name="PositivesKept">Share of first hits kept at the chosen threshold.</param>
/// <param name="NegativesEmptied">Share of negative queries that return nothing at the chosen threshold.</param>
/// <param name="Curve">The trade-off at every candidate threshold, ascending.</param>
public sealed record ThresholdCalibration(float? Threshold, double PositivesKept, double NegativesEmptied, IReadOnlyList<ThresholdPoint> Curve)
{
    /// <summary>The share of positive first hits the chosen threshold must keep.</summary>
    public const double TargetPositivesKept = 0.9;

    /// <summary>Calibrates from first-hit scores of positive queries and top scores of negative ones.</summary>
    /// <param name="positiveFirstHitScores">Score of the first relevant result of each positive query that has one.</param>
    /// <param name="negativeTopScores">Score of the top result of each negative query (<c>null</c>: it returned nothing anyway).</param>
    public static ThresholdCalibration Calibrate(IReadOnlyList<float> positiveFirstHitScores, IReadOnlyList<float?> negativeTopScores)
    {
        ArgumentNullException.ThrowIfNull(positiveFirstHitScores);
        ArgumentNullException.ThrowIfNull(negativeTopScores);
        if (positiveFirstHitScores.Count == 0)
        {
            return new ThresholdCalibration(null, 0, 0, []);
        }

        // Candidates: every observed score (a threshold between two of them behaves like the upper one), plus "none".
        var candidates = positiveFirstHitScores.Concat(negativeTopScores.Where(s => s.HasValue).Select(s => s!.Value))
            .Append(float.NegativeInfinity).Distinct().Order().ToList();
        var curve = new List<ThresholdPoint>(candidates.Count);
        ThresholdPoint? best = null;
        foreach (var threshold in candidates)
        {
            var kept = positiveFirstHitScores.Count(s => s >= threshold) / (double)positiveFirstHitScores.Count;
            var emptied = negativeTopScores.Count == 0 ? 0 : negativeTopScores.Count(s => s is null || s < threshold) / (double)negativeTopScores.Count;
            var point = new ThresholdPoint(threshold, kept, emptied);
            if (float.IsFinite(threshold))
            {
                curve.Add(point);
            }

            if (kept >= TargetPositivesKept && (best is null || emptied > best.NegativesEmptied))
            {
                best = point;
            }
        }

        best ??= new ThresholdPoint(float.NegativeInfinity, 1, 0);
        return new ThresholdCalibration(float.IsFinite(best.Threshold) ? best.Threshold : null, best.PositivesKept, best.NegativesEmptied, curve);
    }
}
