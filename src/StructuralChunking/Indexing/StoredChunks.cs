using System.Security.Cryptography;
using System.Text;
using StructuralChunking.Chunking;
using StructuralChunking.Search;

namespace StructuralChunking.Indexing;

/// <summary>
/// Moves an index in and out of a store (<see cref="ICodeIndexStore"/>) without a second copy of the ranking: a store
/// keeps <see cref="FromIndex"/>'s rows, selects candidates for a query (by its own vector and BM25 search), and
/// <see cref="ToIndex"/> turns them into a <see cref="CodeIndex"/> whose <see cref="CodeIndex.Search(string, ReadOnlySpan{float}, SearchOptions?)"/>
/// ranks them exactly as the index of the whole code base would.
/// </summary>
/// <remarks>
/// <para>For the answer to equal the whole index's, the candidates must include: the best
/// <see cref="SearchOptions.CandidatePool"/> chunks by cosine and by BM25 (among those the options' filters keep; more is
/// harmless), every chunk whose <see cref="StoredChunk.SimpleName"/> is one of <see cref="NameCandidates"/> of the query,
/// the targets of those chunks' <see cref="StoredChunk.Relations"/> (graph ranking passes score along them), and every
/// chunk of the same <see cref="StoredChunk.GroupKey"/> as any of these (a result spans its whole definition).
/// <see cref="LexicalStatistics"/> must describe the whole code base.</para>
/// </remarks>
public static class StoredChunks
{
    /// <summary>The chunks of <paramref name="index"/> as a store keeps them, in index order.</summary>
    public static IReadOnlyList<StoredChunk> FromIndex(CodeIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var result = new StoredChunk[index.Chunks.Length];
        for (var i = 0; i < result.Length; i++)
        {
            var targets = index.Relations.Targets(i);
            var kinds = index.Relations.Kinds(i);
            var relations = new StoredChunkRelation[targets.Length];
            for (var r = 0; r < targets.Length; r++)
            {
                relations[r] = new StoredChunkRelation(index.Chunks[targets[r]].Id, (int)kinds[r]);
            }

            result[i] = new StoredChunk
            {
                Chunk = index.Chunks[i],
                Vector = index.Vectors[i].ToArray(),
                Role = (int)index.Relations.Role(i),
                Relations = relations,
            };
        }

        return result;
    }

    /// <summary>
    /// An index of <paramref name="chunks"/> (candidates a store selected, see the remarks of <see cref="StoredChunks"/>)
    /// that scores BM25 with the statistics of the whole code base. Relations to chunks not given are dropped.
    /// </summary>
    /// <exception cref="ArgumentException">Two chunks share an id, or a vector has the wrong length.</exception>
    public static CodeIndex ToIndex(IndexMetadata metadata, IEnumerable<StoredChunk> chunks, LexicalStatistics corpus)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentNullException.ThrowIfNull(corpus);

        // The index orders chunks by id, and ties in every ranking go to the lower ordinal: the same order keeps the same ties.
        var ordered = chunks.OrderBy(c => c.Chunk.Id, StringComparer.Ordinal).ToArray();
        var ordinals = new Dictionary<string, int>(ordered.Length, StringComparer.Ordinal);
        var vectors = new FlatVectorIndex(metadata.Dimensions, ordered.Length);
        for (var i = 0; i < ordered.Length; i++)
        {
            if (!ordinals.TryAdd(ordered[i].Chunk.Id, i))
            {
                throw new ArgumentException($"Two chunks share the id '{ordered[i].Chunk.Id}'.", nameof(chunks));
            }

            if (ordered[i].Vector.Length != metadata.Dimensions)
            {
                throw new ArgumentException($"The chunk '{ordered[i].Chunk.Id}' has a vector of {ordered[i].Vector.Length} dimensions; the index has {metadata.Dimensions}.", nameof(chunks));
            }

            vectors.AddNormalized(ordered[i].Vector);
        }

        var offsets = new int[ordered.Length + 1];
        var targets = new List<int>();
        var kinds = new List<ChunkRelationKind>();
        var roles = new ChunkRole[ordered.Length];
        for (var i = 0; i < ordered.Length; i++)
        {
            roles[i] = (ChunkRole)ordered[i].Role;
            foreach (var relation in ordered[i].Relations)
            {
                if (ordinals.TryGetValue(relation.TargetChunkId, out var target))
                {
                    targets.Add(target);
                    kinds.Add((ChunkRelationKind)relation.Kind);
                }
            }

            offsets[i + 1] = targets.Count;
        }

        var lexical = Bm25Index.Build(ordered.Select(c => c.Chunk.LexicalText).ToList(), corpus);
        var relations = new ChunkRelations(offsets, [.. targets], [.. kinds], roles);
        return new CodeIndex(metadata, [.. ordered.Select(c => c.Chunk)], vectors, lexical, relations);
    }

    /// <summary>
    /// The simple names a query could spell out (a superset of those hybrid search matches exactly), to look up
    /// <see cref="StoredChunk.SimpleName"/> with.
    /// </summary>
    public static IReadOnlyList<string> NameCandidates(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var start = -1;
        for (var i = 0; i <= query.Length; i++)
        {
            var inName = i < query.Length && (char.IsLetterOrDigit(query[i]) || query[i] is '_' or '.');
            if (inName && start < 0)
            {
                start = i;
            }
            else if (!inName && start >= 0)
            {
                var token = query[start..i].Trim('.');
                if (token.Length > 0)
                {
                    names.Add(CodeIndex.SimpleName(token));
                }

                start = -1;
            }
        }

        return [.. names.Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// True when <paramref name="path"/> matches <see cref="SearchOptions.PathGlob"/> <paramref name="glob"/> as search
    /// filters it, so a store can filter paths with the same rules.
    /// </summary>
    public static bool PathMatches(string glob, string path) => PathGlob.IsMatch(glob, path);

    /// <summary>Term frequencies of a chunk's lexical text, and its length in terms, as BM25 counts them.</summary>
    public static (IReadOnlyDictionary<string, int> Frequencies, int Length) TermFrequencies(CodeChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
        var length = 0;
        foreach (var term in LexicalTokenizer.Terms(chunk.LexicalText))
        {
            frequencies[term] = frequencies.GetValueOrDefault(term) + 1;
            length++;
        }

        return (frequencies, length);
    }

    internal static string FingerprintOf(StoredChunk stored)
    {
        var chunk = stored.Chunk;
        var builder = new StringBuilder();
        void Field(string? value) => builder.Append(value?.Length ?? -1).Append(':').Append(value).Append('\n');
        Field(chunk.Id);
        Field(chunk.SymbolId?.Value);
        Field(chunk.SymbolName);
        Field(((int)chunk.SymbolKind).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field(chunk.Language);
        Field(string.Join(',', chunk.Location.Path, chunk.Location.StartLine, chunk.Location.EndLine, chunk.Location.StartByte, chunk.Location.EndByte));
        Field(string.Join(',', chunk.PartIndex, chunk.PartCount, (int)chunk.Traits, chunk.TokenCount, stored.Role));
        Field(chunk.EmbeddingText);
        Field(chunk.LexicalText);
        Field(chunk.DisplayText);
        Field(chunk.ContentHash);
        foreach (var relation in stored.Relations)
        {
            Field(relation.TargetChunkId);
            Field(relation.Kind.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }
}
