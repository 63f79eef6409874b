using System.Text;

namespace StructuralChunking.Roslyn.Internal;

internal static class WhitespaceText
{
    /// <summary>
    /// Runs of whitespace (including line breaks) become one space and the ends are trimmed, so multi-line
    /// declarations and doc comments read as one line; text past <paramref name="maxLength"/> becomes an ellipsis.
    /// </summary>
    public static string Collapse(string text, int maxLength = int.MaxValue)
    {
        var builder = new StringBuilder(Math.Min(text.Length, maxLength));
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
            if (builder.Length >= maxLength)
            {
                builder.Append('…');
                break;
            }
        }

        return builder.ToString();
    }
}
