using System.Collections.Frozen;
using System.Text;
using StructuralChunking.Identifiers;

namespace StructuralChunking.Chunking;

/// <summary>Text helpers shared by the chunkers: words of identifiers, lexical text, first sentences, budget cuts.</summary>
internal static class ChunkText
{
    /// <summary>A displayed line longer than this is cut (minified or generated code): no chunk stores whole megabyte lines.</summary>
    public const int MaxDisplayLineChars = 1_000;

    /// <summary>A chunk's display text is cut at a line boundary once it reaches this many characters.</summary>
    public const int MaxDisplayChars = 32_768;

    /// <summary>
    /// <paramref name="lines"/> bounded for storage: each line cut to <see cref="MaxDisplayLineChars"/> and the whole to
    /// about <see cref="MaxDisplayChars"/>, each cut marked with what was left out. Ordinary code comes back unchanged.
    /// </summary>
    public static string Display(string lines)
    {
        if (lines.Length <= MaxDisplayLineChars)
        {
            return lines;
        }

        var builder = new StringBuilder(Math.Min(lines.Length, MaxDisplayChars + 64));
        var start = 0;
        var lineCount = 0;
        while (start <= lines.Length)
        {
            var end = lines.IndexOf('\n', start);
            if (end < 0)
            {
                end = lines.Length;
            }

            if (builder.Length >= MaxDisplayChars)
            {
                var remaining = 1 + lines.AsSpan(start).Count('\n');
                builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"… ({remaining} more lines)");
                return builder.ToString();
            }

            if (lineCount++ > 0)
            {
                builder.Append('\n');
            }

            var length = end - start;
            if (length > MaxDisplayLineChars)
            {
                builder.Append(lines, start, MaxDisplayLineChars)
                    .Append(System.Globalization.CultureInfo.InvariantCulture, $" … ({length - MaxDisplayLineChars} more characters)");
            }
            else
            {
                builder.Append(lines, start, length);
            }

            start = end + 1;
        }

        return builder.ToString();
    }

    /// <summary>Keywords and primitive type names of the supported languages: words that say nothing about intent.</summary>
    private static readonly FrozenSet<string> Keywords = new[]
    {
        "abstract", "async", "await", "base", "bool", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
        "continue", "decimal", "def", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "export",
        "extends", "extern", "false", "final", "finally", "float", "fn", "for", "foreach", "func", "function", "get", "if",
        "implicit", "import", "in", "init", "int", "interface", "internal", "is", "let", "lock", "long", "namespace", "new",
        "null", "object", "operator", "out", "override", "package", "params", "private", "protected", "pub", "public",
        "readonly", "record", "ref", "return", "sbyte", "sealed", "self", "set", "short", "static", "string", "struct",
        "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unsafe", "ushort", "using", "var", "virtual",
        "void", "volatile", "where", "while", "with", "yield", "none", "elif", "pass", "lambda", "nil", "undefined", "impl",
        "mut", "pub", "crate", "go", "chan", "defer", "map", "type",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// The identifiers of <paramref name="text"/> as phrases of words (<c>ReadBearerToken</c> → <c>read bearer token</c>),
    /// in order of appearance, appended to <paramref name="phrases"/>. Identifiers that are keywords or primitive types
    /// (<c>public</c>, <c>string</c>) and one-letter names are left out, and so is a phrase whose words all appeared
    /// already; words inside identifiers are kept even when they look like keywords (<c>GetValue</c> → <c>get value</c>).
    /// </summary>
    public static void IdentifierPhrases(string text, List<string> phrases, HashSet<string> seenWords)
    {
        var scratch = new List<string>();
        foreach (var range in IdentifierSplitter.EnumerateIdentifiers(text))
        {
            var identifier = text.AsSpan()[range];
            if (identifier.Length < 2 || IsKeyword(identifier))
            {
                continue;
            }

            scratch.Clear();
            IdentifierSplitter.Split(identifier, scratch);
            var isNew = false;
            foreach (var word in scratch)
            {
                isNew |= seenWords.Add(word);
            }

            if (isNew)
            {
                phrases.Add(string.Join(' ', scratch));
            }
        }
    }

    /// <summary>A name as words (<c>ReadBearerToken</c> → <c>read bearer token</c>), or unchanged when splitting is off.</summary>
    public static string NameText(string name, bool split) => split ? IdentifierSplitter.SplitToText(name) : name;

    /// <summary>
    /// Lexical text for BM25: every identifier of <paramref name="text"/> as written, each followed by its words when
    /// splitting is on and the identifier has more than one word.
    /// </summary>
    public static string Lexical(string text, bool split)
    {
        var builder = new StringBuilder(text.Length);
        var scratch = new List<string>();
        foreach (var range in IdentifierSplitter.EnumerateIdentifiers(text))
        {
            var identifier = text.AsSpan()[range];
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(identifier);
            if (!split)
            {
                continue;
            }

            scratch.Clear();
            IdentifierSplitter.Split(identifier, scratch);
            if (scratch.Count > 1)
            {
                foreach (var word in scratch)
                {
                    builder.Append(' ').Append(word);
                }
            }
        }

        return builder.ToString();
    }

    /// <summary>The first sentence of a doc comment (up to the first period followed by a space or the end).</summary>
    public static string FirstSentence(string documentation)
    {
        var text = documentation.AsSpan().Trim();
        for (var i = 0; i < text.Length - 1; i++)
        {
            if (text[i] is '.' or '!' or '?' && char.IsWhiteSpace(text[i + 1]))
            {
                return text[..(i + 1)].ToString();
            }
        }

        return text.ToString();
    }

    /// <summary><paramref name="text"/> cut to at most <paramref name="maxTokens"/> tokens (with an ellipsis when cut).</summary>
    public static string Truncate(string text, int maxTokens, ITokenCounter counter) => Truncate(text, maxTokens, counter, out _);

    /// <summary>
    /// <see cref="Truncate(string, int, ITokenCounter)"/>, with the result's token count: when the whole text fits, the
    /// count the fit check measured (the whole text is the longest prefix that fits), so the text is not tokenized again.
    /// </summary>
    public static string Truncate(string text, int maxTokens, ITokenCounter counter, out int tokenCount)
    {
        if (maxTokens <= 0)
        {
            tokenCount = 0;
            return string.Empty;
        }

        if (counter.GetIndexByTokenCount(text, maxTokens, out tokenCount) >= text.Length)
        {
            return text;
        }

        // One token is kept for the ellipsis that tells a reader the text goes on.
        var cut = text.AsSpan(0, counter.GetIndexByTokenCount(text, maxTokens - 1, out _)).TrimEnd();
        var result = cut.Length == 0 ? string.Empty : string.Concat(cut, "…");
        tokenCount = counter.CountTokens(result);
        return result;
    }

#if NET9_0_OR_GREATER
    private static bool IsKeyword(ReadOnlySpan<char> identifier) => Keywords.GetAlternateLookup<ReadOnlySpan<char>>().Contains(identifier);
#else
    private static bool IsKeyword(ReadOnlySpan<char> identifier) => Keywords.Contains(identifier.ToString());
#endif
}
