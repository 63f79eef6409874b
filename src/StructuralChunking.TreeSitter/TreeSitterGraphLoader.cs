using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using StructuralChunking.Discovery;
using StructuralChunking.Graph;
using StructuralChunking.TreeSitter.Internal;

namespace StructuralChunking.TreeSitter;

/// <summary>
/// The tree-sitter front end: parses the source files of a folder (Python, JavaScript, TypeScript, Go, Java, Rust, C,
/// C++, Ruby, PHP; C# on request) and builds a <see cref="CodeGraph"/> whose edges are resolved by name.
/// </summary>
/// <remarks>
/// <para><b>Symbols.</b> One module per file (<see cref="SymbolKind.Module"/>; Python names it by dotted path,
/// <c>auth.middleware.admin_jwt_validator</c>, other languages by relative path without extension), and the
/// functions, classes, methods, interfaces and nested functions that the grammar's <c>tags.scm</c> (plus this
/// package's additions) tag. A definition's location spans the whole definition, decorators and <c>export</c>
/// included; its signature is its text up to the body, whitespace collapsed; its documentation is the Python
/// docstring or the comment block directly above it. Qualified names are the module name and the enclosing
/// definitions' names, joined by dots, and unique in their file (a repeated name gets <c>~2</c>, <c>~3</c>).</para>
/// <para><b>Edges.</b> <c>contains</c> (module → class → method, function → nested function), <c>imports</c> (module →
/// module, where the import resolves to an indexed file), <c>inherits</c>/<c>implements</c> (base types, by the
/// target's kind), and <c>calls</c>, resolved by name with scope awareness; see the README for the exact rule and the
/// ambiguity policy (<see cref="TreeSitterGraphOptions.AmbiguousCallLimit"/>).</para>
/// <para><b>Robustness.</b> Files are parsed in parallel, each under <see cref="TreeSitterGraphOptions.FileTimeout"/>
/// and <see cref="TreeSitterGraphOptions.MaxFileBytes"/>; a file that cannot be read or parsed is listed in
/// <see cref="TreeSitterGraphResult.SkippedFiles"/> with its reason and the load goes on. A grammar that fails the
/// start-up self-check (<see cref="TreeSitterLanguages.Check"/>) is reported as an error diagnostic and its files are
/// skipped.</para>
/// </remarks>
public static class TreeSitterGraphLoader
{
    /// <summary>Pending matches a query cursor keeps before dropping the oldest: bounds memory on pathological trees.</summary>
    private const uint QueryMatchLimit = 4096;

    /// <summary>Parses every source file of <paramref name="folder"/> in the selected languages and builds the graph.</summary>
    /// <param name="folder">The folder to load; symbol paths are relative to it.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <param name="progress">Receives <c>discover</c>, per-file <c>parse</c> and <c>graph</c> progress.</param>
    /// <param name="cancellationToken">Stops the load, also in the middle of a file's parse.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="folder"/> does not exist.</exception>
    /// <exception cref="PlatformNotSupportedException">This platform has no native tree-sitter library (only linux-x64 does).</exception>
    /// <exception cref="DllNotFoundException">The native library is missing.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<TreeSitterGraphResult> LoadAsync(string folder, TreeSitterGraphOptions? options = null,
        IProgress<GraphBuildProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        options ??= new TreeSitterGraphOptions();
        options.Validate();
        return Task.Run(() => Load(folder, options, progress, cancellationToken), cancellationToken);
    }

    private static TreeSitterGraphResult Load(string folder, TreeSitterGraphOptions options, IProgress<GraphBuildProgress>? progress, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var languages = options.Languages ?? TreeSitterGraphOptions.DefaultLanguages;
        progress?.Report(new GraphBuildProgress("discover", 0, 0, folder));
        var discovery = SourceDiscovery.Discover(folder, new SourceDiscoveryOptions
        {
            MaxFileBytes = options.MaxFileBytes,
            RespectGitIgnore = options.RespectGitIgnore,
            Languages = languages,
        }, cancellationToken);

        var diagnostics = new ConcurrentBag<GraphLoadDiagnostic>();
        var skipped = new ConcurrentBag<SkippedPath>(discovery.Skipped.Where(static s => s.Reason is not (SkipReason.UnsupportedLanguage or SkipReason.LanguageNotSelected)));

        var check = TreeSitterLanguages.Check();
        if (check.RuntimeError is { } runtimeError)
        {
            if (discovery.Files.Length > 0)
            {
                // Nothing can be parsed here: say why rather than returning an empty graph.
                Internal.NativeLibraryGuard.Throw(runtimeError);
            }
        }

        var grammars = new Dictionary<string, Grammar>(StringComparer.Ordinal);
        foreach (var language in discovery.Files.Select(static f => f.Language).Distinct().Order(StringComparer.Ordinal))
        {
            if (TreeSitterLanguages.Get(language, out var error) is { } grammar)
            {
                grammars.Add(language, grammar);
            }
            else
            {
                diagnostics.Add(new GraphLoadDiagnostic(GraphLoadSeverity.Error,
                    $"The '{language}' grammar failed its self-check ({error}); its files are skipped."));
            }
        }

        var files = discovery.Files;
        var results = new FileSyntax?[files.Length];
        var completed = 0;
        Parallel.For(0, files.Length,
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken },
            () => (Worker: new SyntaxWorker(QueryMatchLimit), Extractor: new FileExtractor()),
            (i, _, state) =>
            {
                var file = files[i];
                if (grammars.TryGetValue(file.Language, out var grammar))
                {
                    results[i] = ParseFile(file, grammar, state.Worker, state.Extractor, options, skipped, cancellationToken);
                }
                else
                {
                    skipped.Add(new SkippedPath(file.RelativePath, SkipReason.Unparsable, $"the '{file.Language}' grammar is unusable", IsDirectory: false));
                }

                progress?.Report(new GraphBuildProgress("parse", Interlocked.Increment(ref completed), files.Length, file.RelativePath));
                return state;
            },
            static state => state.Worker.Dispose());

        cancellationToken.ThrowIfCancellationRequested();
        var parsed = results.OfType<FileSyntax>().ToList();
        foreach (var file in parsed)
        {
            if (file.HasErrors)
            {
                diagnostics.Add(new GraphLoadDiagnostic(GraphLoadSeverity.Warning,
                    "Syntax errors; the graph holds what could be parsed.", file.Path));
            }

            if (file.QueryIncomplete)
            {
                diagnostics.Add(new GraphLoadDiagnostic(GraphLoadSeverity.Warning,
                    "The tags query stopped early (time or match limit); some definitions or calls may be missing.", file.Path));
            }
        }

        progress?.Report(new GraphBuildProgress("graph", 0, 1));
        var builder = new CodeGraphBuilder();
        new GraphResolver(parsed, options.AmbiguousCallLimit).Build(builder);
        var graph = builder.Build();
        progress?.Report(new GraphBuildProgress("graph", 1, 1));

        return new TreeSitterGraphResult
        {
            Graph = graph,
            RootDirectory = discovery.Root,
            DocumentCount = parsed.Count,
            SourceBytes = parsed.Sum(static f => (long)f.ByteLength),
            DocumentsByLanguage = parsed.GroupBy(static f => f.Language).ToImmutableSortedDictionary(static g => g.Key, static g => g.Count(), StringComparer.Ordinal),
            Diagnostics = [.. diagnostics.OrderBy(static d => d.Path ?? "", StringComparer.Ordinal).ThenBy(static d => d.Severity).ThenBy(static d => d.Message, StringComparer.Ordinal)],
            SkippedFiles = [.. skipped.OrderBy(static s => s.RelativePath, StringComparer.Ordinal)],
            Elapsed = stopwatch.Elapsed,
        };
    }

    private static FileSyntax? ParseFile(SourceFile file, Grammar grammar, SyntaxWorker worker, FileExtractor extractor,
        TreeSitterGraphOptions options, ConcurrentBag<SkippedPath> skipped, CancellationToken cancellationToken)
    {
        byte[] text;
        try
        {
            text = file.ReadUtf8Bytes();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            // Discovery accepted it moments ago: it vanished or was rewritten during the run (a checkout while indexing).
            skipped.Add(new SkippedPath(file.RelativePath, SkipReason.Changed, $"changed or vanished after discovery: {ex.Message}", IsDirectory: false));
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            skipped.Add(new SkippedPath(file.RelativePath, SkipReason.Unreadable, ex.Message, IsDirectory: false));
            return null;
        }

        if (text.Length > options.MaxFileBytes)
        {
            skipped.Add(new SkippedPath(file.RelativePath, SkipReason.TooLarge, $"{text.Length} bytes exceed the limit of {options.MaxFileBytes}", IsDirectory: false));
            return null;
        }

        worker.Begin(options.FileTimeout, cancellationToken);
        using var tree = worker.Parse(grammar, text);
        if (tree is null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            skipped.Add(new SkippedPath(file.RelativePath, SkipReason.Unparsable,
                $"parsing did not finish within {options.FileTimeout.TotalSeconds:0.###} s", IsDirectory: false));
            return null;
        }

        var syntax = extractor.Extract(worker, grammar, file, text, tree);
        cancellationToken.ThrowIfCancellationRequested();
        return syntax;
    }
}
