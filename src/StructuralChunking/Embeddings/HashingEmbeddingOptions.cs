namespace StructuralChunking.Embeddings;

/// <summary>Options for <see cref="HashingEmbeddingGenerator"/>.</summary>
public sealed class HashingEmbeddingOptions
{
    /// <summary>Vector length. Default 512.</summary>
    public int Dimensions { get; init; } = 512;

    /// <summary>Weight of single words (identifier parts and prose words). Default 1.</summary>
    public float WordWeight { get; init; } = 1f;

    /// <summary>Weight of adjacent word pairs, which keep phrases such as <c>admin jwt</c> apart from <c>user jwt</c>. Default 0.6.</summary>
    public float BigramWeight { get; init; } = 0.6f;

    /// <summary>Weight of character trigrams of words, which let <c>validate</c> meet <c>validation</c>. Default 0.25.</summary>
    public float CharTrigramWeight { get; init; } = 0.25f;

    /// <summary>Weight of whole multi-word identifiers (<c>readbearertoken</c>). Default 0.8.</summary>
    public float IdentifierWeight { get; init; } = 0.8f;

    /// <summary>Checks the options, reporting every problem at once.</summary>
    /// <exception cref="ArgumentException">One or more options are out of range.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (Dimensions is < 16 or > 65536)
        {
            errors.Add($"{nameof(Dimensions)} must be between 16 and 65536 (was {Dimensions}).");
        }

        foreach (var (name, value) in new[] { (nameof(WordWeight), WordWeight), (nameof(BigramWeight), BigramWeight), (nameof(CharTrigramWeight), CharTrigramWeight), (nameof(IdentifierWeight), IdentifierWeight) })
        {
            if (!(value >= 0f) || float.IsInfinity(value))
            {
                errors.Add($"{name} must be a finite number ≥ 0 (was {value}).");
            }
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid hashing embedding options: " + string.Join(" ", errors));
        }
    }
}
