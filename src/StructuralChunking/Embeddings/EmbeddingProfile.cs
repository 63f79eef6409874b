namespace StructuralChunking.Embeddings;

/// <summary>
/// How texts must be presented to one embedding model: its id (recorded in an index so a search with another model is
/// refused), its dimension, and the prefixes it was trained with for queries and documents.
/// </summary>
/// <param name="ModelId">Stable model id, for example <c>hash-512</c>, <c>minilm</c> or <c>arctic-xs</c>.</param>
/// <param name="Dimensions">Vector length.</param>
/// <param name="QueryPrefix">Prepended to every query (some retrieval models want an instruction); empty for none.</param>
/// <param name="DocumentPrefix">Prepended to every document (chunk) text; empty for none.</param>
public sealed record EmbeddingProfile(string ModelId, int Dimensions, string QueryPrefix = "", string DocumentPrefix = "")
{
    /// <summary>The text to embed for a query.</summary>
    public string ForQuery(string query) => QueryPrefix.Length == 0 ? query : QueryPrefix + query;

    /// <summary>The text to embed for a document.</summary>
    public string ForDocument(string document) => DocumentPrefix.Length == 0 ? document : DocumentPrefix + document;
}
