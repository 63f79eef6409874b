using System.Collections.Frozen;

namespace StructuralChunking.Discovery;

/// <summary>What <see cref="SourceDiscovery"/> treats as a source file.</summary>
/// <remarks>The defaults suit indexing a repository checkout; call <see cref="Validate"/> to check a custom instance early.</remarks>
public sealed class SourceDiscoveryOptions
{
    /// <summary>The default <see cref="MaxFileBytes"/>: 2 MiB. Larger files are almost always generated or data.</summary>
    public const long DefaultMaxFileBytes = 2 * 1024 * 1024;

    /// <summary>The default <see cref="ProjectIgnoreFileName"/>.</summary>
    public const string DefaultProjectIgnoreFileName = ".structchunkignore";

    private static readonly FrozenSet<string> KnownLanguages =
        LanguageIds.KnownExtensions.Select(static e => LanguageIds.FromPath("x" + e)!).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Folder names skipped by default: build output, package caches, vendored and virtual-environment folders
    /// (<c>bin</c>, <c>obj</c>, <c>node_modules</c>, <c>bower_components</c>, <c>jspm_packages</c>,
    /// <c>vendor</c>, <c>third_party</c>, <c>thirdparty</c>, <c>__pycache__</c>, <c>venv</c>,
    /// <c>site-packages</c>, <c>Pods</c>, <c>dist</c>, <c>target</c>). Compared ordinally, so case-sensitively.
    /// </summary>
    public static IReadOnlySet<string> DefaultExcludedDirectoryNames { get; } = new[]
    {
        "bin", "obj", "node_modules", "bower_components", "jspm_packages", "vendor", "third_party", "thirdparty",
        "__pycache__", "venv", "site-packages", "Pods", "dist", "target",
    }.ToFrozenSet(StringComparer.Ordinal);

    // Declared after the static sets it reads: static initializers run in textual order.
    /// <summary>Options with every default.</summary>
    public static SourceDiscoveryOptions Default { get; } = new();

    /// <summary>Files larger than this many bytes are skipped unread; default <see cref="DefaultMaxFileBytes"/>.</summary>
    public long MaxFileBytes { get; init; } = DefaultMaxFileBytes;

    /// <summary>
    /// Minified or generated one-line code is skipped as <see cref="SkipReason.Pathological"/>: a file with a line longer
    /// than this many bytes, or a file of at least this size whose lines average more than a tenth of it. Default
    /// 20,000 (jQuery's minified build has lines of tens of kilobytes; hand-written code rarely passes 200); 0 keeps every
    /// file, and the chunkers then still cut displayed lines.
    /// </summary>
    public int MaxLineBytes { get; init; } = 20_000;

    /// <summary>
    /// Honour <c>.gitignore</c> files at and below the root, and the root's <c>.git/info/exclude</c>; default true.
    /// Independent of <see cref="ProjectIgnoreFileName"/>, so generated code that git ignores can still be indexed.
    /// </summary>
    public bool RespectGitIgnore { get; init; } = true;

    /// <summary>
    /// Name of the project ignore file, read in every folder like <c>.gitignore</c> and with the same syntax;
    /// default <c>.structchunkignore</c>, <c>null</c> to read none. In each folder its patterns come after that
    /// folder's <c>.gitignore</c> patterns, so it can override them (<c>!generated/</c>).
    /// </summary>
    public string? ProjectIgnoreFileName { get; init; } = DefaultProjectIgnoreFileName;

    /// <summary>Walk files and folders whose name starts with <c>.</c>; default false. <c>.git</c> is never walked.</summary>
    public bool IncludeHidden { get; init; }

    /// <summary>
    /// Folder names that are never entered, at any depth below the root (the root itself is always walked).
    /// Names are looked up with the set's own comparer: <see cref="DefaultExcludedDirectoryNames"/> is ordinal,
    /// pass a set built with <see cref="StringComparer.OrdinalIgnoreCase"/> to ignore case.
    /// </summary>
    public IReadOnlySet<string> ExcludedDirectoryNames { get; init; } = DefaultExcludedDirectoryNames;

    /// <summary>
    /// Language ids (see <see cref="LanguageIds"/>) to keep; <c>null</c>, the default, keeps every known language.
    /// Files of other known languages are skipped as <see cref="SkipReason.LanguageNotSelected"/>.
    /// </summary>
    public IReadOnlySet<string>? Languages { get; init; }

    /// <summary>Checks every option and reports all problems at once.</summary>
    /// <exception cref="ArgumentException">One or more options are invalid; the message lists each problem.</exception>
    public void Validate()
    {
        var errors = CollectErrors();
        if (errors.Count > 0)
        {
            throw new ArgumentException(FormatErrors(errors));
        }
    }

    /// <summary>Every problem with these options; empty when they are valid.</summary>
    internal List<string> CollectErrors()
    {
        var errors = new List<string>();
        if (MaxFileBytes <= 0)
        {
            errors.Add($"{nameof(MaxFileBytes)} must be positive, but is {MaxFileBytes}.");
        }
        else if (MaxFileBytes > Array.MaxLength)
        {
            errors.Add($"{nameof(MaxFileBytes)} must be at most {Array.MaxLength} (the largest array), but is {MaxFileBytes}.");
        }

        if (MaxLineBytes < 0)
        {
            errors.Add($"{nameof(MaxLineBytes)} must be 0 (no limit) or positive, but is {MaxLineBytes}.");
        }

        if (ProjectIgnoreFileName is not null && !IsPlainFileName(ProjectIgnoreFileName))
        {
            errors.Add($"{nameof(ProjectIgnoreFileName)} must be a plain file name (or null to disable it), but is '{ProjectIgnoreFileName}'.");
        }

        if (ExcludedDirectoryNames is null)
        {
            errors.Add($"{nameof(ExcludedDirectoryNames)} must not be null; use an empty set to exclude nothing.");
        }
        else
        {
            foreach (var name in ExcludedDirectoryNames.Order(StringComparer.Ordinal))
            {
                if (!IsPlainFileName(name))
                {
                    errors.Add($"{nameof(ExcludedDirectoryNames)} must hold plain folder names, but holds '{name}'.");
                }
            }
        }

        if (Languages is not null)
        {
            if (Languages.Count == 0)
            {
                errors.Add($"{nameof(Languages)} is empty, so nothing would be found; use null for every language.");
            }

            foreach (var language in Languages.Order(StringComparer.Ordinal))
            {
                if (!KnownLanguages.Contains(language))
                {
                    errors.Add($"{nameof(Languages)} holds unknown language '{language}'; known: {string.Join(", ", KnownLanguages.Order(StringComparer.Ordinal))}.");
                }
            }
        }

        return errors;
    }

    internal static string FormatErrors(List<string> errors) =>
        $"Invalid source discovery options ({errors.Count} problem{(errors.Count == 1 ? "" : "s")}):{Environment.NewLine}- {string.Join(Environment.NewLine + "- ", errors)}";

    private static bool IsPlainFileName(string? name) =>
        !string.IsNullOrWhiteSpace(name)
        && name is not "." and not ".."
        && name.IndexOfAny(['/', '\\', '\0']) < 0;
}
