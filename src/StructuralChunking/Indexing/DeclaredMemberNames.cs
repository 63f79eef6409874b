using System.Text.RegularExpressions;
using StructuralChunking.Identifiers;

namespace StructuralChunking.Indexing;

/// <summary>
/// The member names a declaration's source lines declare when the front end has no symbols for them: the property
/// signatures of a TypeScript interface or object type (<c>keepUnusedDataFor?: number</c>, <c>onError(error): void</c>),
/// the annotated attributes of a Python class (<c>timeout: float = 5</c>).
/// </summary>
/// <remarks>
/// Only names of two or more words count (<c>keepUnusedDataFor</c>, not <c>data</c>): a one-word name said in another
/// definition says nothing about which declaration it came from. Comment lines are skipped. Lines of C# members do not
/// match (a type or modifier comes before the name), and C# members are graph symbols anyway.
/// </remarks>
internal static partial class DeclaredMemberNames
{
    /// <summary>Most names taken from one text, so a huge declaration costs a bounded amount.</summary>
    public const int MaxPerText = 64;

    /// <summary>Names declared in <paramref name="code"/>, in order, each once.</summary>
    /// <param name="code">Source lines of a declaration (or of one part of it).</param>
    /// <param name="firstLine">Line number of the first line of <paramref name="code"/>.</param>
    /// <param name="skipLine">Lines to skip (those where a graph symbol starts: the front end already knows that member).</param>
    public static List<string> Find(string code, int firstLine = 1, Func<int, bool>? skipLine = null)
    {
        var names = new List<string>();
        var words = new List<string>();
        var line = firstLine;
        foreach (var range in LineRanges(code))
        {
            var text = code.AsSpan(range.Start, range.Length);
            var current = line++;
            var trimmed = text.TrimStart();
            if (trimmed.IsEmpty || trimmed[0] is '*' or '/' or '#' || skipLine?.Invoke(current) == true)
            {
                continue;
            }

            var match = MemberLine().Match(code, range.Start, range.Length);
            if (!match.Success)
            {
                continue;
            }

            var name = match.Groups["name"].Value;
            words.Clear();
            IdentifierSplitter.Split(name, words);
            if (words.Count >= 2 && !names.Contains(name, StringComparer.Ordinal))
            {
                names.Add(name);
                if (names.Count == MaxPerText)
                {
                    break;
                }
            }
        }

        return names;
    }

    private static IEnumerable<(int Start, int Length)> LineRanges(string text)
    {
        var start = 0;
        while (start <= text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0)
            {
                yield return (start, text.Length - start);
                yield break;
            }

            yield return (start, end - start);
            start = end + 1;
        }
    }

    // A member written first on its line, after at most a few modifiers, followed by an optional marker and a type
    // annotation or a parameter list.
    [GeneratedRegex(@"^[ \t]*(?:(?:readonly|static|declare|abstract|override|public|private|protected)[ \t]+){0,3}(?<name>[A-Za-z_$][\w$]*)[ \t]*\??[ \t]*(?::|\(|<)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex MemberLine();
}
