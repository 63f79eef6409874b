namespace StructuralChunking.Identifiers;

/// <summary>
/// Splits identifiers (and free text that contains them) into lower-case words, so that
/// <c>useAdminJwtValidationMiddleware</c> reads <c>use admin jwt validation middleware</c> to an embedding model and to
/// lexical (BM25) matching. Queries are split with the same rules, so both sides agree on the words.
/// </summary>
/// <remarks>
/// <para>
/// Rules, in order. Any character that is not a letter, a number or a combining mark separates words: <c>_</c>,
/// <c>$</c>, <c>.</c>, <c>::</c>, <c>-</c>, white space and punctuation, so snake_case, SCREAMING_CASE, kebab-case,
/// <c>os.path.join</c>, <c>std::vector</c>, <c>__init__</c> and <c>$scope</c> all split there and leading or trailing
/// separators give nothing. Inside a run of letters and numbers a word ends where a lower-case letter is followed by an
/// upper-case one (<c>useEffect</c>), where letters meet numbers (<c>base64Encode</c> → <c>base 64 encode</c>), and
/// where cased letters meet caseless ones (CJK, Arabic, Hebrew). A run of capitals followed by lower-case letters
/// gives its last capital to the next word (<c>XMLHttpRequest</c> → <c>xml http request</c>), with two exceptions: a
/// lone <c>s</c> stays with the acronym as its plural (<c>requestIDs</c> → <c>request ids</c>, <c>getAPIsForUser</c> →
/// <c>get apis for user</c>), and the connectors <c>to of for from with by into via</c> become words of their own
/// (<c>JSONtoXML</c> → <c>json to xml</c>). Words are lower-cased with the invariant culture.
/// </para>
/// <para>Decisions for ambiguous input, all made without a dictionary so the splitter stays small and predictable:</para>
/// <list type="bullet">
/// <item><description>
/// All-caps runs are one word: <c>ABC</c> → <c>abc</c>, <c>IO</c> → <c>io</c>, <c>SCREAMING_SNAKE_CASE</c> splits only
/// at the underscores. Boundaries inside <c>GETRESPONSE</c> cannot be seen.
/// </description></item>
/// <item><description>
/// <c>I</c>-prefixed interfaces need no special case: the last capital of <c>IO</c> in <c>IOrderService</c> starts
/// <c>Order</c>, giving <c>i order service</c> (and <c>IDisposable</c> → <c>i disposable</c>), while <c>IOStream</c> →
/// <c>io stream</c> and <c>IPAddress</c> → <c>ip address</c>. The same rule gives <c>OAuth2Client</c> →
/// <c>o auth 2 client</c>: telling <c>OAuth</c> from <c>IOrder</c> would take a word list.
/// </description></item>
/// <item><description>
/// Numbers are always words of their own, on both sides: <c>x86_64</c> → <c>x 86 64</c>, <c>v2</c> → <c>v 2</c>,
/// <c>int32</c> → <c>int 32</c>, <c>GL_TEXTURE_2D</c> → <c>gl texture 2 d</c>, <c>MyHTTP2Server</c> →
/// <c>my http 2 server</c>, <c>a1b2</c> → <c>a 1 b 2</c>. This keeps <c>int</c>, <c>sha</c> and <c>http</c> matchable
/// on their own, and a query for <c>sha256</c> splits the same way. <c>3.14</c> gives <c>3 14</c>.
/// </description></item>
/// <item><description>
/// A lower-case prefix before a capital is a word: <c>iPhone</c> → <c>i phone</c>, <c>iOS</c> → <c>i os</c>. Hungarian
/// and scope prefixes therefore stand alone and are not split further: <c>lpszFileName</c> → <c>lpsz file name</c>,
/// <c>strName</c> → <c>str name</c>, <c>m_count</c> → <c>m count</c>.
/// </description></item>
/// <item><description>
/// Single-letter words are kept (<c>i</c>, <c>m</c>, <c>x</c>, <c>a</c>): dropping them is a stop-word decision for the
/// caller, and they carry meaning in <c>x86</c> or <c>vec3 x</c>.
/// </description></item>
/// <item><description>
/// Empty input and input of separators only (<c>_</c>, <c>__</c>, <c>::</c>) give no words: an empty list and an empty
/// string.
/// </description></item>
/// <item><description>
/// Caseless scripts are not segmented further: a CJK run is one word. Combining marks stay with the character before
/// them; one with nothing before it separates. Letters outside the Basic Multilingual Plane are classified by their code
/// point. In free text, apostrophes separate (<c>don't</c> → <c>don t</c>).
/// </description></item>
/// <item><description>
/// Input of any length works in linear time with constant state and no recursion. A run without boundaries (a long
/// all-caps or lower-case run, a base64 blob) stays one word of that length; capping word length is the indexer's call.
/// </description></item>
/// </list>
/// <para>
/// <see cref="EnumerateWords"/> and <see cref="EnumerateIdentifiers"/> allocate nothing; the other methods allocate only
/// their results. All members are thread-safe.
/// </para>
/// </remarks>
public static class IdentifierSplitter
{
    /// <summary>Enumerates the words of an identifier or of free text as ranges into <paramref name="text"/>, without allocating.</summary>
    /// <param name="text">An identifier, a qualified name or free text.</param>
    /// <returns>An enumerator for <c>foreach</c>; each range slices one word, in its original case.</returns>
    public static WordEnumerator EnumerateWords(ReadOnlySpan<char> text) => new(text);

    /// <summary>
    /// Enumerates identifier-like tokens in code as ranges into <paramref name="code"/>, without allocating; for building
    /// lexical text from the original identifiers and their split words.
    /// </summary>
    /// <param name="code">Source code or any text.</param>
    /// <returns>An enumerator for <c>foreach</c>; see <see cref="IdentifierEnumerator"/> for what counts as a token.</returns>
    public static IdentifierEnumerator EnumerateIdentifiers(ReadOnlySpan<char> code) => new(code);

    /// <summary>Splits an identifier into lower-case words.</summary>
    /// <param name="identifier">For example <c>getHTTPResponseCode</c>.</param>
    /// <returns>The words in order, for example <c>get</c>, <c>http</c>, <c>response</c>, <c>code</c>; empty when there are none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="identifier"/> is <c>null</c>.</exception>
    public static IReadOnlyList<string> Split(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        return SplitToArray(identifier);
    }

    /// <summary>Splits an identifier or text into lower-case words and appends them to <paramref name="words"/>.</summary>
    /// <param name="text">An identifier, a qualified name or free text.</param>
    /// <param name="words">Receives the words in order; duplicates are added as they occur.</param>
    /// <exception cref="ArgumentNullException"><paramref name="words"/> is <c>null</c>.</exception>
    public static void Split(ReadOnlySpan<char> text, ICollection<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        foreach (var range in EnumerateWords(text))
        {
            words.Add(ToLowerString(text[range]));
        }
    }

    /// <summary>Splits an identifier into lower-case words joined by single spaces.</summary>
    /// <param name="identifier">For example <c>UseAdminJwtValidationMiddleware</c>.</param>
    /// <returns>For example <c>use admin jwt validation middleware</c>; empty when there are no words.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="identifier"/> is <c>null</c>.</exception>
    public static string SplitToText(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var span = identifier.AsSpan();
        var length = -1;
        foreach (var range in EnumerateWords(span))
        {
            length += range.End.Value - range.Start.Value + 1;
        }

        if (length <= 0)
        {
            return string.Empty;
        }

        return string.Create(length, identifier, static (destination, text) =>
        {
            var source = text.AsSpan();
            var position = 0;
            foreach (var range in EnumerateWords(source))
            {
                if (position > 0)
                {
                    destination[position++] = ' ';
                }

                var word = source[range];
                word.ToLowerInvariant(destination[position..]);
                position += word.Length;
            }
        });
    }

    /// <summary>
    /// Splits free text, such as a search query, into lower-case words, splitting the identifiers inside it:
    /// <c>where is useAdminJwt used?</c> gives <c>where is use admin jwt used</c>.
    /// </summary>
    /// <param name="text">Free text.</param>
    /// <returns>The words in order; empty when there are none.</returns>
    /// <remarks>
    /// The rules are the same as for <see cref="Split(string)"/>, which already treats every non-word character as a
    /// separator; this method exists so that call sites say which kind of input they pass.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <c>null</c>.</exception>
    public static IReadOnlyList<string> SplitText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SplitToArray(text);
    }

    private static string[] SplitToArray(ReadOnlySpan<char> text)
    {
        // Counting first sizes the result exactly; a second scan is cheaper than a growing list.
        var count = 0;
        foreach (var _ in EnumerateWords(text))
        {
            count++;
        }

        if (count == 0)
        {
            return [];
        }

        var words = new string[count];
        var index = 0;
        foreach (var range in EnumerateWords(text))
        {
            words[index++] = ToLowerString(text[range]);
        }

        return words;
    }

#if NET9_0_OR_GREATER
    private static string ToLowerString(ReadOnlySpan<char> word) =>
        string.Create(word.Length, word, static (destination, source) => source.ToLowerInvariant(destination));
#else
    private static string ToLowerString(ReadOnlySpan<char> word)
    {
        // net8.0 cannot pass a span as string.Create's state; one short-lived buffer instead.
        Span<char> buffer = word.Length <= 256 ? stackalloc char[word.Length] : new char[word.Length];
        word.ToLowerInvariant(buffer);
        return new string(buffer);
    }
#endif
}
