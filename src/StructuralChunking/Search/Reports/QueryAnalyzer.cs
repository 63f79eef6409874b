using System.Text.RegularExpressions;

namespace StructuralChunking.Search;

/// <summary>
/// Pulls the code evidence out of a pasted issue report: identifiers, dotted and <c>::</c> names, file paths, stack-trace
/// frames (Python, .NET, Java, Go and JavaScript formats), error messages and fenced code blocks.
/// </summary>
/// <remarks>
/// Pure text analysis, independent of any index; <see cref="Indexing.CodeIndex"/> resolves what it finds against its
/// files and symbols. Work is bounded: only the first <see cref="MaxAnalyzedChars"/> characters are read and every
/// pattern runs under a timeout.
/// </remarks>
public static partial class QueryAnalyzer
{
    /// <summary>Queries with at least this many words are treated as reports (see <see cref="QueryAnalysis.IsStructured"/>).</summary>
    public const int LongQueryWords = 30;

    /// <summary>Only this many characters of a query are analysed.</summary>
    public const int MaxAnalyzedChars = 100_000;

    private const int MaxItems = 200;

    private static readonly string[] SourceExtensions =
    [
        "py", "pyi", "pyx", "cs", "fs", "vb", "ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs", "java", "kt", "kts", "scala", "groovy",
        "go", "rs", "rb", "php", "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "swift", "m", "mm", "lua", "dart", "vue", "svelte",
    ];

    /// <summary>Analyses <paramref name="query"/>.</summary>
    public static QueryAnalysis Analyze(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var text = query.Length > MaxAnalyzedChars ? query[..MaxAnalyzedChars] : query;
        var frames = new List<StackFrame>();
        var frameLines = new HashSet<int>();
        try
        {
            FindFrames(text, frames, frameLines);
        }
        catch (RegexMatchTimeoutException)
        {
            // A pathological text: keep the frames found so far.
        }

        var codeBlocks = new List<string>();
        var messages = new List<string>();
        var paths = new List<string>();
        var identifiers = new List<string>();
        var qualified = new List<string>();
        try
        {
            foreach (Match match in FencePattern().Matches(text))
            {
                AddDistinct(codeBlocks, match.Groups["code"].Value.Trim('\r', '\n'));
            }

            foreach (Match match in ErrorLinePattern().Matches(text))
            {
                AddDistinct(messages, match.Value.Trim());
            }

            foreach (Match match in QuotedPattern().Matches(text))
            {
                var value = match.Groups["q"].Value.Trim();
                if (value.Contains(' ', StringComparison.Ordinal) && !IsPathLike(value))
                {
                    AddDistinct(messages, value);
                }
            }

            foreach (Match match in PathPattern().Matches(text))
            {
                if (!match.Value.Contains("://", StringComparison.Ordinal))
                {
                    AddDistinct(paths, match.Value.Replace('\\', '/'));
                }
            }

            foreach (Match match in NamePattern().Matches(text))
            {
                var name = match.Value.TrimEnd('.');
                if (IsUrlPart(text, match.Index) || IsPathExtensionName(name))
                {
                    continue;
                }

                var isCall = match.Index + match.Length < text.Length && text[match.Index + match.Length] == '(';
                if (name.Contains("::", StringComparison.Ordinal) || name.Contains('.', StringComparison.Ordinal) || name.Contains("->", StringComparison.Ordinal))
                {
                    if (LooksQualified(name))
                    {
                        AddDistinct(qualified, name);
                        var last = LastName(name);
                        if (LooksLikeIdentifier(last, isCall))
                        {
                            AddDistinct(identifiers, last);
                        }
                    }

                    continue;
                }

                if (LooksLikeIdentifier(name, isCall))
                {
                    AddDistinct(identifiers, name);
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // Keep what was found before the timeout.
        }

        var words = WordPattern().Count(text);
        var codeSpans = 0;
        try
        {
            codeSpans = CodeSpanPattern().Count(text);
        }
        catch (RegexMatchTimeoutException)
        {
            // Counted as none.
        }

        return new QueryAnalysis
        {
            Identifiers = identifiers,
            QualifiedNames = qualified,
            Paths = paths,
            Frames = frames,
            Messages = messages,
            CodeBlocks = codeBlocks,
            WordCount = words,
            IsStructured = frames.Count > 0 || codeBlocks.Count > 0 || codeSpans > 0 || words >= LongQueryWords,
        };
    }

    /// <summary>
    /// Cuts a long query into consecutive windows of at most <paramref name="wordsPerWindow"/> whitespace-separated
    /// tokens, so that each can be embedded within the model's window; a query that fits is one window. At most
    /// <paramref name="maxWindows"/> windows (the rest of a very long text is left to the lexical side).
    /// </summary>
    public static IReadOnlyList<string> Windows(string query, int wordsPerWindow, int maxWindows = 16)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(wordsPerWindow, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWindows, 1);
        var tokens = query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length <= wordsPerWindow)
        {
            return [query];
        }

        var windows = new List<string>();
        for (var start = 0; start < tokens.Length && windows.Count < maxWindows; start += wordsPerWindow)
        {
            var count = Math.Min(wordsPerWindow, tokens.Length - start);
            if (count < wordsPerWindow / 4 && windows.Count > 0)
            {
                // A short tail joins the previous window rather than being embedded on its own.
                windows[^1] += " " + string.Join(' ', tokens, start, count);
                break;
            }

            windows.Add(string.Join(' ', tokens, start, count));
        }

        return windows;
    }

    /// <summary>The last part of a qualified name (<c>Place</c> for <c>Shop.OrderService.Place</c> or <c>shop::Place</c>).</summary>
    public static string LastName(string qualifiedName)
    {
        ArgumentNullException.ThrowIfNull(qualifiedName);
        var parts = NameParts(qualifiedName);
        return parts.Count == 0 ? qualifiedName : parts[^1];
    }

    /// <summary>The part before the last (<c>OrderService</c> for <c>Shop.OrderService.Place</c>), or <c>null</c>.</summary>
    public static string? ContainerName(string qualifiedName)
    {
        ArgumentNullException.ThrowIfNull(qualifiedName);
        var parts = NameParts(qualifiedName);
        return parts.Count < 2 ? null : parts[^2];
    }

    /// <summary>The parts of a dotted, <c>::</c>, <c>-&gt;</c> or slash-separated name, without empty parts.</summary>
    internal static List<string> NameParts(string name) =>
        name.Split(['.', ':', '/', '\\', '>', '-'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static void FindFrames(string text, List<StackFrame> frames, HashSet<int> frameLines)
    {
        // Python prints the frame closest to the error last; the other formats print it first.
        var python = new List<StackFrame>();
        foreach (Match match in PythonFramePattern().Matches(text))
        {
            var function = match.Groups["func"].Success ? match.Groups["func"].Value : null;
            python.Add(new StackFrame(StackTraceFormat.Python, function is "<module>" or null ? null : function,
                match.Groups["path"].Value.Replace('\\', '/'), ParseLine(match.Groups["line"].Value), 0));
            frameLines.Add(match.Index);
        }

        for (var i = 0; i < python.Count; i++)
        {
            frames.Add(python[i] with { Order = python.Count - 1 - i });
        }

        var order = 0;
        foreach (Match match in AtFramePattern().Matches(text))
        {
            var body = match.Groups["body"].Value.Trim();
            StackFrame? frame = null;
            if (JavaFramePattern().Match(body) is { Success: true } java)
            {
                frame = new StackFrame(StackTraceFormat.Java, CleanJavaName(java.Groups["func"].Value), java.Groups["file"].Success ? java.Groups["file"].Value : null,
                    java.Groups["line"].Success ? ParseLine(java.Groups["line"].Value) : null, order);
            }
            else if (JavaScriptFramePattern().Match(body) is { Success: true } js)
            {
                var function = js.Groups["func"].Success ? CleanJavaScriptName(js.Groups["func"].Value) : null;
                frame = new StackFrame(StackTraceFormat.JavaScript, function, CleanJavaScriptPath(js.Groups["path"].Value), ParseLine(js.Groups["line"].Value), order);
            }
            else if (DotNetFramePattern().Match(body) is { Success: true } net)
            {
                frame = new StackFrame(StackTraceFormat.DotNet, CleanDotNetName(net.Groups["func"].Value),
                    net.Groups["path"].Success ? net.Groups["path"].Value.Trim().Replace('\\', '/') : null,
                    net.Groups["line"].Success ? ParseLine(net.Groups["line"].Value) : null, order);
            }

            if (frame is not null && frames.Count < MaxItems)
            {
                frames.Add(frame);
                frameLines.Add(match.Index);
                order++;
            }
        }

        order = 0;
        foreach (Match match in GoFramePattern().Matches(text))
        {
            if (frames.Count >= MaxItems)
            {
                break;
            }

            frames.Add(new StackFrame(StackTraceFormat.Go, CleanGoName(match.Groups["func"].Value), match.Groups["path"].Value, ParseLine(match.Groups["line"].Value), order++));
        }
    }

    private static int? ParseLine(string value) => int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var line) && line > 0 ? line : null;

    /// <summary><c>Ns.Type`1.&lt;Method&gt;d__5.MoveNext</c> → <c>Ns.Type.Method</c>; <c>Method[T]</c> → <c>Method</c>.</summary>
    private static string CleanDotNetName(string name)
    {
        name = GenericArityPattern().Replace(name, string.Empty);
        name = name.Replace("+", ".", StringComparison.Ordinal);
        var compilerGenerated = CompilerGeneratedPattern().Match(name);
        if (compilerGenerated.Success)
        {
            // An async or iterator state machine or a lambda: the method the user wrote is in the angle brackets.
            var prefix = name[..compilerGenerated.Index];
            return (prefix.Length > 0 ? prefix + "." : string.Empty) + compilerGenerated.Groups["name"].Value;
        }

        var bracket = name.IndexOf('[', StringComparison.Ordinal);
        return bracket > 0 ? name[..bracket] : name;
    }

    /// <summary><c>com.shop.Order$Line.lambda$total$0</c> → <c>com.shop.Order.Line.total</c>; <c>&lt;init&gt;</c> → the class.</summary>
    private static string CleanJavaName(string name)
    {
        name = LambdaPattern().Replace(name, "$1");
        name = name.Replace('$', '.');
        if (name.EndsWith(".<init>", StringComparison.Ordinal) || name.EndsWith(".<clinit>", StringComparison.Ordinal))
        {
            name = name[..name.LastIndexOf('.')];
        }

        var slash = name.LastIndexOf('/');
        return slash >= 0 ? name[(slash + 1)..] : name;
    }

    /// <summary><c>async Object.placeOrder [as place]</c> → <c>Object.placeOrder</c>; <c>new Cart</c> → <c>Cart</c>.</summary>
    private static string? CleanJavaScriptName(string name)
    {
        var alias = name.IndexOf(" [as ", StringComparison.Ordinal);
        if (alias >= 0)
        {
            name = name[..alias];
        }

        foreach (var prefix in new[] { "async ", "new " })
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                name = name[prefix.Length..];
            }
        }

        name = name.Replace(".<anonymous>", string.Empty, StringComparison.Ordinal).Trim();
        return name.Length == 0 || name == "<anonymous>" ? null : name;
    }

    private static string CleanJavaScriptPath(string path)
    {
        foreach (var scheme in new[] { "file://", "webpack://", "webpack-internal:///" })
        {
            if (path.StartsWith(scheme, StringComparison.Ordinal))
            {
                path = path[scheme.Length..];
            }
        }

        return path.Replace('\\', '/');
    }

    /// <summary><c>example.com/shop/orders.(*Service).Place.func1</c> → <c>orders.Service.Place</c>.</summary>
    private static string CleanGoName(string name)
    {
        var slash = name.LastIndexOf('/');
        name = slash >= 0 ? name[(slash + 1)..] : name;
        name = name.Replace("(*", string.Empty, StringComparison.Ordinal).Replace("(", string.Empty, StringComparison.Ordinal).Replace(")", string.Empty, StringComparison.Ordinal);
        return GoClosurePattern().Replace(name, string.Empty);
    }

    private static bool LooksQualified(string name)
    {
        var parts = NameParts(name);
        if (parts.Count < 2 || parts.Any(p => p.Length == 0 || char.IsDigit(p[0])))
        {
            return false;
        }

        // "e.g", "i.e" and sentence joins without a space are not names.
        return parts.All(p => p.Length > 1) || parts.Count > 2;
    }

    /// <summary>An identifier as code writes it: mixed case, an inner underscore, or called with parentheses.</summary>
    internal static bool LooksLikeIdentifier(string token, bool isCall)
    {
        if (token.Length < 3 || !(char.IsLetter(token[0]) || token[0] is '_' or '$'))
        {
            return false;
        }

        var trimmed = token.Trim('_');
        if (trimmed.Length < 2)
        {
            return false;
        }

        // Mixed case past the first letter: placeOrder, PlaceOrder, HTTPAdapter (not Hello, not API).
        var innerUpper = false;
        var anyLower = false;
        for (var i = 0; i < token.Length; i++)
        {
            innerUpper |= i > 0 && char.IsUpper(token[i]);
            anyLower |= char.IsLower(token[i]);
        }

        return (innerUpper && anyLower) || trimmed.Contains('_', StringComparison.Ordinal) || token.StartsWith("__", StringComparison.Ordinal) || isCall;
    }

    private static bool IsPathLike(string value) => value.Contains('/', StringComparison.Ordinal) || value.Contains('\\', StringComparison.Ordinal);

    private static bool IsPathExtensionName(string name)
    {
        var dot = name.LastIndexOf('.');
        return dot > 0 && Array.IndexOf(SourceExtensions, name[(dot + 1)..].ToLowerInvariant()) >= 0;
    }

    private static bool IsUrlPart(string text, int index)
    {
        var start = index;
        while (start > 0 && !char.IsWhiteSpace(text[start - 1]) && text[start - 1] is not '(' and not '<' and not '"' and not '\'')
        {
            start--;
        }

        return text.AsSpan(start, index - start).Contains("://".AsSpan(), StringComparison.Ordinal)
            || text.AsSpan(start).StartsWith("http://".AsSpan(), StringComparison.OrdinalIgnoreCase)
            || text.AsSpan(start).StartsWith("https://".AsSpan(), StringComparison.OrdinalIgnoreCase)
            || text.AsSpan(start, Math.Min(text.Length - start, 4)).StartsWith("www.".AsSpan(), StringComparison.OrdinalIgnoreCase);
    }

    private static void AddDistinct(List<string> list, string value)
    {
        if (value.Length > 0 && list.Count < MaxItems && !list.Contains(value, StringComparer.Ordinal))
        {
            list.Add(value);
        }
    }

    [GeneratedRegex("""File "(?<path>[^"\r\n]+)", line (?<line>\d+)(?:, in (?<func>[^\s]+))?""", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex PythonFramePattern();

    [GeneratedRegex(@"^[ \t]*at (?<body>[^\r\n]+)$", RegexOptions.Multiline | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex AtFramePattern();

    [GeneratedRegex(@"^(?<func>[\w$.<>/]+)\((?:(?<file>[\w$.-]+\.(?:java|kt|kts|scala|groovy|clj)):(?<line>\d+)|Native Method|Unknown Source)\)$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex JavaFramePattern();

    [GeneratedRegex(@"^(?:(?<func>[^()]+?) \()?(?<path>[^\s()]+?):(?<line>\d+):\d+\)?$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex JavaScriptFramePattern();

    [GeneratedRegex(@"^(?<func>[^\s(]+)\([^)]*\)(?: in (?<path>.+?):line (?<line>\d+))?$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex DotNetFramePattern();

    [GeneratedRegex(@"^(?:created by )?(?<func>[\w./*()\-]+?)\((?:[^()\r\n]|\.\.\.)*\)[^\S\r\n]*\r?\n[ \t]+(?<path>\S+\.go):(?<line>\d+)", RegexOptions.Multiline | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex GoFramePattern();

    [GeneratedRegex(@"`\d+", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex GenericArityPattern();

    [GeneratedRegex(@"\.?<(?<name>[\w]+)>[\w$]*(?:\.[\w$<>]+)*$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex CompilerGeneratedPattern();

    [GeneratedRegex(@"lambda\$(\w+)\$\d+", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex LambdaPattern();

    [GeneratedRegex(@"\.func\d+(?:\.\d+)*$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex GoClosurePattern();

    [GeneratedRegex(@"(?:^|\n)[ \t]*```[^\n]*\n(?<code>.*?)\n[ \t]*```", RegexOptions.Singleline | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex FencePattern();

    [GeneratedRegex(@"^[ \t]*[\w.]*(?:Error|Exception|Warning|Fault|Failure|Panic|panic)\b(?::[^\r\n]*)?$", RegexOptions.Multiline | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ErrorLinePattern();

    [GeneratedRegex("""(?<![\w])(?:"(?<q>[^"\r\n]{8,300})"|'(?<q>[^'\r\n]{8,300})')""", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex QuotedPattern();

    [GeneratedRegex(@"(?<![\w/.\\-])(?:[A-Za-z]:)?(?:[\w.@~-]+[/\\])*[\w@-][\w.@-]*\.(?:pyi?|pyx|cs|fs|vb|tsx?|mts|cts|jsx?|mjs|cjs|java|kts?|scala|groovy|go|rs|rb|php|c|h|cc|cpp|cxx|hpp|hh|swift|mm?|lua|dart|vue|svelte)(?![\w])", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex PathPattern();

    [GeneratedRegex(@"[A-Za-z_$][\w$]*(?:(?:\.|::|->)[A-Za-z_$][\w$]*)*", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"(?<!`)`[^`\r\n]{1,200}`(?!`)", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex CodeSpanPattern();

    [GeneratedRegex(@"[\p{L}\p{N}]+", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex WordPattern();
}
