namespace StructuralChunking.Evaluation;

/// <summary>MRR@10 and recall at 1, 5 and 10 over the positive queries of a set.</summary>
/// <param name="Queries">Positive queries measured.</param>
/// <param name="Mrr10">Mean reciprocal rank of the first hit within the top 10 (0 when there is none).</param>
/// <param name="Recall1">Share of queries with a hit at rank 1.</param>
/// <param name="Recall5">Share with a hit in the top 5.</param>
/// <param name="Recall10">Share with a hit in the top 10.</param>
public sealed record RetrievalMetrics(int Queries, double Mrr10, double Recall1, double Recall5, double Recall10)
{
    /// <summary>Metrics from the 1-based rank of each query's first hit (<c>null</c>: no hit in the top 10).</summary>
    public static RetrievalMetrics FromRanks(IReadOnlyCollection<int?> firstHitRanks)
    {
        ArgumentNullException.ThrowIfNull(firstHitRanks);
        if (firstHitRanks.Count == 0)
        {
            return new RetrievalMetrics(0, 0, 0, 0, 0);
        }

        double n = firstHitRanks.Count;
        return new RetrievalMetrics(
            firstHitRanks.Count,
            firstHitRanks.Sum(r => r is { } rank and <= 10 ? 1.0 / rank : 0) / n,
            firstHitRanks.Count(r => r is 1) / n,
            firstHitRanks.Count(r => r is <= 5) / n,
            firstHitRanks.Count(r => r is <= 10) / n);
    }
}
