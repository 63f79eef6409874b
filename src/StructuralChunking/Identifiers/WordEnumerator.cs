namespace StructuralChunking.Identifiers;

/// <summary>
/// Enumerates the words of an identifier or of free text as ranges into it, without allocating.
/// Get one from <see cref="IdentifierSplitter.EnumerateWords"/> and use it with <c>foreach</c>.
/// </summary>
/// <remarks>The rules are described on <see cref="IdentifierSplitter"/>. Slice the text with the range to read a word.</remarks>
public ref struct WordEnumerator
{
    private readonly ReadOnlySpan<char> _text;
    private int _position;
    private int _start;
    private int _end;

    internal WordEnumerator(ReadOnlySpan<char> text) => _text = text;

    /// <summary>The range of the current word in the enumerated text; its characters keep their original case.</summary>
    public readonly Range Current => new(_start, _end);

    /// <summary>Returns this enumerator, so it works with <c>foreach</c>.</summary>
    public readonly WordEnumerator GetEnumerator() => this;

    /// <summary>Advances to the next word.</summary>
    /// <returns><c>false</c> when there are no more words.</returns>
    public bool MoveNext()
    {
        var text = _text;
        var i = _position;
        CharClass kind;
        while (true)
        {
            if (i >= text.Length)
            {
                _position = i;
                return false;
            }

            kind = CharClassifier.Classify(text, i, out var width);
            // A combining mark with no letter before it has nothing to attach to, so it separates like punctuation.
            if (kind is not (CharClass.Separator or CharClass.Mark))
            {
                break;
            }

            i += width;
        }

        _start = i;
        _end = kind == CharClass.Upper ? EndOfUpperStartedWord(text, i) : EndOfRun(text, i, kind);
        _position = _end;
        return true;
    }

    /// <summary>The end of the run of <paramref name="kind"/> characters (and their combining marks) starting at <paramref name="i"/>.</summary>
    private static int EndOfRun(ReadOnlySpan<char> text, int i, CharClass kind)
    {
        while (i < text.Length)
        {
            var next = CharClassifier.Classify(text, i, out var width);
            if (next != kind && next != CharClass.Mark)
            {
                break;
            }

            i += width;
        }

        return i;
    }

    /// <summary>The end of a word that starts with an upper-case letter at <paramref name="start"/>.</summary>
    private static int EndOfUpperStartedWord(ReadOnlySpan<char> text, int start)
    {
        var upperEnd = start;
        var lastUpper = start;
        var upperCount = 0;
        var following = CharClass.Separator;
        while (upperEnd < text.Length)
        {
            following = CharClassifier.Classify(text, upperEnd, out var width);
            if (following == CharClass.Upper)
            {
                lastUpper = upperEnd;
                upperCount++;
            }
            else if (following != CharClass.Mark)
            {
                break;
            }

            upperEnd += width;
        }

        if (upperEnd >= text.Length || following != CharClass.Lower)
        {
            // "HTTP2", "ID_", "ABC": an all-caps run is one word.
            return upperEnd;
        }

        var lowerEnd = EndOfRun(text, upperEnd, CharClass.Lower);
        if (upperCount == 1)
        {
            // "Order", "Jwt".
            return lowerEnd;
        }

        var lower = text[upperEnd..lowerEnd];
        if (lower is "s")
        {
            // "URLs", "requestIDs", "getAPIsForUser": a lone 's' after an acronym is its plural; the run of lower-case
            // letters ended, so what follows is an upper-case letter, a digit, a separator or the end.
            return lowerEnd;
        }

        if (IsConnector(lower))
        {
            // "JSONtoXML": the lower-case run is a word of its own, not the tail of the acronym's last letter.
            return upperEnd;
        }

        // "XMLHttp" -> "XML" + "Http", "IOrder" -> "I" + "Order": the last capital starts the next word.
        return lastUpper;
    }

    /// <summary>
    /// Short lower-case words that sit between two acronyms ("JSONtoXML", "UTF8fromASCII"). Only words that no English
    /// word ends with after a capital are listed: "in", "on", "or", "as", "at" and "and" are left out because "Pin",
    /// "Ion", "Xor", "Has", "Mat" and "Hand" would be cut in the wrong place.
    /// </summary>
    private static bool IsConnector(ReadOnlySpan<char> lower) =>
        lower is "to" or "of" or "for" or "from" or "with" or "by" or "into" or "via";
}
