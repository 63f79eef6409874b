using System.Text;

namespace StructuralChunking.Chunking;

/// <summary>
/// Removes documentation comments from code (C#/Java/JS doc comments and Python docstrings), for runs that must not
/// see them: a self-generated evaluation uses doc comments as queries, so the answers cannot contain them.
/// </summary>
internal static class DocCommentFilter
{
    public static string Strip(string code)
    {
        var lines = code.Split('\n');
        var result = new StringBuilder(code.Length);
        var inBlock = false;
        string? docstringQuote = null;
        var previousOpensBlock = false;
        foreach (var line in lines)
        {
            var trimmed = line.AsSpan().Trim();
            if (docstringQuote is not null)
            {
                if (trimmed.EndsWith(docstringQuote, StringComparison.Ordinal))
                {
                    docstringQuote = null;
                }

                continue;
            }

            if (inBlock)
            {
                if (trimmed.Contains("*/", StringComparison.Ordinal))
                {
                    inBlock = false;
                }

                continue;
            }

            if (trimmed.StartsWith("///", StringComparison.Ordinal))
            {
                continue;
            }

            if (trimmed.StartsWith("/**", StringComparison.Ordinal))
            {
                inBlock = !trimmed[3..].Contains("*/", StringComparison.Ordinal);
                continue;
            }

            // A Python docstring is the first statement after a def/class line.
            if (previousOpensBlock && (trimmed.StartsWith("\"\"\"", StringComparison.Ordinal) || trimmed.StartsWith("'''", StringComparison.Ordinal) ||
                trimmed.StartsWith("r\"\"\"", StringComparison.Ordinal)))
            {
                var quote = trimmed.Contains("'''", StringComparison.Ordinal) && !trimmed.Contains("\"\"\"", StringComparison.Ordinal) ? "'''" : "\"\"\"";
                var afterOpening = trimmed[(trimmed.IndexOf(quote, StringComparison.Ordinal) + 3)..];
                if (!afterOpening.Contains(quote, StringComparison.Ordinal))
                {
                    docstringQuote = quote;
                }

                previousOpensBlock = false;
                continue;
            }

            if (trimmed.Length > 0)
            {
                previousOpensBlock = trimmed.EndsWith(':') && (trimmed.StartsWith("def ", StringComparison.Ordinal) ||
                    trimmed.StartsWith("async def ", StringComparison.Ordinal) || trimmed.StartsWith("class ", StringComparison.Ordinal) ||
                    previousOpensBlock && trimmed[0] is ')' or '-');
            }

            if (result.Length > 0)
            {
                result.Append('\n');
            }

            result.Append(line);
        }

        return result.ToString();
    }
}
