using System.Collections.Frozen;

namespace StructuralChunking.Search;

/// <summary>
/// Okapi BM25 over the lexical texts of chunks (original identifiers plus their split words, see
/// <see cref="Chunking.CodeChunk.LexicalText"/>). Terms are lower-cased; queries are tokenised the same way
/// (<see cref="LexicalTokenizer"/>), so <c>PlaceOrder</c> in a query meets both <c>placeorder</c> and <c>place</c>, <c>order</c>.
/// </summary>
/// <remarks>Parameters k1 = 1.2 and b = 0.75, the usual defaults. Immutable and thread-safe once built.</remarks>
public sealed class Bm25Index
{
    /// <summary>Term-frequency saturation k1; a store that ranks candidates itself uses the same value.</summary>
    public const float K1 = 1.2f;

    /// <summary>Length normalisation b; a store that ranks candidates itself uses the same value.</summary>
    public const float B = 0.75f;

    private readonly FrozenDictionary<string, int> _termIds;
    private readonly int[][] _postingDocs;
    private readonly int[][] _postingFrequencies;
    private readonly int[] _documentLengths;
    private readonly float _averageLength;
    private readonly LexicalStatistics? _corpus;

    private Bm25Index(FrozenDictionary<string, int> termIds, int[][] postingDocs, int[][] postingFrequencies, int[] documentLengths, LexicalStatistics? corpus = null)
    {
        _termIds = termIds;
        _postingDocs = postingDocs;
        _postingFrequencies = postingFrequencies;
        _documentLengths = documentLengths;
        _corpus = corpus;
        _averageLength = corpus is not null
            ? corpus.AverageLength
            : documentLengths.Length == 0 ? 1f : Math.Max(1f, (float)documentLengths.Average());
    }

    /// <summary>Number of documents.</summary>
    public int DocumentCount => _documentLengths.Length;

    /// <summary>Number of distinct terms.</summary>
    public int TermCount => _termIds.Count;

    /// <summary>Indexes <paramref name="lexicalTexts"/>; document ordinals follow their order.</summary>
    public static Bm25Index Build(IReadOnlyList<string> lexicalTexts) => BuildCore(lexicalTexts, null);

    private static Bm25Index BuildCore(IReadOnlyList<string> lexicalTexts, LexicalStatistics? corpus)
    {
        ArgumentNullException.ThrowIfNull(lexicalTexts);
        var termIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var docs = new List<List<int>>();
        var frequencies = new List<List<int>>();
        var lengths = new int[lexicalTexts.Count];
        var perDocument = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var d = 0; d < lexicalTexts.Count; d++)
        {
            perDocument.Clear();
            foreach (var term in LexicalTokenizer.Terms(lexicalTexts[d]))
            {
                perDocument[term] = perDocument.GetValueOrDefault(term) + 1;
                lengths[d]++;
            }

            foreach (var (term, tf) in perDocument.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (!termIds.TryGetValue(term, out var id))
                {
                    id = termIds.Count;
                    termIds.Add(term, id);
                    docs.Add([]);
                    frequencies.Add([]);
                }

                docs[id].Add(d);
                frequencies[id].Add(tf);
            }
        }

        return new Bm25Index(termIds.ToFrozenDictionary(StringComparer.Ordinal), [.. docs.Select(l => l.ToArray())], [.. frequencies.Select(l => l.ToArray())], lengths, corpus);
    }

    /// <summary>Indexes <paramref name="lexicalTexts"/> (document ordinals follow their order), scoring with the statistics of a whole corpus.</summary>
    /// <param name="lexicalTexts">Some documents of a larger corpus, for example the candidates a database returned.</param>
    /// <param name="corpus">
    /// Document count, total length and document frequencies of the whole corpus, so each document scores exactly as it
    /// would in an index of the whole corpus.
    /// </param>
    public static Bm25Index Build(IReadOnlyList<string> lexicalTexts, LexicalStatistics corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        return BuildCore(lexicalTexts, corpus);
    }

    /// <summary>The <paramref name="k"/> best documents for <paramref name="query"/>, best first (ties: lower ordinal).</summary>
    public List<ScoredItem> Search(string query, int k, Func<int, bool>? filter = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (k <= 0 || DocumentCount == 0)
        {
            return [];
        }

        var scores = new float[DocumentCount];
        var touched = false;
        foreach (var term in LexicalTokenizer.QueryTerms(query))
        {
            if (!_termIds.TryGetValue(term, out var id))
            {
                continue;
            }

            touched = true;
            var documents = _postingDocs[id];
            var frequencies = _postingFrequencies[id];
            var (count, frequency) = _corpus is null ? (DocumentCount, documents.Length) : (_corpus.DocumentCount, _corpus.DocumentFrequency(term, documents.Length));
            var idf = MathF.Log(1f + ((count - frequency + 0.5f) / (frequency + 0.5f)));
            for (var i = 0; i < documents.Length; i++)
            {
                var d = documents[i];
                var tf = frequencies[i];
                scores[d] += idf * (tf * (K1 + 1f)) / (tf + (K1 * (1f - B + (B * _documentLengths[d] / _averageLength))));
            }
        }

        if (!touched)
        {
            return [];
        }

        var top = new TopK(Math.Min(k, DocumentCount));
        for (var d = 0; d < scores.Length; d++)
        {
            if (scores[d] > 0f && (filter is null || filter(d)) && scores[d] >= top.Threshold)
            {
                top.Add(d, scores[d]);
            }
        }

        return top.ToSortedList();
    }

    /// <summary>
    /// The inverse document frequency of <paramref name="term"/> (already lower-cased) with the BM25 formula, and its
    /// term id, or -1 with the largest possible IDF when no chunk contains it: a query word the code base never uses
    /// weighs most in the evidence that the code base cannot answer.
    /// </summary>
    internal (int TermId, float Idf, bool Known) TermWeight(string term)
    {
        var found = _termIds.TryGetValue(term, out var id);
        var localFrequency = found ? _postingDocs[id].Length : 0;

        // Scoring a few documents of a larger corpus (a database's candidates): the corpus decides what is known.
        var (count, frequency) = _corpus is null ? (DocumentCount, localFrequency) : (_corpus.DocumentCount, _corpus.DocumentFrequency(term, localFrequency));
        return (found ? id : -1, MathF.Log(1f + ((count - frequency + 0.5f) / (frequency + 0.5f))), frequency > 0);
    }

    /// <summary>Whether document <paramref name="document"/> contains the term <paramref name="termId"/> (postings are in document order).</summary>
    internal bool Contains(int termId, int document) => termId >= 0 && Array.BinarySearch(_postingDocs[termId], document) >= 0;

    /// <summary>Writes the postings (for persistence).</summary>
    internal void Write(BinaryWriter writer)
    {
        writer.Write(_documentLengths.Length);
        foreach (var length in _documentLengths)
        {
            writer.Write(length);
        }

        writer.Write(_termIds.Count);
        foreach (var (term, id) in _termIds.OrderBy(p => p.Value))
        {
            writer.Write(term);
            var documents = _postingDocs[id];
            writer.Write(documents.Length);
            for (var i = 0; i < documents.Length; i++)
            {
                writer.Write(documents[i]);
                writer.Write(_postingFrequencies[id][i]);
            }
        }
    }

    /// <summary>Reads postings written by <see cref="Write"/>.</summary>
    internal static Bm25Index Read(BinaryReader reader)
    {
        var lengths = new int[ReadCount(reader, sizeof(int))];
        for (var i = 0; i < lengths.Length; i++)
        {
            lengths[i] = reader.ReadInt32();
        }

        var termCount = ReadCount(reader, 1 + sizeof(int));
        var termIds = new Dictionary<string, int>(termCount, StringComparer.Ordinal);
        var docs = new int[termCount][];
        var frequencies = new int[termCount][];
        for (var t = 0; t < termCount; t++)
        {
            termIds.Add(reader.ReadString(), t);
            var count = ReadCount(reader, 2 * sizeof(int));
            docs[t] = new int[count];
            frequencies[t] = new int[count];
            for (var i = 0; i < count; i++)
            {
                docs[t][i] = reader.ReadInt32();
                frequencies[t][i] = reader.ReadInt32();
                if ((uint)docs[t][i] >= (uint)lengths.Length)
                {
                    throw new InvalidDataException("Lexical postings refer to a chunk that does not exist.");
                }
            }
        }

        return new Bm25Index(termIds.ToFrozenDictionary(StringComparer.Ordinal), docs, frequencies, lengths);
    }

    // Every count is checked against the bytes left, so a crafted file cannot make us allocate more than it holds.
    private static int ReadCount(BinaryReader reader, int bytesPerItem)
    {
        var count = reader.ReadInt32();
        var remaining = reader.BaseStream.CanSeek ? reader.BaseStream.Length - reader.BaseStream.Position : long.MaxValue;
        return count >= 0 && (long)count * bytesPerItem <= remaining
            ? count
            : throw new InvalidDataException($"Implausible count {count} in lexical postings ({remaining} bytes left).");
    }
}
