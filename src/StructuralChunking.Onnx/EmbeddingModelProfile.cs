namespace StructuralChunking.Onnx;

/// <summary>
/// What an index needs to know about an embedding model: its id (to refuse mixing vectors from different models),
/// its dimensions, and the prefixes it was trained with for queries and documents.
/// </summary>
/// <param name="ModelId">Stable id: <c>minilm</c>, <c>arctic-xs</c> or <c>onnx:&lt;folder name&gt;</c>.</param>
/// <param name="Dimensions">Length of every vector.</param>
/// <param name="QueryPrefix">Text to put before a search query (empty when the model wants none).</param>
/// <param name="DocumentPrefix">Text to put before a document or chunk (empty when the model wants none).</param>
/// <param name="MaxTokens">The most tokens one input may have, <c>[CLS]</c> and <c>[SEP]</c> included; longer inputs are cut.</param>
public sealed record EmbeddingModelProfile(string ModelId, int Dimensions, string QueryPrefix, string DocumentPrefix, int MaxTokens)
{
    /// <summary>The text to embed for a search query: <see cref="QueryPrefix"/> then <paramref name="query"/>.</summary>
    public string FormatQuery(string query) => string.Concat(QueryPrefix, query);

    /// <summary>The text to embed for a document: <see cref="DocumentPrefix"/> then <paramref name="document"/>.</summary>
    public string FormatDocument(string document) => string.Concat(DocumentPrefix, document);
}
