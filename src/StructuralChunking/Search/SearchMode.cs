namespace StructuralChunking.Search;

/// <summary>How results are ranked.</summary>
public enum SearchMode
{
    /// <summary>Embedding similarity only (cosine).</summary>
    Dense,
    /// <summary>BM25 over identifiers and their words only.</summary>
    Lexical,
    /// <summary>Dense and lexical lists fused by reciprocal rank, plus exact symbol-name matches (the default).</summary>
    Hybrid,
}
