namespace StructuralChunking.Search;

/// <summary>
/// The corpus-wide numbers BM25 needs (document count, total length, document frequency of each term), for scoring a few
/// documents of a corpus held elsewhere (a database) exactly as an index of the whole corpus would score them.
/// </summary>
public sealed record LexicalStatistics
{
    private readonly IReadOnlyDictionary<string, int> _documentFrequencies;

    /// <summary>Creates the statistics of a corpus.</summary>
    /// <param name="documentCount">Documents in the corpus.</param>
    /// <param name="totalLength">Sum of the documents' lengths in terms (<see cref="LexicalTokenizer.Terms"/>).</param>
    /// <param name="documentFrequencies">For each term of interest (typically the query's), the number of documents containing it.</param>
    public LexicalStatistics(int documentCount, long totalLength, IReadOnlyDictionary<string, int> documentFrequencies)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(documentCount);
        ArgumentOutOfRangeException.ThrowIfNegative(totalLength);
        ArgumentNullException.ThrowIfNull(documentFrequencies);
        DocumentCount = documentCount;
        TotalLength = totalLength;
        _documentFrequencies = documentFrequencies;
    }

    /// <summary>Documents in the corpus.</summary>
    public int DocumentCount { get; }

    /// <summary>Sum of the documents' lengths in terms.</summary>
    public long TotalLength { get; }

    /// <summary>The average document length as <see cref="Bm25Index"/> computes it (at least 1).</summary>
    public float AverageLength => DocumentCount == 0 ? 1f : Math.Max(1f, (float)((double)TotalLength / DocumentCount));

    /// <summary>Documents containing <paramref name="term"/>; <paramref name="fallback"/> when the statistics do not list it.</summary>
    public int DocumentFrequency(string term, int fallback) => _documentFrequencies.TryGetValue(term, out var frequency) ? frequency : fallback;
}
