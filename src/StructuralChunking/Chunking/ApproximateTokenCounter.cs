namespace StructuralChunking.Chunking;

/// <summary>
/// A model-free estimate of BERT-style WordPiece token counts, tuned to over-count slightly on code: every punctuation
/// or symbol character is one token, and a run of letters and digits costs one token per four characters after the
/// first four (so <c>property</c> counts 2, <c>shouldwriteproperty</c> 5). One pass, no allocation.
/// </summary>
/// <remarks>
/// Over-counting keeps chunks inside the real model's window; the ONNX package replaces this with the model's own
/// tokenizer so budgets are exact.
/// </remarks>
public sealed class ApproximateTokenCounter : ITokenCounter
{
    /// <summary>The shared instance (the type has no state).</summary>
    public static ApproximateTokenCounter Instance { get; } = new();

    /// <inheritdoc />
    public int CountTokens(ReadOnlySpan<char> text)
    {
        GetIndexByTokenCount(text, int.MaxValue, out var count);
        return count;
    }

    /// <inheritdoc />
    public int GetIndexByTokenCount(ReadOnlySpan<char> text, int maxTokens, out int tokenCount)
    {
        var tokens = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            int end;
            int cost;
            if (char.IsLetterOrDigit(c))
            {
                end = i + 1;
                while (end < text.Length && char.IsLetterOrDigit(text[end]))
                {
                    end++;
                }

                var length = end - i;
                cost = length <= 4 ? 1 : 1 + ((length - 4 + 3) / 4);
            }
            else
            {
                end = i + 1;
                cost = 1;
            }

            if (tokens + cost > maxTokens)
            {
                break;
            }

            tokens += cost;
            i = end;
        }

        tokenCount = tokens;
        return i;
    }
}
