namespace StructuralChunking.Chunking;

/// <summary>
/// Cuts a run of source lines into parts that fit a token budget, preferring to cut between top-level statements.
/// </summary>
/// <remarks>
/// Language-neutral: statement boundaries are read from indentation, which every language here uses for blocks
/// (by rule in Python, by convention elsewhere). A cut is best before a line at the body's outermost statement
/// indentation, better still after a blank line; deeper cuts are taken only when a single block does not fit, and a
/// line longer than the whole budget (minified code) becomes a part of its own.
/// </remarks>
internal static class BodySplitter
{
    private const int TabWidth = 4;

    public static List<(int Start, int End)> Split(SourceDocument document, int startLine, int endLine, int budget, ITokenCounter counter)
    {
        var count = endLine - startLine + 1;
        var tokens = new int[count];
        var indents = new int[count];
        var blank = new bool[count];
        var continues = new bool[count];
        var total = 0;
        for (var i = 0; i < count; i++)
        {
            var line = document.Line(startLine + i);
            tokens[i] = counter.CountTokens(line) + 1; // +1 for the line break's share of separators
            total += tokens[i];
            blank[i] = line.IsWhiteSpace();
            indents[i] = blank[i] ? int.MaxValue : Indentation(line);
            continues[i] = !blank[i] && ContinuesStatement(line.TrimStart());
        }

        if (total <= budget || count == 1)
        {
            return [(startLine, endLine)];
        }

        // The outermost statement level: the smallest indentation inside the body (first and last line excluded).
        var level = int.MaxValue;
        for (var i = 1; i < count - 1; i++)
        {
            level = Math.Min(level, indents[i]);
        }

        var parts = new List<(int Start, int End)>();
        var start = 0;
        while (start < count)
        {
            var used = 0;
            var end = start;
            while (end < count && used + tokens[end] <= budget)
            {
                used += tokens[end];
                end++;
            }

            if (end >= count)
            {
                parts.Add((startLine + start, endLine));
                break;
            }

            if (end == start)
            {
                // One line over the whole budget: it stands alone (its embedding text is cut at the budget).
                parts.Add((startLine + start, startLine + start));
                start++;
                continue;
            }

            var cut = BestCut(start, end, indents, blank, continues, level);
            parts.Add((startLine + start, startLine + cut - 1));
            start = cut;
        }

        return parts;
    }

    /// <summary>Index of the first line of the next part, in (start, end]; lines start..cut-1 form this part.</summary>
    private static int BestCut(int start, int end, int[] indents, bool[] blank, bool[] continues, int level)
    {
        // Parts shorter than half the window waste header tokens; look for a cut in the second half first.
        var minimum = start + Math.Max(1, (end - start) / 2);
        var best = end;
        var bestScore = int.MinValue;
        for (var cut = end; cut > start; cut--)
        {
            if (cut < minimum && bestScore > int.MinValue)
            {
                break;
            }

            var score = CutScore(cut, indents, blank, continues, level);
            if (score > bestScore)
            {
                bestScore = score;
                best = cut;
            }
        }

        return best;
    }

    private static int CutScore(int cut, int[] indents, bool[] blank, bool[] continues, int level)
    {
        if (cut >= indents.Length)
        {
            return 0;
        }

        // Cutting before a blank line leaves it dangling at the end; cut after it instead.
        if (blank[cut])
        {
            return -1000;
        }

        // Columns deeper than the outermost statements, so 2- and 4-space styles compare alike.
        var depth = indents[cut] == int.MaxValue || level == int.MaxValue ? 16 : Math.Max(0, indents[cut] - level);
        var score = -4 * depth;
        if (blank[cut - 1])
        {
            score += 6;
        }

        if (continues[cut])
        {
            // A closing brace or an else/catch belongs to the statement above.
            score -= 60;
        }

        return score;
    }

    private static bool ContinuesStatement(ReadOnlySpan<char> trimmed) =>
        trimmed.Length > 0 && (trimmed[0] is '}' or ')' or ']' or '.' or '?' or ':' or '+' or '&' or '|' ||
            StartsWithWord(trimmed, "else") || StartsWithWord(trimmed, "elif") || StartsWithWord(trimmed, "except") ||
            StartsWithWord(trimmed, "catch") || StartsWithWord(trimmed, "finally") || StartsWithWord(trimmed, "end"));

    private static bool StartsWithWord(ReadOnlySpan<char> text, string word) =>
        text.StartsWith(word, StringComparison.Ordinal) && (text.Length == word.Length || !char.IsLetterOrDigit(text[word.Length]));

    private static int Indentation(ReadOnlySpan<char> line)
    {
        var width = 0;
        foreach (var c in line)
        {
            if (c == ' ')
            {
                width++;
            }
            else if (c == '\t')
            {
                width += TabWidth;
            }
            else
            {
                break;
            }
        }

        return width;
    }
}
