using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace StructuralChunking.Search;

/// <summary>
/// Okapi BM25 over the lexical texts of chunks (original identifiers plus their split words, see
/// <see cref="Chunking.CodeChunk.LexicalText"/>). Terms are lower-cased; queries are tokenised the same way
/// (<see cref="LexicalTokenizer"/>), so <c>PlaceOrder</c> in a query meets both <c>placeorder</c> and <c>place</c>, <c>order</c>.
/// </summary>
/// <remarks>
/// <para>Parameters k1 = 1.2 and b = 0.75, the usual defaults. Immutable and thread-safe once built.</para>
/// <para>The postings live in one block, the same bytes in memory as in an index file: terms sorted by their UTF-8
/// bytes and found by binary search, every term's documents and frequencies in two flat runs. Loading an index checks
/// that block's counts and order and decodes nothing (no string or array per term); a query touches a few terms.</para>
/// </remarks>
public sealed class Bm25Index
{
    /// <summary>Term-frequency saturation k1; a store that ranks candidates itself uses the same value.</summary>
    public const float K1 = 1.2f;

    /// <summary>Length normalisation b; a store that ranks candidates itself uses the same value.</summary>
    public const float B = 0.75f;

    // The block, little-endian: int32 documents d | d × int32 length | int32 terms t | int32 postings p
    // | (t + 1) × int32 start of each term in the UTF-8 | (t + 1) × int32 start of each term's postings
    // | p × int32 document | p × int32 frequency | the terms' UTF-8, in byte order.
    private readonly byte[] _block;
    private readonly int[] _documentLengths;
    private readonly int _termCount;
    private readonly int _termStartsAt;
    private readonly int _postingStartsAt;
    private readonly int _documentsAt;
    private readonly int _frequenciesAt;
    private readonly int _utf8At;
    private readonly float _averageLength;
    private readonly LexicalStatistics? _corpus;

    private Bm25Index(byte[] block, LexicalStatistics? corpus = null)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Lexical postings are kept on little-endian machines only.");
        }

        _block = block;
        _corpus = corpus;
        var documentCount = Count(0, 4);
        _documentLengths = MemoryMarshal.Cast<byte, int>(block.AsSpan(4, documentCount * 4)).ToArray();
        var at = 4 + (documentCount * 4);
        _termCount = Count(at, 4 + 4 + 4 + 4);
        var postingCount = Count(at + 4, 4 + 4);
        var termStartsAt = at + 8L;
        var postingStartsAt = termStartsAt + (4L * (_termCount + 1));
        var documentsAt = postingStartsAt + (4L * (_termCount + 1));
        var frequenciesAt = documentsAt + (4L * postingCount);
        var utf8At = frequenciesAt + (4L * postingCount);
        if (utf8At > block.Length)
        {
            throw new InvalidDataException($"{_termCount} terms and {postingCount} postings do not fit in the {block.Length} bytes of the lexical postings.");
        }

        (_termStartsAt, _postingStartsAt, _documentsAt, _frequenciesAt, _utf8At) = ((int)termStartsAt, (int)postingStartsAt, (int)documentsAt, (int)frequenciesAt, (int)utf8At);
        var termStarts = Ints(_termStartsAt, _termCount + 1);
        var postingStarts = Ints(_postingStartsAt, _termCount + 1);
        if (termStarts[0] != 0 || termStarts[^1] != block.Length - _utf8At || postingStarts[0] != 0 || postingStarts[^1] != postingCount)
        {
            throw new InvalidDataException("The lexical postings do not fill their section.");
        }

        for (var t = 0; t < _termCount; t++)
        {
            if (postingStarts[t + 1] < postingStarts[t] || termStarts[t + 1] < termStarts[t])
            {
                throw new InvalidDataException("The lexical postings overlap.");
            }

            // Strictly increasing terms: each term once, and the binary search finds it.
            if (t > 0 && Term(t - 1).SequenceCompareTo(Term(t)) >= 0)
            {
                throw new InvalidDataException("The lexical postings' terms are out of order.");
            }
        }

        if (postingCount > 0 && Ints(_documentsAt, postingCount).IndexOfAnyExceptInRange(0, documentCount - 1) >= 0)
        {
            throw new InvalidDataException("Lexical postings refer to a chunk that does not exist.");
        }

        _averageLength = corpus is not null
            ? corpus.AverageLength
            : _documentLengths.Length == 0 ? 1f : Math.Max(1f, (float)_documentLengths.Average());

        // Every count is checked against the bytes left, so a crafted file cannot make us read outside the block.
        int Count(int offset, int bytesPerItem)
        {
            if (offset < 0 || offset > block.Length - 4)
            {
                throw new InvalidDataException("The lexical postings end early.");
            }

            var count = BinaryPrimitives.ReadInt32LittleEndian(block.AsSpan(offset));
            return count >= 0 && (long)count * bytesPerItem <= block.Length - offset - 4
                ? count
                : throw new InvalidDataException($"Implausible count {count} in lexical postings ({block.Length - offset - 4} bytes left).");
        }
    }

    /// <summary>Number of documents.</summary>
    public int DocumentCount => _documentLengths.Length;

    /// <summary>Number of distinct terms.</summary>
    public int TermCount => _termCount;

    /// <summary>Indexes <paramref name="lexicalTexts"/>; document ordinals follow their order.</summary>
    public static Bm25Index Build(IReadOnlyList<string> lexicalTexts) => BuildCore(lexicalTexts, null);

    private static Bm25Index BuildCore(IReadOnlyList<string> lexicalTexts, LexicalStatistics? corpus)
    {
        ArgumentNullException.ThrowIfNull(lexicalTexts);
        var postings = new Dictionary<string, (List<int> Documents, List<int> Frequencies)>(StringComparer.Ordinal);
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

            foreach (var (term, tf) in perDocument)
            {
                if (!postings.TryGetValue(term, out var list))
                {
                    postings[term] = list = ([], []);
                }

                list.Documents.Add(d);
                list.Frequencies.Add(tf);
            }
        }

        return new Bm25Index(Block(lengths, postings.Select(p => (p.Key, p.Value.Documents, p.Value.Frequencies))), corpus);
    }

    /// <summary>The block for these postings (each term's documents ascending).</summary>
    private static byte[] Block(int[] lengths, IEnumerable<(string Term, List<int> Documents, List<int> Frequencies)> postings)
    {
        var terms = postings.Select(p => (Utf8: Encoding.UTF8.GetBytes(p.Term), p.Documents, p.Frequencies)).ToList();
        terms.Sort(static (a, b) => a.Utf8.AsSpan().SequenceCompareTo(b.Utf8));
        var postingCount = terms.Sum(t => t.Documents.Count);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(lengths.Length);
            foreach (var length in lengths)
            {
                writer.Write(length);
            }

            writer.Write(terms.Count);
            writer.Write(postingCount);
            var start = 0;
            writer.Write(start);
            foreach (var term in terms)
            {
                writer.Write(start += term.Utf8.Length);
            }

            start = 0;
            writer.Write(start);
            foreach (var term in terms)
            {
                writer.Write(start += term.Documents.Count);
            }

            foreach (var term in terms)
            {
                term.Documents.ForEach(writer.Write);
            }

            foreach (var term in terms)
            {
                term.Frequencies.ForEach(writer.Write);
            }

            foreach (var term in terms)
            {
                writer.Write(term.Utf8);
            }
        }

        return stream.ToArray();
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
            var id = Find(term);
            if (id < 0)
            {
                continue;
            }

            touched = true;
            var documents = Documents(id);
            var frequencies = Frequencies(id);
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
        var id = Find(term);
        var localFrequency = id >= 0 ? Documents(id).Length : 0;

        // Scoring a few documents of a larger corpus (a database's candidates): the corpus decides what is known.
        var (count, frequency) = _corpus is null ? (DocumentCount, localFrequency) : (_corpus.DocumentCount, _corpus.DocumentFrequency(term, localFrequency));
        return (id, MathF.Log(1f + ((count - frequency + 0.5f) / (frequency + 0.5f))), frequency > 0);
    }

    /// <summary>Whether document <paramref name="document"/> contains the term <paramref name="termId"/> (postings are in document order).</summary>
    internal bool Contains(int termId, int document) => termId >= 0 && Documents(termId).BinarySearch(document) >= 0;

    /// <summary>Writes the postings (the block as it is held).</summary>
    internal void Write(BinaryWriter writer) => writer.Write(_block);

    /// <summary>Reads postings written by <see cref="Write"/> (index format 4), checking them against <paramref name="block"/>'s length.</summary>
    internal static Bm25Index Read(byte[] block) => new(block);

    /// <summary>Writes the postings as index formats 2 and 3 held them: documents' lengths, then per term its string and (document, frequency) pairs.</summary>
    internal void WriteVersion3(BinaryWriter writer)
    {
        writer.Write(_documentLengths.Length);
        foreach (var length in _documentLengths)
        {
            writer.Write(length);
        }

        writer.Write(_termCount);
        for (var t = 0; t < _termCount; t++)
        {
            writer.Write(Encoding.UTF8.GetString(Term(t)));
            var documents = Documents(t);
            var frequencies = Frequencies(t);
            writer.Write(documents.Length);
            for (var i = 0; i < documents.Length; i++)
            {
                writer.Write(documents[i]);
                writer.Write(frequencies[i]);
            }
        }
    }

    /// <summary>Reads postings as index formats 2 and 3 held them (see <see cref="WriteVersion3"/>).</summary>
    internal static Bm25Index ReadVersion3(BinaryReader reader)
    {
        var lengths = new int[ReadCount(reader, sizeof(int))];
        for (var i = 0; i < lengths.Length; i++)
        {
            lengths[i] = reader.ReadInt32();
        }

        var termCount = ReadCount(reader, 1 + sizeof(int));
        var postings = new Dictionary<string, (List<int>, List<int>)>(termCount, StringComparer.Ordinal);
        for (var t = 0; t < termCount; t++)
        {
            var term = reader.ReadString();
            var count = ReadCount(reader, 2 * sizeof(int));
            var documents = new List<int>(count);
            var frequencies = new List<int>(count);
            for (var i = 0; i < count; i++)
            {
                documents.Add(reader.ReadInt32());
                frequencies.Add(reader.ReadInt32());
                if ((uint)documents[i] >= (uint)lengths.Length)
                {
                    throw new InvalidDataException("Lexical postings refer to a chunk that does not exist.");
                }
            }

            if (!postings.TryAdd(term, (documents, frequencies)))
            {
                throw new InvalidDataException("A term appears twice in the lexical postings.");
            }
        }

        return new Bm25Index(Block(lengths, postings.Select(p => (p.Key, p.Value.Item1, p.Value.Item2))));
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

    private ReadOnlySpan<int> Ints(int offset, int count) => MemoryMarshal.Cast<byte, int>(_block.AsSpan(offset, count * 4));

    private ReadOnlySpan<byte> Term(int id)
    {
        var starts = Ints(_termStartsAt + (4 * id), 2);
        return _block.AsSpan(_utf8At + starts[0], starts[1] - starts[0]);
    }

    /// <summary>The documents that contain term <paramref name="id"/>, ascending.</summary>
    private ReadOnlySpan<int> Documents(int id)
    {
        var starts = Ints(_postingStartsAt + (4 * id), 2);
        return Ints(_documentsAt + (4 * starts[0]), starts[1] - starts[0]);
    }

    /// <summary>How often term <paramref name="id"/> occurs in each of its <see cref="Documents"/>.</summary>
    private ReadOnlySpan<int> Frequencies(int id)
    {
        var starts = Ints(_postingStartsAt + (4 * id), 2);
        return Ints(_frequenciesAt + (4 * starts[0]), starts[1] - starts[0]);
    }

    /// <summary>The id of <paramref name="term"/> (its place in byte order), or -1.</summary>
    private int Find(string term)
    {
        var length = Encoding.UTF8.GetByteCount(term);
        Span<byte> utf8 = length <= 256 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(term, utf8);
        var low = 0;
        var high = _termCount - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var order = Term(middle).SequenceCompareTo(utf8);
            if (order == 0)
            {
                return middle;
            }

            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return -1;
    }
}
