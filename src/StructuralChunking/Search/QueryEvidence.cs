namespace StructuralChunking.Search;

/// <summary>
/// What one query's candidates say about whether the index can answer it, computed once per query; each result's
/// <see cref="ConfidenceSignals"/> adds its own cosine and words.
/// </summary>
internal sealed class QueryEvidence
{
    private const int SpreadRank = 10;

    private readonly Bm25Index _lexical;
    private readonly List<(int TermId, float Idf)> _words = [];
    private readonly float _totalIdf;
    private readonly float _knownShare;
    private readonly float _topCosine;
    private readonly float _spread;

    /// <param name="query">The query text.</param>
    /// <param name="lexical">The index's lexical side, for the words.</param>
    /// <param name="dense">The dense candidates, best first.</param>
    public QueryEvidence(string query, Bm25Index lexical, List<ScoredItem> dense)
    {
        _lexical = lexical;
        var known = 0f;
        foreach (var term in LexicalTokenizer.QueryTerms(query))
        {
            if (LexicalTokenizer.IsFunctionWord(term) || term.Length < 2)
            {
                continue;
            }

            var weight = KnownForm(lexical, term);
            _words.Add((weight.TermId, weight.Idf));
            _totalIdf += weight.Idf;
            known += weight.Known ? weight.Idf : 0f;
        }

        _knownShare = _totalIdf > 0 ? known / _totalIdf : 0f;
        _topCosine = dense.Count > 0 ? dense[0].Score : 0f;
        _spread = dense.Count > 0 ? _topCosine - dense[Math.Min(SpreadRank, dense.Count) - 1].Score : 0f;
    }

    /// <summary>
    /// The term's weight, or that of the first inflected form the index knows: a question says "redirects" and "parsing"
    /// where the code says <c>redirect</c> and <c>parse</c>, and that word is not missing from the code base.
    /// </summary>
    private static (int TermId, float Idf, bool Known) KnownForm(Bm25Index lexical, string term)
    {
        var weight = lexical.TermWeight(term);
        if (weight.Known || term.Length < 4)
        {
            return weight;
        }

        foreach (var form in LexicalTokenizer.InflectedForms(term))
        {
            var candidate = lexical.TermWeight(form);
            if (candidate.Known)
            {
                return candidate;
            }
        }

        return weight;
    }

    public ConfidenceSignals Signals(int ordinal, float cosine, bool exactName)
    {
        var matched = 0f;
        foreach (var (termId, idf) in _words)
        {
            if (_lexical.Contains(termId, ordinal))
            {
                matched += idf;
            }
        }

        return new ConfidenceSignals
        {
            Cosine = cosine,
            TopCosine = _topCosine,
            CosineSpread = _spread,
            QueryWordsKnown = _knownShare,
            QueryWordsMatched = _totalIdf > 0 ? matched / _totalIdf : 0f,
            ExactName = exactName,
        };
    }
}
