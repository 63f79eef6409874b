namespace StructuralChunking.Chunking;

/// <summary>
/// Counts tokens the way an embedding model's tokenizer would, so chunks fit the model's window and are never
/// silently truncated. The core package ships <see cref="ApproximateTokenCounter"/>; model packages supply exact ones.
/// </summary>
/// <remarks>Implementations must be thread-safe.</remarks>
public interface ITokenCounter
{
    /// <summary>Number of tokens in <paramref name="text"/> (without the model's special tokens).</summary>
    int CountTokens(ReadOnlySpan<char> text);

    /// <summary>
    /// The length of the longest prefix of <paramref name="text"/> that holds at most <paramref name="maxTokens"/>
    /// tokens, cut at a token boundary; <paramref name="tokenCount"/> receives that prefix's token count.
    /// </summary>
    int GetIndexByTokenCount(ReadOnlySpan<char> text, int maxTokens, out int tokenCount);
}
