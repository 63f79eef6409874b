using System.Collections.Frozen;
using StructuralChunking.Identifiers;

namespace StructuralChunking.Search;

/// <summary>Turns lexical texts and queries into BM25 terms the same way, so both sides meet.</summary>
public static class LexicalTokenizer
{
    /// <summary>Terms of a chunk's lexical text: every whitespace-separated token, lower-cased.</summary>
    public static IEnumerable<string> Terms(string lexicalText)
    {
        ArgumentNullException.ThrowIfNull(lexicalText);
        foreach (var token in lexicalText.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return token.ToLowerInvariant();
        }
    }

    /// <summary>
    /// Distinct terms of a query: each identifier-like token lower-cased as a whole, plus its split words, so that
    /// "where is PlaceOrder validated" yields <c>where, is, placeorder, place, order, validated</c>.
    /// </summary>
    public static IReadOnlyList<string> QueryTerms(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var terms = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var words = new List<string>();
        foreach (var range in IdentifierSplitter.EnumerateIdentifiers(query))
        {
            var token = query.AsSpan()[range];
            var whole = token.ToString().ToLowerInvariant();
            if (seen.Add(whole))
            {
                terms.Add(whole);
            }

            words.Clear();
            IdentifierSplitter.Split(token, words);
            foreach (var word in words)
            {
                if (seen.Add(word))
                {
                    terms.Add(word);
                }
            }
        }

        return terms;
    }

    /// <summary>
    /// Other inflections of an English word to try when the word itself is not in the index ("redirects" → "redirect",
    /// "parsing" → "parse", "entries" → "entry"): a question's grammar should not decide whether it meets the code's words.
    /// </summary>
    /// <param name="term">A lower-cased query word.</param>
    public static IEnumerable<string> InflectedForms(string term)
    {
        ArgumentNullException.ThrowIfNull(term);
        if (term.EndsWith("ies", StringComparison.Ordinal))
        {
            yield return term[..^3] + "y";
        }

        if (term.EndsWith("es", StringComparison.Ordinal))
        {
            yield return term[..^2];
        }

        if (term.EndsWith('s'))
        {
            yield return term[..^1];
        }

        if (term.EndsWith("ed", StringComparison.Ordinal))
        {
            yield return term[..^2];
            yield return term[..^1];
        }

        if (term.EndsWith("ing", StringComparison.Ordinal))
        {
            yield return term[..^3];
            yield return term[..^3] + "e";
        }

        yield return term + "s";
    }

    /// <summary>
    /// Whether <paramref name="term"/> (lower-cased) is an English function word of the kind questions are phrased with
    /// (<c>where</c>, <c>how</c>, <c>is</c>, <c>the</c>…): it says nothing about which code answers.
    /// </summary>
    public static bool IsFunctionWord(string term) => FunctionWords.Contains(term);

    private static readonly FrozenSet<string> FunctionWords = new[]
    {
        "a", "about", "after", "all", "an", "and", "any", "are", "as", "at", "be", "been", "before", "being", "by", "can",
        "could", "do", "does", "done", "each", "for", "from", "has", "have", "how", "i", "if", "in", "into", "is", "it",
        "its", "of", "on", "or", "should", "so", "some", "than", "that", "the", "their", "them", "then", "there", "these",
        "they", "this", "those", "to", "was", "we", "were", "what", "when", "where", "whether", "which", "while", "who",
        "why", "will", "with", "would", "you",
    }.ToFrozenSet(StringComparer.Ordinal);
}
