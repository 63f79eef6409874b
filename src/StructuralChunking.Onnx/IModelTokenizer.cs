using StructuralChunking.Chunking;

namespace StructuralChunking.Onnx;

/// <summary>
/// A text encoder's tokenizer as <see cref="OnnxEmbeddingGenerator"/> uses it: model inputs with the model's own
/// special tokens, the padding id, and exact token counts for chunk budgets.
/// </summary>
/// <remarks>
/// Shipped implementations: <see cref="BertCodeTokenizer"/> (WordPiece, <c>vocab.txt</c>) and
/// <see cref="ByteLevelBpeTokenizer"/> (RoBERTa-style byte-level BPE, <c>vocab.json</c> + <c>merges.txt</c>). Both read
/// a model folder's <c>tokenizer.json</c> too (see <see cref="OnnxEmbeddingGenerator.FromFolder"/>). Implementations must be
/// thread-safe.
/// </remarks>
public interface IModelTokenizer : ITokenCounter
{
    /// <summary>The id that pads short inputs in a batch (the attention mask hides it).</summary>
    int PaddingTokenId { get; }

    /// <summary>The content token ids of <paramref name="text"/>, without the model's start and end tokens.</summary>
    IReadOnlyList<int> EncodeToIds(string text);

    /// <summary>
    /// The model input for <paramref name="text"/>: the start token, the content tokens cut to
    /// <paramref name="maxTokens"/> − 2, the end token.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="maxTokens">The most tokens in the result, start and end tokens included; at least 2.</param>
    int[] EncodeForModel(string text, int maxTokens);
}
