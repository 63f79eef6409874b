using System.Collections.Immutable;
using System.Text;

namespace StructuralChunking.Discovery;

/// <summary>What <see cref="SourceDiscovery.Discover"/> found under a root folder.</summary>
/// <param name="Root">Absolute path of the root folder, without a trailing separator.</param>
/// <param name="Files">Source files, ordered by <see cref="SourceFile.RelativePath"/> (ordinal).</param>
/// <param name="Skipped">What was left out, ordered by <see cref="SkippedPath.RelativePath"/> (ordinal).</param>
public sealed record SourceDiscoveryResult(string Root, ImmutableArray<SourceFile> Files, ImmutableArray<SkippedPath> Skipped)
{
    /// <summary>
    /// One line for logs, for example
    /// <c>42 source files; skipped 7 (3 ignored, 2 too large, 1 binary, 1 not UTF-8)</c>.
    /// </summary>
    public string Summary
    {
        get
        {
            var summary = new StringBuilder();
            summary.Append(Files.Length).Append(Files.Length == 1 ? " source file" : " source files");
            if (Skipped.IsEmpty)
            {
                return summary.Append("; nothing skipped").ToString();
            }

            summary.Append("; skipped ").Append(Skipped.Length).Append(" (");
            var first = true;
            foreach (var (reason, count) in SkippedByReason())
            {
                summary.Append(first ? "" : ", ").Append(count).Append(' ').Append(Describe(reason, count));
                first = false;
            }

            return summary.Append(')').ToString();
        }
    }

    /// <summary>How many paths were skipped for each reason, in <see cref="SkipReason"/> order; reasons with none are absent.</summary>
    public IReadOnlyDictionary<SkipReason, int> SkippedByReason()
    {
        var counts = new SortedDictionary<SkipReason, int>();
        foreach (var skipped in Skipped)
        {
            counts[skipped.Reason] = counts.GetValueOrDefault(skipped.Reason) + 1;
        }

        return counts;
    }

    private static string Describe(SkipReason reason, int count) => reason switch
    {
        SkipReason.Ignored => "ignored",
        SkipReason.Hidden => "hidden",
        SkipReason.ExcludedDirectory => count == 1 ? "excluded folder" : "excluded folders",
        SkipReason.SymbolicLink => count == 1 ? "symbolic link" : "symbolic links",
        SkipReason.UnsupportedLanguage => "unsupported language",
        SkipReason.LanguageNotSelected => "language not selected",
        SkipReason.TooLarge => "too large",
        SkipReason.Binary => "binary",
        SkipReason.NotUtf8 => "not UTF-8",
        SkipReason.Unreadable => "unreadable",
        SkipReason.Unparsable => "unparsable",
        SkipReason.OutsideRoot => "outside the root",
        SkipReason.Changed => "changed while indexing",
        SkipReason.Pathological => "pathological",
        _ => reason.ToString(),
    };
}
