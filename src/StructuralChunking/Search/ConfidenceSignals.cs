namespace StructuralChunking.Search;

/// <summary>
/// The evidence a result's confidence is computed from: how close its embedding is to the query's, how much the best
/// candidate stands out, and how many of the query's content words the code base and the result use at all.
/// </summary>
/// <remarks>
/// Word shares are weighted by inverse document frequency, and a word no chunk contains weighs most: a question about
/// "YAML" put to a code base that never says "yaml" is strong evidence that it has no answer, whatever the cosine.
/// Function words (<c>where</c>, <c>how</c>, <c>the</c>…) are not content words.
/// </remarks>
public sealed record ConfidenceSignals
{
    /// <summary>Cosine similarity between the query and the result's best part.</summary>
    public required float Cosine { get; init; }

    /// <summary>The highest cosine of any candidate for the query.</summary>
    public required float TopCosine { get; init; }

    /// <summary>The highest cosine minus the tenth highest: how clearly the best candidates stand out from the rest.</summary>
    public required float CosineSpread { get; init; }

    /// <summary>Share (0–1, IDF-weighted) of the query's content words that occur anywhere in the index.</summary>
    public required float QueryWordsKnown { get; init; }

    /// <summary>Share (0–1, IDF-weighted) of the query's content words that occur in the result's own lexical text.</summary>
    public required float QueryWordsMatched { get; init; }

    /// <summary>The result's symbol name is written verbatim in the query.</summary>
    public required bool ExactName { get; init; }
}
