using System.Collections.Immutable;
using Microsoft.Extensions.AI;
using StructuralChunking.Chunking;
using StructuralChunking.Embeddings;
using StructuralChunking.Graph;
using StructuralChunking.Search;

namespace StructuralChunking.Indexing;

/// <summary>
/// A searchable index of code chunks: their embeddings in one contiguous block, a BM25 index of their lexical texts,
/// and the metadata needed to use it safely later (model, dimension, chunker, file hashes, calibrated thresholds).
/// </summary>
/// <remarks>
/// <para><b>Ranking.</b> Dense ranks by cosine; lexical by BM25; hybrid fuses the dense list, the lexical list and the
/// list of chunks whose symbol name appears verbatim in the query by reciprocal rank fusion,
/// <c>Σ 1 / (60 + rank)</c>, so a query naming <c>PlaceOrder</c> finds <c>PlaceOrder</c> first.</para>
/// <para><b>Grouping.</b> The parts of a split definition are one result: the best part represents it and the result
/// spans the whole definition. Chunks of file-level code and line windows are results on their own.</para>
/// <para><b>Scores.</b> <see cref="SearchResult.Score"/> is what the results are ordered by (the fused score in hybrid
/// mode); the threshold applies to <see cref="SearchResult.ThresholdScore"/>.</para>
/// <para><b>Threshold.</b> In dense and hybrid mode a result whose cosine is below the minimum score is dropped (exact
/// name matches excepted); in lexical mode the BM25 score is compared. Returning nothing is a valid answer.</para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed partial class CodeIndex
{
    private const int RrfK = 60;

    /// <summary>How many of the first results decide whether a query is answered (see <see cref="SearchOptions.AnsweredResultShare"/>).</summary>
    internal const int AnsweredWindow = 10;

    private readonly ChunkRecords _records;

    // The lines a definition spans (all its parts), at the ordinal of its first part.
    private readonly int[] _spanStarts;
    private readonly int[] _spanEnds;
    private readonly GraphPropagation _propagation;
    private Dictionary<string, int[]>? _bySymbolName;

    internal CodeIndex(IndexMetadata metadata, ImmutableArray<CodeChunk> chunks, FlatVectorIndex vectors, Bm25Index lexical, ChunkRelations? relations = null)
        : this(metadata, ChunkRecords.FromChunks(chunks), vectors, lexical, relations)
    {
    }

    internal CodeIndex(IndexMetadata metadata, ChunkRecords records, FlatVectorIndex vectors, Bm25Index lexical, ChunkRelations? relations = null)
    {
        var count = records.Count;
        if (vectors.Count != count || lexical.DocumentCount != count)
        {
            throw new IndexFormatException($"The index holds {count} chunks but {vectors.Count} vectors and {lexical.DocumentCount} lexical documents.");
        }

        Metadata = metadata;
        _records = records;
        Vectors = vectors;
        Lexical = lexical;
        Relations = relations ?? ChunkRelations.Empty(count);
        if (Relations.ChunkCount != count)
        {
            throw new IndexFormatException($"The index holds {count} chunks but relations for {Relations.ChunkCount}.");
        }

        // From the numeric columns only: loading an index decodes no chunk.
        _spanStarts = new int[count];
        _spanEnds = new int[count];
        Array.Fill(_spanStarts, int.MaxValue);
        Array.Fill(_spanEnds, int.MinValue);
        for (var i = 0; i < count; i++)
        {
            var head = records.GroupHead(i);
            _spanStarts[head] = Math.Min(_spanStarts[head], records.StartLine(i));
            _spanEnds[head] = Math.Max(_spanEnds[head], records.EndLine(i));
        }

        _propagation = new GraphPropagation(records, Relations, head => (_spanStarts[head], _spanEnds[head]));
    }

    /// <summary>What the index was built from and with.</summary>
    public IndexMetadata Metadata { get; }

    /// <summary>The chunks, ordered by id (ordinal).</summary>
    /// <remarks>Read from a file, the chunks are decoded on first use of this list (a search decodes only its results).</remarks>
    public ImmutableArray<CodeChunk> Chunks => _records.All;

    /// <summary>The chunks as columns, each chunk decoded on first use.</summary>
    internal ChunkRecords Records => _records;

    /// <summary>The chunk embeddings, one per chunk, in chunk order.</summary>
    public FlatVectorIndex Vectors { get; }

    /// <summary>BM25 over the chunks' lexical texts, in chunk order.</summary>
    public Bm25Index Lexical { get; }

    /// <summary>The code graph reduced to chunk relations; empty when the index was built without a graph.</summary>
    internal ChunkRelations Relations { get; }

    /// <summary>True when the index holds code-graph relations, so hybrid search can rank through the graph.</summary>
    public bool HasGraph => Relations.Count > 0;

    /// <summary>The embedding profile the index was built with.</summary>
    public EmbeddingProfile Profile => new(Metadata.ModelId, Metadata.Dimensions, Metadata.QueryPrefix, Metadata.DocumentPrefix);

    /// <summary>Embeds <paramref name="query"/> with <paramref name="embedder"/> (which must be the index's model) and searches.</summary>
    /// <exception cref="IndexModelMismatchException">The embedder is not the model the index was built with.</exception>
    public async Task<IReadOnlyList<SearchResult>> SearchAsync(string query, IEmbeddingGenerator<string, Embedding<float>> embedder,
        SearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(embedder);
        options ??= new SearchOptions();
        options.Validate();
        var (vectors, analysis) = await EmbedQueryAsync(query, embedder, options, cancellationToken).ConfigureAwait(false);
        return Search(query, vectors?[0], options, vectors, analysis);
    }

    /// <summary>
    /// Embeds a query for <paramref name="options"/>: one vector, or one per window of a long analysed query (see
    /// <see cref="SearchOptions.QueryAnalysis"/>), with the analysis when it applies.
    /// </summary>
    private async Task<(float[][]? Vectors, QueryAnalysis? Analysis)> EmbedQueryAsync(string query, IEmbeddingGenerator<string, Embedding<float>> embedder,
        SearchOptions options, CancellationToken cancellationToken)
    {
        var analysis = Analyze(query, options);
        if (options.Mode == SearchMode.Lexical || string.IsNullOrWhiteSpace(query))
        {
            return (null, analysis);
        }

        EnsureSameModel(embedder);
        IReadOnlyList<string> texts = analysis is null || options.LongQueryFusion == LongQueryFusion.First
            ? [query]
            : QueryAnalyzer.Windows(query, options.QueryWindowWords);
        var embeddings = await embedder.GenerateAsync(texts.Select(Profile.ForQuery), cancellationToken: cancellationToken).ConfigureAwait(false);
        return (embeddings.Select(e => e.Vector.ToArray()).ToArray(), analysis);
    }

    /// <summary>The analysis of <paramref name="query"/> when <paramref name="options"/> say it applies, else <c>null</c>.</summary>
    internal static QueryAnalysis? Analyze(string query, SearchOptions options)
    {
        if (options.QueryAnalysis == QueryAnalysisMode.Off || string.IsNullOrWhiteSpace(query))
        {
            return null;
        }

        var analysis = QueryAnalyzer.Analyze(query);
        return options.QueryAnalysis == QueryAnalysisMode.Always || analysis.IsStructured ? analysis : null;
    }

    /// <summary>Searches with an already embedded query (<paramref name="queryVector"/> may be null in lexical mode).</summary>
    public IReadOnlyList<SearchResult> Search(string query, ReadOnlySpan<float> queryVector, SearchOptions? options = null)
    {
        options ??= new SearchOptions();
        var vector = queryVector.IsEmpty ? null : queryVector.ToArray();
        return Search(query, vector, options, null, Analyze(query ?? string.Empty, options));
    }

    /// <summary>Throws unless <paramref name="embedder"/> reports the model id and dimension this index was built with.</summary>
    /// <exception cref="IndexModelMismatchException">It does not.</exception>
    public void EnsureSameModel(IEmbeddingGenerator<string, Embedding<float>> embedder)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        var metadata = embedder.GetService<EmbeddingGeneratorMetadata>();
        var modelId = embedder.GetService<EmbeddingProfile>()?.ModelId ?? metadata?.DefaultModelId;
        var dimensions = embedder.GetService<EmbeddingProfile>()?.Dimensions ?? metadata?.DefaultModelDimensions;
        if (!string.Equals(modelId, Metadata.ModelId, StringComparison.Ordinal) || (dimensions is { } d && d != Metadata.Dimensions))
        {
            throw new IndexModelMismatchException(
                $"The index was built with model '{Metadata.ModelId}' ({Metadata.Dimensions} dimensions), but the search uses '{modelId ?? "unknown"}'" +
                $"{(dimensions is { } dims ? $" ({dims} dimensions)" : string.Empty)}. Search with model '{Metadata.ModelId}', or re-index with the model you want.");
        }
    }

    /// <summary>A copy of this index with calibrated minimum scores stored in its metadata.</summary>
    public CodeIndex WithMinScores(IReadOnlyDictionary<string, float> minScores) =>
        new(Metadata with { MinScores = new Dictionary<string, float>(minScores, StringComparer.Ordinal) }, _records, Vectors, Lexical, Relations);

    /// <summary>A copy of this index whose searches use <paramref name="confidence"/> (its weights and threshold) by default.</summary>
    /// <param name="confidence">The model and threshold.</param>
    /// <param name="source">Where the threshold came from; re-indexing keeps one chosen on questions and recalibrates the others.</param>
    public CodeIndex WithConfidence(ConfidenceModel confidence, ConfidenceSource source = ConfidenceSource.Questions)
    {
        ArgumentNullException.ThrowIfNull(confidence);
        return new(Metadata with { Confidence = confidence, ConfidenceSource = source }, _records, Vectors, Lexical, Relations);
    }

    /// <summary>A copy of this index that uses the confidence model shipped for its embedding model again.</summary>
    internal CodeIndex WithShippedConfidence() =>
        new(Metadata with { Confidence = null, ConfidenceSource = ConfidenceSource.Shipped }, _records, Vectors, Lexical, Relations);

    /// <summary>
    /// The confidence model searches use by default: the one calibrated into the index, else the one shipped for its
    /// embedding model; <c>null</c> when there is neither.
    /// </summary>
    public ConfidenceModel? Confidence => Metadata.Confidence ?? ConfidenceModel.ForModel(Metadata.ModelId);

    /// <summary>A copy of this index with <see cref="IndexMetadata.SourceFingerprint"/> set.</summary>
    public CodeIndex WithSourceFingerprint(string fingerprint)
    {
        ArgumentException.ThrowIfNullOrEmpty(fingerprint);
        return new(Metadata with { SourceFingerprint = fingerprint }, _records, Vectors, Lexical, Relations);
    }

    /// <summary>
    /// A copy whose metadata also lists <paramref name="redactions"/> (typically <see cref="Chunking.SourceTexts.Redactions"/>
    /// of the texts the chunks were cut from), merged with those already recorded.
    /// </summary>
    public CodeIndex WithRedactions(IEnumerable<Security.SecretRedaction> redactions)
    {
        ArgumentNullException.ThrowIfNull(redactions);
        var merged = Metadata.Redactions.Concat(redactions).Distinct()
            .OrderBy(static r => r.Path, StringComparer.Ordinal).ThenBy(static r => r.Line).ThenBy(static r => r.Kind, StringComparer.Ordinal).ToList();
        return new(Metadata with { Redactions = merged }, _records, Vectors, Lexical, Relations);
    }

    /// <summary>
    /// Throws unless <paramref name="path"/> is free or already holds an index: <see cref="Save"/> never replaces a file
    /// of another kind (a source file, notes, a device). Call it before long work so a wrong path fails at once.
    /// </summary>
    /// <exception cref="IndexFormatException">The path holds something that is not an index.</exception>
    public static void EnsureReplaceable(string path) => IndexFile.EnsureReplaceable(path);

    /// <summary>Writes the index atomically (temporary file, flush to disk, rename): a crash leaves the previous file intact.</summary>
    public void Save(string path) => IndexFile.Write(this, path);

    /// <summary>Reads and verifies an index file.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="IndexFormatException">The file is corrupt, truncated, not an index, or of another format version.</exception>
    public static CodeIndex Load(string path) => IndexFile.Read(path);

    /// <summary>
    /// Reads and verifies only the metadata of an index file (model, dimensions, thresholds), without its chunks: a
    /// caller can start loading the index's embedding model while <see cref="Load"/> reads the rest. <c>null</c> for a
    /// file of format version 2 or earlier, which is verified only as a whole: load it instead.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="IndexFormatException">The file's header, section table or metadata is damaged, or it is not an index.</exception>
    public static IndexMetadata? ReadMetadata(string path) => IndexFile.ReadMetadata(path);

    /// <summary>
    /// Reads and verifies an index file of this or an earlier format version, to be passed as the previous index when
    /// re-indexing: its embeddings are reused even if its format is older. Search the index that re-indexing returns.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="IndexFormatException">The file is corrupt, truncated, not an index, or of a newer format version.</exception>
    public static CodeIndex LoadForReindexing(string path) => IndexFile.Read(path, acceptOlder: true);

    private List<SearchResult> Search(string query, float[]? vector, SearchOptions options, float[][]? windows = null, QueryAnalysis? analysis = null, int? top = null)
    {
        options.Validate();
        if (string.IsNullOrWhiteSpace(query))
        {
            return [];
        }

        var filter = BuildFilter(options);
        var modeName = options.Mode.ToString().ToLowerInvariant();
        var confidenceModel = options.Mode == SearchMode.Lexical ? null : Confidence;
        var minConfidence = options.MinScore is null && confidenceModel is not null ? options.MinConfidence ?? confidenceModel.Threshold : 0;
        var minScore = options.MinScore
            ?? (confidenceModel is null && Metadata.MinScores.TryGetValue(modeName, out var calibrated) ? calibrated : float.NegativeInfinity);
        var pool = options.CandidatePool;

        List<ScoredItem> dense = [];
        if (options.Mode != SearchMode.Lexical)
        {
            if (vector is null)
            {
                throw new ArgumentException($"{options.Mode} search needs a query vector.", nameof(vector));
            }

            dense = windows is { Length: > 1 } && analysis is not null
                ? WindowedDense(windows, pool, filter, options.LongQueryFusion)
                : Vectors.Search(vector, pool, float.NegativeInfinity, filter);
        }

        var lexical = options.Mode != SearchMode.Dense ? Lexical.Search(query, pool, filter) : [];
        var denseScores = dense.ToDictionary(s => s.Ordinal, s => s.Score);
        var lexicalScores = lexical.ToDictionary(s => s.Ordinal, s => s.Score);

        List<(int Ordinal, double Rank, bool Exact, string? Via, int InheritedFrom)> ranked;
        HashSet<int>? exactOrdinals = null;
        HashSet<int>? namedByReport = null;
        switch (options.Mode)
        {
            case SearchMode.Dense:
                ranked = dense.Select(s => (s.Ordinal, (double)s.Score, false, (string?)null, -1)).ToList();
                break;
            case SearchMode.Lexical:
                ranked = lexical.Select(s => (s.Ordinal, (double)s.Score, false, (string?)null, -1)).ToList();
                break;
            default:
                var exact = ExactNameMatches(query, filter, vector);
                var fused = new Dictionary<int, double>();
                AddReciprocalRanks(fused, dense, 1.0);
                AddReciprocalRanks(fused, lexical, options.LexicalWeight);
                AddReciprocalRanks(fused, exact, 1.0);
                if (analysis is not null && options.ReportEvidenceWeight > 0)
                {
                    var report = ReportEvidence(analysis, filter, ordinal => denseScores.TryGetValue(ordinal, out var d) ? d : vector is null ? 0f : TensorDot(vector, ordinal));
                    // A frame in our code is the strongest evidence a report holds: the code ran there when it failed.
                    // The frame closest to the error counts most, each one further out less (1, 1/2, 1/3…: a deep
                    // trace's outer frames are where the failing call came from, not where it failed).
                    for (var i = 0; i < report.Frames.Count; i++)
                    {
                        var ordinal = report.Frames[i].Ordinal;
                        fused[ordinal] = fused.GetValueOrDefault(ordinal) + (2 * options.ReportEvidenceWeight / (RrfK + 1) / (i + 1));
                    }

                    AddReciprocalRanks(fused, report.Names, options.ReportEvidenceWeight);
                    namedByReport = report.Frames.Concat(report.Names).Select(f => _records.GroupHead(f.Ordinal)).ToHashSet();
                    AddReciprocalRanks(fused, report.FileChunks, options.ReportEvidenceWeight / 2);
                }

                var exactSet = exactOrdinals = exact.Select(e => e.Ordinal).ToHashSet();
                if (options.Tests == TestCodeInclusion.Include && options.TestCodeWeight < 1)
                {
                    // A documented prior, not a filter: test code ranks below the production code it exercises.
                    foreach (var ordinal in fused.Keys.ToList())
                    {
                        if ((_records.Traits(ordinal) & SymbolTraits.Test) != 0)
                        {
                            fused[ordinal] *= options.TestCodeWeight;
                        }
                    }
                }

                if (options.GraphWeight > 0 && HasGraph)
                {
                    ranked = _propagation.Apply(fused, options.GraphWeight, options.DeclarationWeight).Select(r => (r.Ordinal, r.Score, exactSet.Contains(r.Ordinal), r.Via, r.InheritedFrom)).ToList();
                }
                else
                {
                    ranked = fused.Select(p => (p.Key, p.Value, exactSet.Contains(p.Key), (string?)null, -1)).ToList();
                    ranked.Sort((a, b) => b.Rank != a.Rank ? b.Rank.CompareTo(a.Rank) : a.Ordinal.CompareTo(b.Ordinal));
                }

                break;
        }

        var evidence = vector is null ? null : new QueryEvidence(query, Lexical, dense);
        var wanted = top ?? options.Top;
        // Whether the query is answered is decided over the first AnsweredWindow results whatever Top asks for, so that
        // asking for one result answers exactly when asking for ten does.
        var collected = Math.Max(wanted, AnsweredWindow);
        var resultConfidence = minConfidence * options.AnsweredResultShare;
        var answered = false;
        var results = new List<SearchResult>(Math.Min(collected, 256));
        var seenGroups = new HashSet<int>();
        float? DenseScoreOf(int ordinal) => denseScores.TryGetValue(ordinal, out var score) ? score : vector is null ? null : TensorDot(vector, ordinal);
        foreach (var (ordinal, rank, isExact, via, inheritedFrom) in ranked)
        {
            var denseScore = DenseScoreOf(ordinal);
            float? lexicalScore = lexicalScores.TryGetValue(ordinal, out var ls) ? ls : null;
            var thresholdScore = options.Mode == SearchMode.Lexical ? lexicalScore ?? 0f : denseScore ?? 0f;
            // A definition the report itself names (one of our stack frames, a Type.member name) answers it whatever
            // its similarity: the thresholds decide whether anything answers, and the report says what does.
            var named = namedByReport?.Contains(_records.GroupHead(ordinal)) == true;
            if (thresholdScore < minScore && !named && !(isExact && confidenceModel is null))
            {
                continue;
            }

            var signals = evidence?.Signals(ordinal, denseScore ?? 0f, isExact);
            double? confidence = signals is not null && confidenceModel is not null ? confidenceModel.Probability(signals) : null;
            if (confidence is { } own && inheritedFrom >= 0 && evidence is not null)
            {
                // It took the place of the definition that led to it (the implementation of a matching declaration, the
                // body an overload forwards to, the member of a matching outline): that definition's evidence is its own.
                var from = evidence.Signals(inheritedFrom, DenseScoreOf(inheritedFrom) ?? 0f, exactOrdinals?.Contains(inheritedFrom) == true);
                confidence = Math.Max(own, confidenceModel!.Probability(from));
            }

            if (options.Tests == TestCodeInclusion.Include && (_records.Traits(ordinal) & SymbolTraits.Test) != 0)
            {
                // Test code names the features it exercises, including those the code base only touches, and the
                // confidence models never saw a test as an answer: a test is weaker evidence that the code base
                // answers the question, by the same prior that ranks it below production code.
                confidence *= options.TestCodeWeight;
            }
            if (confidence < resultConfidence && !named)
            {
                continue;
            }

            answered |= named || confidence is null || confidence >= minConfidence;

            if (!seenGroups.Add(_records.GroupHead(ordinal)))
            {
                continue;
            }

            var span = GroupSpan(ordinal);
            results.Add(new SearchResult
            {
                Rank = results.Count + 1,
                Score = (float)rank,
                ThresholdScore = thresholdScore,
                Confidence = confidence,
                Signals = signals,
                DenseScore = denseScore,
                LexicalScore = lexicalScore,
                Via = via,
                Chunk = _records[ordinal],
                StartLine = span.Start,
                EndLine = span.End,
            });

            if (results.Count == collected)
            {
                break;
            }
        }

        if (!answered)
        {
            return [];
        }

        if (results.Count > wanted)
        {
            results.RemoveRange(wanted, results.Count - wanted);
        }

        return results;
    }

    /// <summary>The lines of the whole definition <paramref name="ordinal"/> belongs to.</summary>
    private (int Start, int End) GroupSpan(int ordinal)
    {
        var head = _records.GroupHead(ordinal);
        return (_spanStarts[head], _spanEnds[head]);
    }

    /// <summary>
    /// Chunk ordinals by the simple name of their symbol, built at the first query that names an identifier: most
    /// queries are sentences, and decoding 20,000 names at load cost every search.
    /// </summary>
    private Dictionary<string, int[]> BySymbolName
    {
        get
        {
            if (Volatile.Read(ref _bySymbolName) is { } built)
            {
                return built;
            }

            var names = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (var i = 0; i < _records.Count; i++)
            {
                if (_records.SymbolName(i) is { } symbolName)
                {
                    var simple = SimpleName(symbolName);
                    if (!names.TryGetValue(simple, out var list))
                    {
                        names[simple] = list = [];
                    }

                    list.Add(i);
                }
            }

            var table = names.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
            return Interlocked.CompareExchange(ref _bySymbolName, table, null) ?? table;
        }
    }

    private float TensorDot(float[] vector, int ordinal)
    {
        var normalized = vector.ToArray();
        var norm = System.Numerics.Tensors.TensorPrimitives.Norm(normalized);
        return norm > 0 ? System.Numerics.Tensors.TensorPrimitives.Dot(normalized, Vectors[ordinal]) / norm : 0f;
    }

    private static void AddReciprocalRanks(Dictionary<int, double> fused, List<ScoredItem> list, double weight)
    {
        for (var rank = 0; rank < list.Count; rank++)
        {
            fused[list[rank].Ordinal] = fused.GetValueOrDefault(list[rank].Ordinal) + (weight / (RrfK + rank + 1));
        }
    }

    /// <summary>
    /// Chunks whose symbol's simple name is written verbatim in the query as an identifier (mixed case, an underscore
    /// or a dot inside: <c>PlaceOrder</c>, <c>read_bearer_token</c>), ranked by cosine when there is a vector.
    /// </summary>
    private List<ScoredItem> ExactNameMatches(string query, Func<int, bool>? filter, float[]? vector)
    {
        var matches = new List<ScoredItem>();
        foreach (var token in query.Split([' ', '\t', '\n', '(', ')', ',', '?', '`', '"', '\''], StringSplitOptions.RemoveEmptyEntries))
        {
            var name = token.TrimEnd('.', ':', ';', '!').Trim();
            if (!LooksLikeIdentifier(name))
            {
                continue;
            }

            var simple = SimpleName(name);
            if (BySymbolName.TryGetValue(simple, out var ordinals))
            {
                foreach (var ordinal in ordinals)
                {
                    if (filter is null || filter(ordinal))
                    {
                        matches.Add(new ScoredItem(ordinal, vector is null ? 0f : TensorDot(vector, ordinal)));
                    }
                }
            }
        }

        matches.Sort(static (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.Ordinal.CompareTo(b.Ordinal));
        return matches;
    }

    private static bool LooksLikeIdentifier(string token)
    {
        if (token.Length < 3 || !(char.IsLetter(token[0]) || token[0] == '_'))
        {
            return false;
        }

        var hasInnerUpper = false;
        for (var i = 1; i < token.Length; i++)
        {
            var c = token[i];
            if (!(char.IsLetterOrDigit(c) || c is '_' or '.'))
            {
                return false;
            }

            hasInnerUpper |= char.IsUpper(c) && char.IsLower(token[i - 1]);
        }

        return hasInnerUpper || token.Contains('_', StringComparison.Ordinal) || (token.Contains('.', StringComparison.Ordinal) && char.IsUpper(token[0]));
    }

    internal static string SimpleName(string qualifiedName)
    {
        var generic = qualifiedName.IndexOf('<', StringComparison.Ordinal);
        var name = generic > 0 ? qualifiedName[..generic] : qualifiedName;
        var dot = name.LastIndexOf('.');
        return dot >= 0 ? name[(dot + 1)..] : name;
    }

    private Func<int, bool>? BuildFilter(SearchOptions options)
    {
        if (options.PathGlob is null && options.Languages is null && options.Kinds is null && options.Tests == TestCodeInclusion.Include && !options.ExcludeTests && !options.ExcludeGenerated)
        {
            return null;
        }

        return ordinal =>
        {
            var traits = _records.Traits(ordinal);
            return (options.PathGlob is null || PathGlob.IsMatch(options.PathGlob, _records.Path(ordinal)))
                && (options.Languages is null || options.Languages.Contains(_records.Language(ordinal)))
                && (options.Kinds is null || options.Kinds.Contains(_records.Kind(ordinal)))
                && !(options.LeavesOutTests && (traits & SymbolTraits.Test) != 0)
                && !(options.Tests == TestCodeInclusion.Only && (traits & SymbolTraits.Test) == 0)
                && !(options.ExcludeGenerated && (traits & SymbolTraits.Generated) != 0);
        };
    }

    /// <summary>
    /// The id of a definition's chunks without the part (<c>abc#2</c> → <c>abc</c>). File-level code and line windows
    /// are not definitions: each of their chunks stands alone, so a result never claims more lines than it matched.
    /// </summary>
    internal static string GroupKey(string chunkId)
    {
        var hash = chunkId.LastIndexOf('#');
        return hash < 0 || chunkId.StartsWith("file:", StringComparison.Ordinal) ? chunkId : chunkId[..hash];
    }
}
