using System.Collections.Immutable;

namespace StructuralChunking.Discovery;

/// <summary>
/// Finds the source files under a root folder: the one walker every front end (Roslyn, tree-sitter) uses, so all
/// of them see the same files under the same relative paths.
/// </summary>
/// <remarks>
/// <para>
/// Each folder entry is checked in this order, and the first rule that applies is reported: ignore patterns
/// (<see cref="SkipReason.Ignored"/>), hidden names, <c>.git</c> and <see cref="SourceDiscoveryOptions.ExcludedDirectoryNames"/>,
/// symbolic links, then for files the language, the size, and the content (binary, encoding). Skipped folders are
/// reported once and never entered, which is also why, as in git, a <c>!</c> pattern cannot re-include a file
/// whose folder is excluded.
/// </para>
/// <para>
/// Ignore files: <c>.gitignore</c> in every folder and the root's <c>.git/info/exclude</c> (when <c>.git</c> is a
/// folder), plus the project ignore file. Deeper files take precedence over shallower ones and, within a folder,
/// the project ignore file over <c>.gitignore</c>; within a file the last matching pattern wins. Only files at or
/// below the root are read: no global git excludes and no <c>.gitignore</c> above the root, so the result depends
/// on the tree alone. Like git, ignore files that are symbolic links are not read.
/// </para>
/// <para>
/// Symbolic links to files are skipped as well as links to folders (as git and ripgrep do by default): a link can
/// point outside the root or duplicate a file that is indexed anyway.
/// </para>
/// </remarks>
public static class SourceDiscovery
{
    private const string GitIgnoreFileName = ".gitignore";
    private const string GitDirectoryName = ".git";

    private static readonly EnumerationOptions SingleFolder = new()
    {
        // Hidden and system entries are our decision, not the enumerator's.
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
        MatchType = MatchType.Simple,
    };

    /// <summary>Walks <paramref name="root"/> and classifies every file and folder below it.</summary>
    /// <param name="root">The folder to walk; relative paths are resolved against the current directory.</param>
    /// <param name="options">What counts as a source file; <c>null</c> for <see cref="SourceDiscoveryOptions.Default"/>.</param>
    /// <param name="cancellationToken">Stops the walk between entries.</param>
    /// <returns>Source files and skipped paths, each ordered by relative path. Problems with individual files never throw.</returns>
    /// <exception cref="ArgumentException"><paramref name="root"/> is empty, or <paramref name="options"/> are invalid (every problem is listed).</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> does not exist or is a file.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static SourceDiscoveryResult Discover(string root, SourceDiscoveryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        options ??= SourceDiscoveryOptions.Default;
        var errors = options.CollectErrors();
        if (errors.Count > 0)
        {
            throw new ArgumentException(SourceDiscoveryOptions.FormatErrors(errors), nameof(options));
        }

        var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (!Directory.Exists(fullRoot))
        {
            throw new DirectoryNotFoundException(File.Exists(fullRoot)
                ? $"The source root '{fullRoot}' is a file, not a folder."
                : $"The source root '{fullRoot}' does not exist.");
        }

        return new Walker(fullRoot, options, cancellationToken).Run();
    }

    /// <summary>State of one walk.</summary>
    private sealed class Walker(string root, SourceDiscoveryOptions options, CancellationToken cancellationToken)
    {
        private readonly List<SourceFile> _files = [];
        private readonly List<SkippedPath> _skipped = [];

        // Unreadable ignore files are reported when loaded; this keeps them from being reported again as entries.
        private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

        public SourceDiscoveryResult Run()
        {
            var rules = IgnoreRules.Empty;
            if (options.RespectGitIgnore)
            {
                var exclude = TryLoadIgnoreFile(Path.Join(root, GitDirectoryName, "info", "exclude"), ".git/info/exclude", "");
                rules = rules.With(exclude is null ? [] : [exclude]);
            }

            var pending = new Stack<(string FullPath, string RelativePath, IgnoreRules Rules)>();
            pending.Push((root, "", rules));
            while (pending.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (folder, relativeFolder, inherited) = pending.Pop();
                var folderRules = inherited.With(LoadIgnoreFiles(folder, relativeFolder));
                foreach (var subfolder in VisitFolder(folder, relativeFolder, folderRules))
                {
                    pending.Push(subfolder);
                }
            }

            _files.Sort(static (a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
            _skipped.Sort(static (a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
            return new SourceDiscoveryResult(root, [.. _files], [.. _skipped]);
        }

        /// <summary>Classifies the entries of one folder; returns the subfolders to walk.</summary>
        private List<(string, string, IgnoreRules)> VisitFolder(string folder, string relativeFolder, IgnoreRules rules)
        {
            var subfolders = new List<(string, string, IgnoreRules)>();
            FileSystemInfo[] entries;
            try
            {
                entries = new DirectoryInfo(folder).GetFileSystemInfos("*", SingleFolder);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Skip(relativeFolder.Length == 0 ? "." : relativeFolder, SkipReason.Unreadable, ex.Message, isDirectory: true);
                return subfolders;
            }

            var checkRules = !rules.IsEmpty;
            foreach (var entry in entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var name = entry.Name;
                var relativePath = relativeFolder.Length == 0 ? name : relativeFolder + "/" + name;
                if (_reported.Count > 0 && _reported.Contains(relativePath))
                {
                    continue;
                }

                var linkTarget = GetLinkTarget(entry);

                // git matches a link as a file even when it points to a folder.
                var isDirectory = entry is DirectoryInfo;
                var isRealDirectory = isDirectory && linkTarget is null;
                if (checkRules && rules.Match(relativePath, isRealDirectory) is { IsIgnored: true } match)
                {
                    Skip(relativePath, SkipReason.Ignored, match.Describe(), isDirectory);
                }
                else if (!options.IncludeHidden && name.StartsWith('.'))
                {
                    Skip(relativePath, SkipReason.Hidden, "name starts with '.'", isDirectory);
                }
                else if (string.Equals(name, GitDirectoryName, StringComparison.Ordinal))
                {
                    Skip(relativePath, SkipReason.ExcludedDirectory, "git metadata is never walked", isDirectory);
                }
                else if (linkTarget is not null)
                {
                    Skip(relativePath, SkipReason.SymbolicLink, $"link to '{linkTarget}' is not followed", isDirectory);
                }
                else if (isDirectory)
                {
                    if (options.ExcludedDirectoryNames.Contains(name))
                    {
                        Skip(relativePath, SkipReason.ExcludedDirectory, $"'{name}' is an excluded folder name", isDirectory: true);
                    }
                    else
                    {
                        subfolders.Add((entry.FullName, relativePath, rules));
                    }
                }
                else
                {
                    VisitFile((FileInfo)entry, relativePath);
                }
            }

            return subfolders;
        }

        private void VisitFile(FileInfo file, string relativePath)
        {
            var language = LanguageIds.FromPath(file.Name);
            if (language is null)
            {
                var extension = Path.GetExtension(file.Name);
                Skip(relativePath, SkipReason.UnsupportedLanguage, extension.Length == 0
                    ? "no file extension"
                    : $"extension '{extension}' maps to no known language", isDirectory: false);
                return;
            }

            if (options.Languages is { } languages && !languages.Contains(language))
            {
                Skip(relativePath, SkipReason.LanguageNotSelected, $"language '{language}' is not selected", isDirectory: false);
                return;
            }

            try
            {
                // Checked before opening, so huge files cost nothing; Inspect checks again in case the file grew.
                var length = file.Length;
                if (length > options.MaxFileBytes)
                {
                    Skip(relativePath, SkipReason.TooLarge, SourceContent.TooLargeDetail(length, options.MaxFileBytes), isDirectory: false);
                    return;
                }

                var inspection = SourceContent.Inspect(file.FullName, options.MaxFileBytes, options.MaxLineBytes);
                if (inspection.Reason is { } reason)
                {
                    Skip(relativePath, reason, inspection.Detail, isDirectory: false);
                    return;
                }

                _files.Add(new SourceFile(file.FullName, relativePath, language, length, inspection.Encoding));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Skip(relativePath, SkipReason.Unreadable, ex.Message, isDirectory: false);
            }
        }

        private List<IgnoreFile> LoadIgnoreFiles(string folder, string relativeFolder)
        {
            var files = new List<IgnoreFile>(2);
            if (options.RespectGitIgnore)
            {
                AddIfPresent(GitIgnoreFileName);
            }

            if (options.ProjectIgnoreFileName is { } projectIgnore)
            {
                AddIfPresent(projectIgnore);
            }

            return files;

            void AddIfPresent(string fileName)
            {
                var relativePath = relativeFolder.Length == 0 ? fileName : relativeFolder + "/" + fileName;
                if (TryLoadIgnoreFile(Path.Join(folder, fileName), relativePath, relativeFolder) is { } file)
                {
                    files.Add(file);
                }
            }
        }

        private IgnoreFile? TryLoadIgnoreFile(string fullPath, string relativePath, string baseDirectory)
        {
            try
            {
                var info = new FileInfo(fullPath);
                if (!info.Exists || info.LinkTarget is not null)
                {
                    return null;
                }

                return IgnoreFile.Parse(relativePath, baseDirectory, File.ReadAllText(fullPath));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Skip(relativePath, SkipReason.Unreadable, $"ignore file could not be read, so its patterns are not applied: {ex.Message}", isDirectory: false);
                _reported.Add(relativePath);
                return null;
            }
        }

        private void Skip(string relativePath, SkipReason reason, string detail, bool isDirectory) =>
            _skipped.Add(new SkippedPath(relativePath, reason, detail, isDirectory));

        /// <summary>The target of a symbolic link or junction, or <c>null</c> for anything else.</summary>
        private static string? GetLinkTarget(FileSystemInfo entry)
        {
            // The attribute comes with the enumeration; only links (and a few other reparse points) cost a readlink.
            if ((entry.Attributes & FileAttributes.ReparsePoint) == 0)
            {
                return null;
            }

            try
            {
                return entry.LinkTarget;
            }
            catch (IOException)
            {
                return null;
            }
        }
    }
}
