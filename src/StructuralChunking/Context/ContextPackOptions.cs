using StructuralChunking.Chunking;
using StructuralChunking.Search;

namespace StructuralChunking.Context;

/// <summary>Options of <see cref="CodeSearchEngine.GetContextAsync"/>. Defaults: 4,000 tokens, the ten best hits above the index's threshold.</summary>
public sealed class ContextPackOptions
{
    /// <summary>The default <see cref="Budget"/>.</summary>
    public const int DefaultBudget = 4000;

    /// <summary>The smallest <see cref="Budget"/>: room for a header and a few signatures.</summary>
    public const int MinBudget = 64;

    /// <summary>Most tokens the pack's Markdown may hold, counted with <see cref="TokenCounter"/>. Default <see cref="DefaultBudget"/>.</summary>
    public int Budget { get; init; } = DefaultBudget;

    /// <summary>
    /// The search behind the pack: its top is the most hits considered, its minimum score (or the index's calibrated one)
    /// where the pack stops; filters apply. <c>null</c> for the defaults (top 10, hybrid).
    /// </summary>
    public SearchOptions? Search { get; init; }

    /// <summary>Most signatures of related definitions (callers, callees, implemented members) added per hit. Default 4; 0 for none.</summary>
    public int MaxRelatedPerHit { get; init; } = 4;

    /// <summary>
    /// A hit that does not fit in full is shortened to its first lines when at least this many tokens are left; otherwise
    /// it stays a signature. Default 64.
    /// </summary>
    public int MinTruncatedTokens { get; init; } = 64;

    /// <summary>Counts the tokens; <c>null</c> for the embedding model's tokenizer, or <see cref="ApproximateTokenCounter"/> when it has none.</summary>
    public ITokenCounter? TokenCounter { get; init; }

    /// <summary>Checks the options, reporting every problem at once.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (Budget is < MinBudget or > 1_000_000)
        {
            errors.Add($"{nameof(Budget)} must be between {MinBudget} and 1000000 tokens (was {Budget}).");
        }

        if (MaxRelatedPerHit is < 0 or > 32)
        {
            errors.Add($"{nameof(MaxRelatedPerHit)} must be between 0 and 32 (was {MaxRelatedPerHit}).");
        }

        if (MinTruncatedTokens < 1)
        {
            errors.Add($"{nameof(MinTruncatedTokens)} must be at least 1 (was {MinTruncatedTokens}).");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid context pack options: " + string.Join(" ", errors));
        }

        Search?.Validate();
    }
}
