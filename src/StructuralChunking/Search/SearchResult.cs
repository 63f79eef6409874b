using StructuralChunking.Chunking;
using StructuralChunking.Graph;

namespace StructuralChunking.Search;

/// <summary>One answer to a search: a definition (all parts of a split definition count as one), best part first.</summary>
public sealed record SearchResult
{
    /// <summary>1-based rank.</summary>
    public required int Rank { get; init; }

    /// <summary>
    /// The score the results are ordered by, so it never increases with the rank: in hybrid mode the fused score
    /// (reciprocal rank fusion of the dense, lexical and exact-name lists, with the test-code prior and the share received
    /// through the code graph), in dense mode the cosine, in lexical mode BM25. The parts are in <see cref="DenseScore"/>
    /// and <see cref="LexicalScore"/>.
    /// </summary>
    public required float Score { get; init; }

    /// <summary>The score the minimum-score threshold applies to: the cosine in dense and hybrid mode, BM25 in lexical mode.</summary>
    public float ThresholdScore { get; init; }

    /// <summary>
    /// The probability (0–1) that this result answers the query, from the index's <see cref="ConfidenceModel"/>; <c>null</c>
    /// when no model applies (lexical mode, or an embedding model with neither a shipped nor a calibrated model). For test
    /// code, when tests are included with production code, it is scaled by <see cref="SearchOptions.TestCodeWeight"/>,
    /// the prior that ranks test code below production code: test code alone answers a query only with a clearly higher
    /// confidence. A result that took the place of the definition that led to it through the graph (the implementation of
    /// a matching declaration, the body a matching overload forwards to, the member of a matching outline; see
    /// <see cref="Via"/>) has at least that definition's confidence.
    /// </summary>
    public double? Confidence { get; init; }

    /// <summary>The evidence <see cref="Confidence"/> was computed from; <c>null</c> in lexical mode.</summary>
    public ConfidenceSignals? Signals { get; init; }

    /// <summary>Cosine similarity of the best part, when embeddings were used.</summary>
    public float? DenseScore { get; init; }

    /// <summary>BM25 score of the best part, when the lexical index was used and matched.</summary>
    public float? LexicalScore { get; init; }

    /// <summary>
    /// Why graph ranking promoted this result, when it did: its relation to the hit that passed it score, for example
    /// <c>reads JsonSerializerSettings.ReferenceLoopHandling</c>; otherwise <c>null</c>.
    /// </summary>
    public string? Via { get; init; }

    /// <summary>The best-matching chunk (part) of the definition.</summary>
    public required CodeChunk Chunk { get; init; }

    /// <summary>Path of the definition, relative to the indexed root.</summary>
    public string Path => Chunk.Path;

    /// <summary>1-based first line of the whole definition (all its parts).</summary>
    public required int StartLine { get; init; }

    /// <summary>1-based last line of the whole definition (all its parts).</summary>
    public required int EndLine { get; init; }

    /// <summary>Qualified name of the symbol, or <c>null</c> for file-level code and line windows.</summary>
    public string? Symbol => Chunk.SymbolName;

    /// <summary>Kind of the symbol.</summary>
    public SymbolKind Kind => Chunk.SymbolKind;
}
