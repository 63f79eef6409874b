using System.Text;
using System.Text.RegularExpressions;

namespace StructuralChunking.Security;

/// <summary>One secret found and masked: where and what kind, never the secret itself.</summary>
/// <param name="Path">File path relative to the indexed root (or the chunk's path for header text).</param>
/// <param name="Line">1-based line where the secret starts; 0 when unknown.</param>
/// <param name="Kind">What was detected: <c>private-key</c>, <c>aws-access-key</c>, <c>github-token</c>,
/// <c>slack-token</c>, <c>connection-string-password</c>, <c>url-credentials</c> or <c>assigned-secret</c>.</param>
public sealed record SecretRedaction(string Path, int Line, string Kind);

/// <summary>
/// Finds secret-looking content in source text and masks it, so that no stored text (embedding, lexical, display)
/// carries it to an index, an assistant or a remote embedding service.
/// </summary>
/// <remarks>
/// <para>Detected: private-key blocks (<c>-----BEGIN … PRIVATE KEY-----</c> to the matching end, or the base64 that
/// follows when the end is missing), AWS access key ids (<c>AKIA…</c>/<c>ASIA…</c>), GitHub tokens (<c>ghp_</c>,
/// <c>gho_</c>, <c>ghu_</c>, <c>ghs_</c>, <c>ghr_</c>, <c>github_pat_</c>), Slack tokens (<c>xoxb-</c>, <c>xoxp-</c>, …),
/// <c>Password=</c>/<c>Pwd=</c> in connection strings (no spaces around <c>=</c>, as connection strings write it), credentials in URLs (<c>scheme://user:password@host</c>), and
/// string literals of at least 8 characters with high entropy (at least 3 bits per character and two character classes)
/// assigned to a name containing <c>password</c>, <c>secret</c>, <c>token</c>, <c>api_key</c>, <c>access_key</c>,
/// <c>private_key</c> or <c>credential</c>.</para>
/// <para><see cref="Mask"/> keeps the text's length and line breaks (every pattern matches ASCII only, so UTF-8 byte
/// offsets hold as well): each masked line starts with <c>[redacted]</c> and is padded with <c>*</c>, so symbol spans and
/// chunk boundaries computed on the original text stay valid. <see cref="Replace"/> substitutes a short marker instead,
/// for texts whose offsets do not matter. Over-redaction is preferred to a leak: a masked placeholder costs little.</para>
/// </remarks>
public static partial class SecretRedactor
{
    /// <summary>What a masked span starts with.</summary>
    public const string Marker = "[redacted]";

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Every secret in <paramref name="text"/>: kind, start and length, ordered by start, not overlapping.</summary>
    public static IReadOnlyList<(string Kind, int Start, int Length)> Find(string text) => Find(text, precheck: true);

    /// <summary><see cref="Find(string)"/>; without <paramref name="precheck"/> every pattern runs over the whole text (tests compare the two).</summary>
    internal static IReadOnlyList<(string Kind, int Start, int Length)> Find(string text, bool precheck)
    {
        ArgumentNullException.ThrowIfNull(text);
        var candidates = precheck ? Candidates(text) : AllPatterns;
        if (candidates == Pattern.None)
        {
            return [];
        }

        var found = new List<(string Kind, int Start, int Length)>();
        try
        {
            if ((candidates & Pattern.PrivateKey) != 0)
            {
                foreach (Match m in PrivateKey().Matches(text))
                {
                    found.Add(("private-key", m.Index, m.Length));
                }
            }

            if ((candidates & Pattern.AwsAccessKey) != 0)
            {
                Add(found, AwsAccessKey().Matches(text), "aws-access-key", group: 0);
            }

            if ((candidates & Pattern.GitHubToken) != 0)
            {
                Add(found, GitHubToken().Matches(text), "github-token", group: 0);
            }

            if ((candidates & Pattern.SlackToken) != 0)
            {
                Add(found, SlackToken().Matches(text), "slack-token", group: 0);
            }

            if ((candidates & Pattern.ConnectionStringPassword) != 0)
            {
                Add(found, ConnectionStringPassword().Matches(text), "connection-string-password", group: 1);
            }

            if ((candidates & Pattern.UrlCredentials) != 0)
            {
                Add(found, UrlCredentials().Matches(text), "url-credentials", group: 1);
            }

            if ((candidates & Pattern.AssignedLiteral) != 0)
            {
                foreach (Match m in AssignedLiteral().Matches(text))
                {
                    var value = m.Groups["value"];
                    if (LooksRandom(value.ValueSpan))
                    {
                        found.Add(("assigned-secret", value.Index, value.Length));
                    }
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // A pathological text: mask all of it rather than risk passing a secret through.
            return [("unscannable", 0, text.Length)];
        }

        // Text masked before (by Mask) is not found again.
        found.RemoveAll(f => text.AsSpan(f.Start).StartsWith(Marker, StringComparison.Ordinal));
        found.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        var merged = new List<(string Kind, int Start, int Length)>(found.Count);
        foreach (var item in found)
        {
            if (merged.Count > 0 && item.Start < merged[^1].Start + merged[^1].Length)
            {
                var last = merged[^1];
                var end = Math.Max(last.Start + last.Length, item.Start + item.Length);
                merged[^1] = (last.Kind, last.Start, end - last.Start);
            }
            else
            {
                merged.Add(item);
            }
        }

        return merged;
    }

    /// <summary>
    /// Masks every secret in <paramref name="text"/> keeping its length and line breaks; returns the text unchanged (same
    /// instance) when there is none. Each masked secret is added to <paramref name="redactions"/> with its line.
    /// </summary>
    public static string Mask(string text, string path, ICollection<SecretRedaction>? redactions = null)
    {
        var secrets = Find(text);
        if (secrets.Count == 0)
        {
            return text;
        }

        var chars = text.ToCharArray();
        foreach (var (kind, start, length) in secrets)
        {
            var marker = 0;
            for (var i = start; i < start + length; i++)
            {
                if (chars[i] is '\n' or '\r')
                {
                    // Every masked line starts with the marker, so padding can be recognised and shortened line by line.
                    marker = 0;
                    continue;
                }

                chars[i] = marker < Marker.Length ? Marker[marker] : '*';
                marker++;
            }

            redactions?.Add(new SecretRedaction(path, LineOf(text, start), kind));
        }

        return new string(chars);
    }

    /// <summary>
    /// Replaces every secret in <paramref name="text"/> with <see cref="Marker"/> and shortens runs of mask padding left by
    /// <see cref="Mask"/>; for stored texts whose offsets do not matter. Returns the number of secrets replaced.
    /// </summary>
    public static string Replace(string text, out int count)
    {
        ArgumentNullException.ThrowIfNull(text);
        var secrets = Find(text);
        count = secrets.Count;
        var builder = secrets.Count == 0 ? null : new StringBuilder(text.Length);
        if (builder is not null)
        {
            var position = 0;
            foreach (var (_, start, length) in secrets)
            {
                builder.Append(text, position, start - position).Append(Marker);
                position = start + length;
            }

            builder.Append(text, position, text.Length - position);
        }

        var result = builder?.ToString() ?? text;
        return result.Contains(Marker + "****", StringComparison.Ordinal) ? MaskPadding().Replace(result, Marker) : result;
    }

    /// <summary>The patterns of <see cref="Find(string)"/>, as flags for <see cref="Candidates"/>.</summary>
    [Flags]
    private enum Pattern
    {
        None = 0,
        PrivateKey = 1 << 0,
        AwsAccessKey = 1 << 1,
        GitHubToken = 1 << 2,
        SlackToken = 1 << 3,
        ConnectionStringPassword = 1 << 4,
        UrlCredentials = 1 << 5,
        AssignedLiteral = 1 << 6,
    }

    private const Pattern AllPatterns = Pattern.PrivateKey | Pattern.AwsAccessKey | Pattern.GitHubToken | Pattern.SlackToken
        | Pattern.ConnectionStringPassword | Pattern.UrlCredentials | Pattern.AssignedLiteral;

    private static readonly string[] AwsPrefixes = ["AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA"];
    private static readonly string[] GitHubPrefixes = ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"];
    // Every name alternative of the assigned-literal pattern contains one of these; api_key, access-key, private_key and
    // authkey all end in "key" (checking "private" or "access" alone would select nearly every C# and Java text).
    private static readonly string[] SecretWords = ["passw", "secret", "token", "credential", "key"];

    /// <summary>
    /// The patterns that can match <paramref name="text"/> at all: each needs a literal that vectorized searches find far
    /// faster than the regular expressions can rule it out (the assigned-literal pattern tries a 40-character name at
    /// every position), and most code holds none. Every literal is one each pattern cannot match without, so a pattern
    /// left out would have found nothing. Case-insensitive patterns are pre-checked only in ASCII text: elsewhere
    /// case-insensitive matching admits other characters (the Kelvin sign for <c>k</c>), so they always run.
    /// </summary>
    private static Pattern Candidates(string text)
    {
        var candidates = Pattern.None;
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            candidates |= Pattern.PrivateKey;
        }

        if (ContainsAny(text, AwsPrefixes, StringComparison.Ordinal))
        {
            candidates |= Pattern.AwsAccessKey;
        }

        if (ContainsAny(text, GitHubPrefixes, StringComparison.Ordinal))
        {
            candidates |= Pattern.GitHubToken;
        }

        if (text.Contains("xox", StringComparison.Ordinal))
        {
            candidates |= Pattern.SlackToken;
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            candidates |= Pattern.UrlCredentials;
        }

        if (!Ascii.IsValid(text))
        {
            return candidates | Pattern.ConnectionStringPassword | Pattern.AssignedLiteral;
        }

        if (text.Contains('=') && (text.Contains("password=", StringComparison.OrdinalIgnoreCase) || text.Contains("pwd=", StringComparison.OrdinalIgnoreCase)))
        {
            candidates |= Pattern.ConnectionStringPassword;
        }

        if (text.AsSpan().IndexOfAny("\"'`") >= 0 && ContainsAny(text, SecretWords, StringComparison.OrdinalIgnoreCase))
        {
            candidates |= Pattern.AssignedLiteral;
        }

        return candidates;
    }

    private static bool ContainsAny(string text, string[] literals, StringComparison comparison)
    {
        foreach (var literal in literals)
        {
            if (text.Contains(literal, comparison))
            {
                return true;
            }
        }

        return false;
    }

    private static void Add(List<(string, int, int)> found, MatchCollection matches, string kind, int group)
    {
        foreach (Match m in matches)
        {
            var g = m.Groups[group];
            if (g.Success && g.Length > 0)
            {
                found.Add((kind, g.Index, g.Length));
            }
        }
    }

    private static int LineOf(string text, int index) => 1 + text.AsSpan(0, index).Count('\n');

    /// <summary>Shannon entropy of at least 3 bits per character and at least two character classes.</summary>
    private static bool LooksRandom(ReadOnlySpan<char> value)
    {
        if (value.Length < 8)
        {
            return false;
        }

        Span<int> counts = stackalloc int[128];
        int lower = 0, upper = 0, digit = 0, other = 0;
        foreach (var c in value)
        {
            counts[c & 127]++;
            if (char.IsAsciiLetterLower(c)) lower = 1;
            else if (char.IsAsciiLetterUpper(c)) upper = 1;
            else if (char.IsAsciiDigit(c)) digit = 1;
            else other = 1;
        }

        var entropy = 0.0;
        foreach (var count in counts)
        {
            if (count > 0)
            {
                var p = (double)count / value.Length;
                entropy -= p * Math.Log2(p);
            }
        }

        return entropy >= 3.0 && lower + upper + digit + other >= 2;
    }

    // The end line may be missing (a truncated or concatenated literal): then the base64 run after the header goes too.
    [GeneratedRegex(@"-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY[ A-Z]{0,20}-----(?:[\s\S]{0,20000}?-----END[ A-Z0-9]{0,40}PRIVATE KEY[ A-Z]{0,20}-----|[A-Za-z0-9+/=\s""'\\+,;]{0,20000})", RegexOptions.CultureInvariant, 2000)]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\b", RegexOptions.CultureInvariant, 2000)]
    private static partial Regex AwsAccessKey();

    [GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})\b", RegexOptions.CultureInvariant, 2000)]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"\bxox[abposr]-[A-Za-z0-9-]{10,255}", RegexOptions.CultureInvariant, 2000)]
    private static partial Regex SlackToken();

    [GeneratedRegex(@"(?i)\b(?:password|pwd)=([^;""'\s]{1,256})", RegexOptions.CultureInvariant, 2000)]
    private static partial Regex ConnectionStringPassword();

    [GeneratedRegex(@"(?i)\b[a-z][a-z0-9+.\-]{1,20}://[^/\s:@""']{1,128}:([^/\s@""']{1,256})@", RegexOptions.CultureInvariant, 2000)]
    private static partial Regex UrlCredentials();

    // name = "value", name: 'value', name => "value", "name": "value"; the name holds a secret-ish word. The closing quote
    // is matched case-sensitively (quotes have no case): the source generator cannot emit a case-insensitive
    // backreference and would fall back to the regex interpreter, several times slower on every text.
    [GeneratedRegex(@"(?i)[A-Za-z0-9_\-.]{0,40}(?:passw(?:or)?d|secret|token|api[_\-]?key|access[_\-]?key|private[_\-]?key|credential|auth[_\-]?key)[A-Za-z0-9_\-.]{0,40}[""']?\s*(?::=|=>|=|:)\s*[@$]?(?<quote>[""'`])(?<value>[\x21-\x7E-[""'`\\]]{8,512})(?-i:\k<quote>)", RegexOptions.CultureInvariant, 2000)]
    private static partial Regex AssignedLiteral();

    [GeneratedRegex(@"\[redacted\]\*+", RegexOptions.CultureInvariant)]
    private static partial Regex MaskPadding();
}
