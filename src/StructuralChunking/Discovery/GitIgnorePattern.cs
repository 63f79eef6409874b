namespace StructuralChunking.Discovery;

/// <summary>One line of a gitignore-style file, compiled once and matched many times.</summary>
/// <remarks>
/// <para>
/// Follows gitignore(5) and git's wildmatch: <c>!</c> negates, a trailing <c>/</c> matches folders only, a
/// <c>/</c> at the start or in the middle anchors the pattern to its file's folder (otherwise it matches a name
/// at any depth), <c>*</c> and <c>?</c> never match <c>/</c>, <c>[a-z]</c>, <c>[!x]</c>, <c>[^x]</c> and
/// <c>[[:alpha:]]</c> classes, <c>**</c> as a leading <c>**/</c>, a trailing <c>/**</c> or a middle
/// <c>/**/</c> (anywhere else it is a plain <c>*</c>), <c>\</c> escapes, and trailing spaces trimmed unless
/// escaped.
/// </para>
/// <para>
/// Matching is case-sensitive and ordinal, as git with <c>core.ignorecase=false</c>, and works on UTF-16 chars
/// where git works on bytes (this only differs for non-ASCII characters inside <c>[...]</c>).
/// A pattern decides only about the exact path it is given: a file below an ignored folder is excluded because
/// the walker never enters that folder, exactly as in git, not because the pattern matches the file.
/// </para>
/// </remarks>
internal sealed class GitIgnorePattern
{
    // Above this many path segments the matcher's work table moves from the stack to the heap.
    private const int StackSegmentLimit = 64;

    private readonly MatchKind _kind;
    private readonly string _literal;
    private readonly Segment[] _segments;

    private GitIgnorePattern(string text, int lineNumber, bool isNegation, bool isDirectoryOnly, bool isAnchored, MatchKind kind, string literal, Segment[] segments)
    {
        Text = text;
        LineNumber = lineNumber;
        IsNegation = isNegation;
        IsDirectoryOnly = isDirectoryOnly;
        IsAnchored = isAnchored;
        _kind = kind;
        _literal = literal;
        _segments = segments;
    }

    private enum MatchKind
    {
        Never,
        Literal,
        StarThenLiteral,
        Segments,
    }

    /// <summary>The pattern as written, trailing spaces trimmed; used to explain why a path was skipped.</summary>
    public string Text { get; }

    /// <summary>1-based line in the ignore file, or 0 when the pattern did not come from a file.</summary>
    public int LineNumber { get; }

    /// <summary>True for <c>!pattern</c>: a match re-includes the path.</summary>
    public bool IsNegation { get; }

    /// <summary>True for <c>pattern/</c>: only folders match.</summary>
    public bool IsDirectoryOnly { get; }

    /// <summary>True when the pattern matches the whole path relative to its file's folder rather than a name at any depth.</summary>
    public bool IsAnchored { get; }

    /// <summary>Parses one line; <c>null</c> for blank lines, comments and lines that can never match anything.</summary>
    public static GitIgnorePattern? Parse(string line, int lineNumber = 0)
    {
        ArgumentNullException.ThrowIfNull(line);

        var text = line.EndsWith('\r') ? line[..^1] : line;
        if (text.Length == 0 || text[0] == '#')
        {
            return null;
        }

        text = TrimTrailingSpaces(text);
        if (text.Length == 0)
        {
            return null;
        }

        var body = text;
        var isNegation = body[0] == '!';
        if (isNegation)
        {
            body = body[1..];
        }

        // Like git, strip a single trailing slash; "foo//" keeps one and so can never match a path.
        var isDirectoryOnly = body.EndsWith('/');
        if (isDirectoryOnly)
        {
            body = body[..^1];
        }

        var isAnchored = body.Contains('/', StringComparison.Ordinal);
        if (body.StartsWith('/'))
        {
            body = body[1..];
        }

        if (body.Length == 0)
        {
            return null;
        }

        var (kind, literal, segments) = Compile(body);
        return new GitIgnorePattern(text, lineNumber, isNegation, isDirectoryOnly, isAnchored, kind, literal, segments);
    }

    /// <summary>
    /// True when the pattern matches <paramref name="relativePath"/>, a path relative to the folder of the
    /// pattern's file, with <c>/</c> separators and no leading or trailing slash.
    /// </summary>
    /// <remarks>The result ignores <see cref="IsNegation"/>: it says whether the pattern applies, not whether the path is excluded.</remarks>
    public bool IsMatch(string relativePath, bool isDirectory)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        if (IsDirectoryOnly && !isDirectory)
        {
            return false;
        }

        var subject = relativePath.AsSpan();
        if (!IsAnchored)
        {
            // An unanchored pattern has no slash, so it can only ever match the last segment.
            subject = subject[(subject.LastIndexOf('/') + 1)..];
        }

        return _kind switch
        {
            MatchKind.Literal => subject.SequenceEqual(_literal),
            MatchKind.StarThenLiteral => subject.EndsWith(_literal, StringComparison.Ordinal)
                && !subject[..^_literal.Length].Contains('/'),
            MatchKind.Segments => MatchSegments(subject),
            _ => false,
        };
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    /// <summary>git's trim_trailing_spaces: drops a final run of unescaped spaces; a dangling backslash keeps everything.</summary>
    private static string TrimTrailingSpaces(string text)
    {
        var lastSpace = -1;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case ' ':
                    if (lastSpace < 0)
                    {
                        lastSpace = i;
                    }

                    break;
                case '\\':
                    i++;
                    if (i == text.Length)
                    {
                        return text;
                    }

                    lastSpace = -1;
                    break;
                default:
                    lastSpace = -1;
                    break;
            }
        }

        return lastSpace < 0 ? text : text[..lastSpace];
    }

    /// <summary>
    /// Turns the pattern body into the cheapest exact matcher: most real patterns are a plain name or
    /// <c>*.ext</c>; the rest become path segments, so no regex is built (a linear-time regex costs milliseconds
    /// to construct, and a backtracking one can be stalled by a pattern such as <c>*a*a*a*a*b</c>).
    /// </summary>
    private static (MatchKind Kind, string Literal, Segment[] Segments) Compile(string body)
    {
        var tokens = Tokenize(body);
        if (tokens is null)
        {
            return (MatchKind.Never, "", []);
        }

        var literalStart = tokens.Count > 0 && tokens[0].Kind == TokenKind.Star ? 1 : 0;
        if (tokens.Skip(literalStart).All(static t => t.Kind == TokenKind.Literal))
        {
            var literal = string.Concat(tokens.Skip(literalStart).Select(static t => t.Char));
            return (literalStart == 0 ? MatchKind.Literal : MatchKind.StarThenLiteral, literal, []);
        }

        return (MatchKind.Segments, "", ToSegments(tokens));
    }

    /// <summary>
    /// Groups tokens into path segments. Nothing but a '/' literal matches '/', so every match lines pattern
    /// slashes up with path slashes, and a pattern can be matched segment by segment.
    /// </summary>
    private static Segment[] ToSegments(List<Token> tokens)
    {
        var segments = new List<Segment>();
        var current = new List<Token>();
        foreach (var token in tokens)
        {
            switch (token.Kind)
            {
                case TokenKind.Literal when token.Char == '/':
                    segments.Add(new Segment(SegmentKind.Glob, [.. current]));
                    current.Clear();
                    break;
                case TokenKind.AnyDirectories:
                    segments.Add(new Segment(SegmentKind.ZeroOrMore, []));
                    break;
                case TokenKind.AnyPath:
                    segments.Add(new Segment(SegmentKind.OneOrMore, []));
                    break;
                default:
                    current.Add(token);
                    break;
            }
        }

        // A trailing "**" ends the pattern; anything else (even nothing, after "a//" or a final "**\/") still
        // needs a last segment, and an empty one matches no real path segment.
        if (tokens[^1].Kind != TokenKind.AnyPath)
        {
            segments.Add(new Segment(SegmentKind.Glob, [.. current]));
        }

        return [.. segments];
    }

    /// <summary>Matches the segments against a path in O(pattern segments x path segments x segment length).</summary>
    private bool MatchSegments(ReadOnlySpan<char> path)
    {
        var pathSegmentCount = path.Count('/') + 1;
        Span<Range> pathSegments = pathSegmentCount <= StackSegmentLimit ? stackalloc Range[pathSegmentCount] : new Range[pathSegmentCount];
        path.Split(pathSegments, '/');

        if (_segments.All(static s => s.Kind == SegmentKind.Glob))
        {
            if (_segments.Length != pathSegmentCount)
            {
                return false;
            }

            for (var i = 0; i < _segments.Length; i++)
            {
                if (!MatchGlob(_segments[i].Tokens, path[pathSegments[i]]))
                {
                    return false;
                }
            }

            return true;
        }

        // matches[p * (n + 1) + s]: pattern segments from p on match path segments from s on. Filled from the
        // end, so each "**" looks up answers instead of re-trying them, which keeps hostile patterns polynomial.
        var n = pathSegmentCount;
        var size = (_segments.Length + 1) * (n + 1);
        Span<bool> matches = size <= StackSegmentLimit * 4 ? stackalloc bool[size] : new bool[size];
        matches.Clear();
        matches[(_segments.Length * (n + 1)) + n] = true;
        for (var p = _segments.Length - 1; p >= 0; p--)
        {
            var row = p * (n + 1);
            var next = (p + 1) * (n + 1);
            var segment = _segments[p];
            for (var s = n; s >= 0; s--)
            {
                matches[row + s] = segment.Kind switch
                {
                    SegmentKind.Glob => s < n && matches[next + s + 1] && MatchGlob(segment.Tokens, path[pathSegments[s]]),
                    // Zero or more: either it stops here, or it takes path segment s and the rest is as from s + 1.
                    SegmentKind.ZeroOrMore => matches[next + s] || (s < n && matches[row + s + 1]),
                    _ => s < n && (matches[next + s + 1] || matches[row + s + 1]),
                };
            }
        }

        return matches[0];
    }

    /// <summary>
    /// Matches one segment (no '/') with the classic two-pointer glob algorithm: on a mismatch only the last
    /// '*' is retried, which is enough because every other token matches exactly one character. O(tokens x text).
    /// </summary>
    private static bool MatchGlob(Token[] tokens, ReadOnlySpan<char> text)
    {
        int t = 0, p = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < tokens.Length && tokens[p].Kind == TokenKind.Star)
            {
                starP = p++;
                starT = t;
            }
            else if (p < tokens.Length && tokens[p].Matches(text[t]))
            {
                p++;
                t++;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }

        while (p < tokens.Length && tokens[p].Kind == TokenKind.Star)
        {
            p++;
        }

        return p == tokens.Length;
    }

    /// <summary>Splits a pattern body into wildmatch tokens; <c>null</c> when git would never match it (bad escape or class).</summary>
    private static List<Token>? Tokenize(string body)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < body.Length)
        {
            var c = body[i];
            switch (c)
            {
                case '\\':
                    if (i + 1 == body.Length)
                    {
                        return null;
                    }

                    tokens.Add(Token.Literal(body[i + 1]));
                    i += 2;
                    break;
                case '*':
                    i = ReadStars(body, i, tokens);
                    break;
                case '?':
                    tokens.Add(new Token(TokenKind.Question, '?', null));
                    i++;
                    break;
                case '[':
                    var charClass = ReadClass(body, i, out var next);
                    if (charClass is null)
                    {
                        return null;
                    }

                    tokens.Add(new Token(TokenKind.Class, '[', charClass));
                    i = next;
                    break;
                default:
                    tokens.Add(Token.Literal(c));
                    i++;
                    break;
            }
        }

        return tokens;
    }

    /// <summary>Reads a run of <c>*</c> starting at <paramref name="start"/>; returns the index after it.</summary>
    private static int ReadStars(string body, int start, List<Token> tokens)
    {
        var end = start;
        while (end < body.Length && body[end] == '*')
        {
            end++;
        }

        // "**" only spans folders as a whole segment; "a**b" is the same as "a*b".
        var wholeSegment = end - start >= 2
            && (start == 0 || body[start - 1] == '/')
            && (end == body.Length || body[end] == '/' || (body[end] == '\\' && end + 1 < body.Length && body[end + 1] == '/'));
        if (!wholeSegment)
        {
            tokens.Add(new Token(TokenKind.Star, '*', null));
            return end;
        }

        if (end == body.Length)
        {
            tokens.Add(new Token(TokenKind.AnyPath, '*', null));
            return end;
        }

        // "**/" also matches zero folders, so it absorbs its slash.
        tokens.Add(new Token(TokenKind.AnyDirectories, '*', null));
        return end + (body[end] == '\\' ? 2 : 1);
    }

    /// <summary>
    /// Reads a bracket expression at <paramref name="start"/> the way wildmatch does; <c>null</c> when it is
    /// unterminated or names an unknown <c>[:class:]</c> (git then never matches the pattern).
    /// </summary>
    private static CharClass? ReadClass(string body, int start, out int next)
    {
        next = start;
        var ranges = new List<(char Low, char High)>();
        var p = start + 1;
        if (p >= body.Length)
        {
            return null;
        }

        var negated = body[p] is '!' or '^';
        if (negated)
        {
            p++;
        }

        int previous = -1;
        for (var first = true; ; first = false, p++)
        {
            if (p >= body.Length)
            {
                return null;
            }

            var c = body[p];

            // The first member may be ']' itself, as in "[]a]".
            if (c == ']' && !first)
            {
                break;
            }

            if (c == '\\')
            {
                if (++p >= body.Length)
                {
                    return null;
                }

                c = body[p];
                ranges.Add((c, c));
                previous = c;
            }
            else if (c == '-' && previous >= 0 && p + 1 < body.Length && body[p + 1] != ']')
            {
                var high = body[++p];
                if (high == '\\')
                {
                    if (++p >= body.Length)
                    {
                        return null;
                    }

                    high = body[p];
                }

                // A reversed range such as "z-a" matches nothing, as in git.
                if (previous <= high)
                {
                    ranges.Add(((char)previous, high));
                }

                previous = -1;
            }
            else if (c == '[' && p + 1 < body.Length && body[p + 1] == ':')
            {
                var nameStart = p + 2;
                var close = body.IndexOf(']', nameStart);
                if (close < 0)
                {
                    return null;
                }

                if (close - nameStart - 1 < 0 || body[close - 1] != ':')
                {
                    // Not a "[:name:]": the '[' is an ordinary member and scanning resumes at the ':'.
                    ranges.Add(('[', '['));
                    previous = '[';
                    continue;
                }

                if (!AddPosixClass(body[nameStart..(close - 1)], ranges))
                {
                    return null;
                }

                previous = -1;
                p = close;
            }
            else
            {
                ranges.Add((c, c));
                previous = c;
            }
        }

        next = p + 1;
        return new CharClass([.. ranges], negated);
    }

    /// <summary>Adds the ASCII members of a POSIX class (git's ctype is ASCII-only); false for an unknown name.</summary>
    private static bool AddPosixClass(string name, List<(char Low, char High)> ranges)
    {
        switch (name)
        {
            case "alnum":
                ranges.AddRange([('0', '9'), ('A', 'Z'), ('a', 'z')]);
                return true;
            case "alpha":
                ranges.AddRange([('A', 'Z'), ('a', 'z')]);
                return true;
            case "blank":
                ranges.AddRange([(' ', ' '), ('\t', '\t')]);
                return true;
            case "cntrl":
                ranges.AddRange([('\0', '\x1F'), ('\x7F', '\x7F')]);
                return true;
            case "digit":
                ranges.Add(('0', '9'));
                return true;
            case "graph":
                ranges.Add(('!', '~'));
                return true;
            case "lower":
                ranges.Add(('a', 'z'));
                return true;
            case "print":
                ranges.Add((' ', '~'));
                return true;
            case "punct":
                ranges.AddRange([('!', '/'), (':', '@'), ('[', '`'), ('{', '~')]);
                return true;
            case "space":
                ranges.AddRange([('\t', '\r'), (' ', ' ')]);
                return true;
            case "upper":
                ranges.Add(('A', 'Z'));
                return true;
            case "xdigit":
                ranges.AddRange([('0', '9'), ('A', 'F'), ('a', 'f')]);
                return true;
            default:
                return false;
        }
    }

    private enum TokenKind
    {
        Literal,
        Star,
        Question,
        Class,
        AnyDirectories,
        AnyPath,
    }

    private enum SegmentKind
    {
        Glob,
        ZeroOrMore,
        OneOrMore,
    }

    /// <summary>One pattern element; every kind but the stars matches exactly one character, never '/'.</summary>
    private readonly record struct Token(TokenKind Kind, char Char, CharClass? Class)
    {
        public static Token Literal(char c) => new(TokenKind.Literal, c, null);

        public bool Matches(char c) => Kind switch
        {
            TokenKind.Literal => c == Char,
            TokenKind.Question => c != '/',
            TokenKind.Class => Class!.Matches(c),
            _ => false,
        };
    }

    /// <summary>A path segment of the pattern: a glob, <c>**/</c> (zero or more folders) or a trailing <c>**</c> (one or more segments).</summary>
    private sealed record Segment(SegmentKind Kind, Token[] Tokens);

    /// <summary>A bracket expression; like git with WM_PATHNAME it never matches '/', even when negated or listed.</summary>
    private sealed class CharClass((char Low, char High)[] ranges, bool negated)
    {
        public bool Matches(char c)
        {
            if (c == '/')
            {
                return false;
            }

            foreach (var (low, high) in ranges)
            {
                if (c >= low && c <= high)
                {
                    return !negated;
                }
            }

            return negated;
        }
    }
}
