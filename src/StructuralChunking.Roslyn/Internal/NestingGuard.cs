namespace StructuralChunking.Roslyn.Internal;

/// <summary>
/// A linear pre-scan of bracket nesting. Roslyn's parser and binder recurse with the syntax, so a file of 50,000 nested
/// parentheses (or thousands of nested types) can exhaust the stack or take minutes; such files are skipped before
/// Roslyn sees them. Brackets inside strings and comments count too: the scan is deliberately simple and errs towards
/// skipping only inputs no person wrote.
/// </summary>
internal static class NestingGuard
{
    /// <summary>Why the text nests too deeply, or <c>null</c> when it stays within <paramref name="maxDepth"/>.</summary>
    public static string? Check(ReadOnlySpan<char> text, int maxDepth)
    {
        var depth = 0;
        var deepest = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(' or '[' or '{':
                    depth++;
                    if (depth > deepest)
                    {
                        deepest = depth;
                        if (deepest > maxDepth)
                        {
                            var line = 1 + text[..i].Count('\n');
                            return $"brackets nest deeper than {maxDepth} (line {line})";
                        }
                    }

                    break;
                case ')' or ']' or '}':
                    depth = Math.Max(0, depth - 1);
                    break;
            }
        }

        return null;
    }
}
