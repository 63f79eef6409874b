namespace StructuralChunking.Discovery;

/// <summary>Why source discovery left a file or folder out.</summary>
public enum SkipReason
{
    /// <summary>A <c>.gitignore</c>, <c>.git/info/exclude</c> or project ignore file pattern excludes it.</summary>
    Ignored,

    /// <summary>Its name starts with <c>.</c> and <see cref="SourceDiscoveryOptions.IncludeHidden"/> is off.</summary>
    Hidden,

    /// <summary>
    /// A folder named in <see cref="SourceDiscoveryOptions.ExcludedDirectoryNames"/>, or git's own <c>.git</c>
    /// metadata, which is never walked.
    /// </summary>
    ExcludedDirectory,

    /// <summary>A symbolic link (or junction); links are never followed, which also rules out cycles.</summary>
    SymbolicLink,

    /// <summary>A file whose extension maps to no language in <see cref="LanguageIds"/>.</summary>
    UnsupportedLanguage,

    /// <summary>A source file of a known language that is not in <see cref="SourceDiscoveryOptions.Languages"/>.</summary>
    LanguageNotSelected,

    /// <summary>Larger than <see cref="SourceDiscoveryOptions.MaxFileBytes"/>.</summary>
    TooLarge,

    /// <summary>A NUL byte (or, for UTF-16, a NUL character) in the first 8 KiB: most likely not text.</summary>
    Binary,

    /// <summary>
    /// Not valid UTF-8; also used for a file whose UTF-16 byte order mark is followed by invalid UTF-16, and for
    /// UTF-32 files, which are not supported.
    /// </summary>
    NotUtf8,

    /// <summary>The file or folder could not be read (permissions, or it vanished during the walk).</summary>
    Unreadable,

    /// <summary>
    /// A front end could not parse the file: its parse did not finish within the time limit (pathological input) or
    /// failed outright. Reported by front ends, never by discovery.
    /// </summary>
    Unparsable,

    /// <summary>
    /// Listed by a project or solution but outside the indexed root (or reached through a link that leads out of it);
    /// reported by front ends that take file lists from project files, never by discovery.
    /// </summary>
    OutsideRoot,

    /// <summary>
    /// The file changed or vanished between discovery and reading it (a checkout during indexing); reported by the
    /// stages that read files after discovery.
    /// </summary>
    Changed,

    /// <summary>
    /// Generated or minified code whose shape would make chunking unbounded: very long lines, or nesting deeper than a
    /// front end can parse safely. Reported by front ends and chunkers.
    /// </summary>
    Pathological,
}
