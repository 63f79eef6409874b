using System.Collections.Frozen;
using StructuralChunking.Discovery;

namespace StructuralChunking.TreeSitter;

/// <summary>Options for <see cref="TreeSitterGraphLoader"/>. Every property has a default that suits most code bases.</summary>
public sealed class TreeSitterGraphOptions
{
    /// <summary>The default <see cref="MaxFileBytes"/>: 2 MiB.</summary>
    public const long DefaultMaxFileBytes = 2 * 1024 * 1024;

    /// <summary>The default <see cref="AmbiguousCallLimit"/>.</summary>
    public const int DefaultAmbiguousCallLimit = 4;

    /// <summary>
    /// Languages parsed when <see cref="Languages"/> is null: every supported language except C#, which the Roslyn front
    /// end handles with a semantic model (ask for <c>csharp</c> explicitly to parse it with tree-sitter instead).
    /// </summary>
    public static IReadOnlySet<string> DefaultLanguages { get; } =
        TreeSitterLanguages.SupportedLanguages.Where(static l => l != LanguageIds.CSharp).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Language ids to parse (see <see cref="TreeSitterLanguages.SupportedLanguages"/>); null for <see cref="DefaultLanguages"/>.</summary>
    public IReadOnlySet<string>? Languages { get; init; }

    /// <summary>Files larger than this are skipped unread, with the reason recorded. Default 2 MiB.</summary>
    public long MaxFileBytes { get; init; } = DefaultMaxFileBytes;

    /// <summary>
    /// Time allowed to parse and query one file; a file that takes longer is skipped as
    /// <see cref="SkipReason.Unparsable"/>. Default 5 seconds (ordinary files take milliseconds);
    /// <see cref="Timeout.InfiniteTimeSpan"/> for none.
    /// </summary>
    public TimeSpan FileTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A call that resolves only by name to between 2 and this many definitions gets an edge to each, of weight 1/n;
    /// with more candidates it is left out. Default 4; 1 keeps only unambiguous calls.
    /// </summary>
    public int AmbiguousCallLimit { get; init; } = DefaultAmbiguousCallLimit;

    /// <summary>Honour <c>.gitignore</c> files (see <see cref="SourceDiscoveryOptions.RespectGitIgnore"/>). Default true.</summary>
    public bool RespectGitIgnore { get; init; } = true;

    /// <summary>Maximum number of files parsed at once. Default: the number of processors.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Checks the options, reporting every problem at once.</summary>
    /// <exception cref="ArgumentException">One or more options are invalid.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (MaxFileBytes <= 0 || MaxFileBytes > Array.MaxLength)
        {
            errors.Add($"{nameof(MaxFileBytes)} must be in 1..{Array.MaxLength} (was {MaxFileBytes}).");
        }

        if (FileTimeout <= TimeSpan.Zero && FileTimeout != Timeout.InfiniteTimeSpan)
        {
            errors.Add($"{nameof(FileTimeout)} must be positive or Timeout.InfiniteTimeSpan (was {FileTimeout}).");
        }

        if (AmbiguousCallLimit < 1)
        {
            errors.Add($"{nameof(AmbiguousCallLimit)} must be at least 1 (was {AmbiguousCallLimit}).");
        }

        if (MaxDegreeOfParallelism <= 0)
        {
            errors.Add($"{nameof(MaxDegreeOfParallelism)} must be positive (was {MaxDegreeOfParallelism}).");
        }

        if (Languages is not null)
        {
            if (Languages.Count == 0)
            {
                errors.Add($"{nameof(Languages)} is empty; use null for the defaults.");
            }

            foreach (var language in Languages.Order(StringComparer.Ordinal))
            {
                if (!TreeSitterLanguages.SupportedLanguages.Contains(language))
                {
                    errors.Add($"{nameof(Languages)} holds '{language}', which has no grammar; supported: {string.Join(", ", TreeSitterLanguages.SupportedLanguages)}.");
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid tree-sitter graph options: " + string.Join(" ", errors));
        }
    }
}
