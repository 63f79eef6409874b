namespace StructuralChunking.Identifiers;

/// <summary>
/// Enumerates identifier-like tokens in code as ranges into it, without allocating.
/// Get one from <see cref="IdentifierSplitter.EnumerateIdentifiers"/> and use it with <c>foreach</c>.
/// </summary>
/// <remarks>
/// A token is a maximal run of letters, numbers, combining marks, <c>_</c> and <c>$</c> that does not start with a
/// number and holds at least one letter. Runs that start with a number are literals (<c>0xFF</c>, <c>1e10</c>,
/// <c>42L</c>) and are skipped whole; runs of only <c>_</c>/<c>$</c> carry no words and are skipped too. Every other
/// character separates tokens, so <c>a.b</c>, <c>a::b</c> and <c>a-b</c> give two tokens each and the <c>@</c> of
/// <c>@class</c> or the <c>#</c> of <c>#field</c> is not part of the token. The scan is lexical and language-neutral:
/// words in comments and string literals are tokens too.
/// </remarks>
public ref struct IdentifierEnumerator
{
    private readonly ReadOnlySpan<char> _code;
    private int _position;
    private int _start;
    private int _end;

    internal IdentifierEnumerator(ReadOnlySpan<char> code) => _code = code;

    /// <summary>The range of the current token in the enumerated code.</summary>
    public readonly Range Current => new(_start, _end);

    /// <summary>Returns this enumerator, so it works with <c>foreach</c>.</summary>
    public readonly IdentifierEnumerator GetEnumerator() => this;

    /// <summary>Advances to the next identifier-like token.</summary>
    /// <returns><c>false</c> when there are no more tokens.</returns>
    public bool MoveNext()
    {
        var code = _code;
        var i = _position;
        while (i < code.Length)
        {
            var kind = CharClassifier.Classify(code, i, out var width);
            if (!IsTokenPart(code[i], kind))
            {
                i += width;
                continue;
            }

            var start = i;
            var startsWithNumber = kind == CharClass.Digit;
            var hasLetter = false;
            while (i < code.Length)
            {
                kind = CharClassifier.Classify(code, i, out width);
                if (!IsTokenPart(code[i], kind))
                {
                    break;
                }

                hasLetter |= kind is CharClass.Upper or CharClass.Lower or CharClass.Caseless;
                i += width;
            }

            if (!startsWithNumber && hasLetter)
            {
                _start = start;
                _end = i;
                _position = i;
                return true;
            }
        }

        _position = i;
        return false;
    }

    private static bool IsTokenPart(char c, CharClass kind) => kind != CharClass.Separator || c is '_' or '$';
}
