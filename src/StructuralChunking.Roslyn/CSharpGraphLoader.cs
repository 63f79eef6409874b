using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.MSBuild;
using StructuralChunking.Discovery;
using StructuralChunking.Graph;
using SymbolKind = StructuralChunking.Graph.SymbolKind;
using StructuralChunking.Roslyn.Internal;

namespace StructuralChunking.Roslyn;

/// <summary>
/// The C# front end: turns a solution (<c>.sln</c>, <c>.slnx</c>), a project (<c>.csproj</c>) or a folder of <c>.cs</c>
/// files into a <see cref="CodeGraph"/> whose edges are resolved by Roslyn's semantic model.
/// </summary>
/// <remarks>
/// <para><b>Which path is taken.</b> A solution or project file is opened with MSBuildWorkspace. A folder that holds
/// exactly one solution file (or else exactly one project file) at its top level is opened the same way; any other
/// folder is compiled ad hoc: all its <c>.cs</c> files (found by <see cref="SourceDiscovery"/>, so <c>.gitignore</c>,
/// <c>bin/</c> and <c>obj/</c> are respected) in one compilation against the running framework's assemblies.</para>
/// <para><b>Restore.</b> MSBuildWorkspace evaluates projects without building them, so no prior <c>dotnet build</c>
/// is needed. NuGet packages are only resolved when the project has been restored (<c>dotnet restore</c>): without it,
/// calls into packages have no target and produce no edge, and a warning says so. The solution's own code, including
/// cross-project references, is always resolved.</para>
/// <para><b>Broken projects.</b> A project MSBuild cannot load at all, or one whose framework cannot be resolved here
/// (an old .NET Framework project on Linux), is compiled ad hoc instead, so its code still gets a semantic graph.</para>
/// </remarks>
public static class CSharpGraphLoader
{
    private static readonly string[] ImplicitGlobalUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    /// <summary>Loads <paramref name="path"/> and builds its graph.</summary>
    /// <param name="path">A <c>.sln</c>, <c>.slnx</c> or <c>.csproj</c> file, or a folder.</param>
    /// <param name="options">Options; <c>null</c> for the defaults.</param>
    /// <param name="progress">Receives stage and per-document progress.</param>
    /// <param name="cancellationToken">Stops the load between documents.</param>
    /// <exception cref="FileNotFoundException"><paramref name="path"/> does not exist.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is a file of another kind, or the options are invalid.</exception>
    public static async Task<CSharpGraphResult> LoadAsync(string path, CSharpGraphOptions? options = null,
        IProgress<GraphBuildProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new CSharpGraphOptions();
        options.Validate();

        var fullPath = Path.GetFullPath(path);
        var stopwatch = Stopwatch.StartNew();
        var (root, projectFile) = ResolveInput(fullPath);
        var context = new LoadContext(root, options, progress, cancellationToken);

        if (projectFile is not null)
        {
            await LoadWithMSBuildAsync(context, projectFile).ConfigureAwait(false);
            if (context.DocumentCount == 0 && options.FallBackToAdHoc)
            {
                context.Diagnostics.Add(new GraphLoadDiagnostic(GraphLoadSeverity.Warning,
                    $"'{Path.GetFileName(projectFile)}' yielded no C# documents through MSBuild; compiling the .cs files of its folder directly instead."));
                context.Mode = CSharpLoadMode.AdHoc;
                LoadAdHocFolder(context);
            }
        }
        else
        {
            context.Mode = CSharpLoadMode.AdHoc;
            LoadAdHocFolder(context);
        }

        options.Cache?.RetainOnly(context.SeenPaths);
        return new CSharpGraphResult
        {
            ReusedDocumentCount = context.ReusedDocumentCount,
            Graph = context.Builder.Build(),
            RootDirectory = root,
            Mode = context.Mode,
            ProjectCount = context.ProjectCount,
            DocumentCount = context.DocumentCount,
            SourceBytes = context.SourceBytes,
            Diagnostics = [.. context.Diagnostics],
            SkippedFiles = [.. context.Skipped],
            Elapsed = stopwatch.Elapsed,
        };
    }

    private static (string Root, string? ProjectFile) ResolveInput(string fullPath)
    {
        if (File.Exists(fullPath))
        {
            var extension = Path.GetExtension(fullPath);
            if (!extension.Equals(".sln", StringComparison.OrdinalIgnoreCase) && !extension.Equals(".slnx", StringComparison.OrdinalIgnoreCase) &&
                !extension.Equals(".csproj", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"'{fullPath}' is not a .sln, .slnx or .csproj file, nor a folder.", nameof(fullPath));
            }

            return (Path.GetDirectoryName(fullPath)!, fullPath);
        }

        if (!Directory.Exists(fullPath))
        {
            throw new FileNotFoundException($"'{fullPath}' does not exist.", fullPath);
        }

        var solutions = Directory.GetFiles(fullPath, "*.sln").Concat(Directory.GetFiles(fullPath, "*.slnx")).ToArray();
        if (solutions.Length == 1)
        {
            return (fullPath, solutions[0]);
        }

        var projects = Directory.GetFiles(fullPath, "*.csproj");
        return projects.Length == 1 && solutions.Length == 0 ? (fullPath, projects[0]) : (fullPath, null);
    }

    // Kept apart from LoadAsync so that MSBuild types are only JIT-compiled after the locator registered the SDK.
    private static async Task LoadWithMSBuildAsync(LoadContext context, string projectFile)
    {
        context.Report("load", 0, 0, Path.GetFileName(projectFile));
        MSBuildRegistration.EnsureRegistered();
        try
        {
            await LoadWorkspaceAsync(context, projectFile).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !context.CancellationToken.IsCancellationRequested)
        {
            // MSBuildWorkspace reports a missing build host, an SDK it cannot start or a broken project file as a plain
            // Exception. The load goes on without MSBuild (ad hoc, when allowed) and says why, rather than crashing.
            context.Diagnostics.Add(new GraphLoadDiagnostic(GraphLoadSeverity.Error,
                $"MSBuild could not load '{Path.GetFileName(projectFile)}': {ex.Message}", Path.GetFileName(projectFile)));
        }
    }

    private static async Task LoadWorkspaceAsync(LoadContext context, string projectFile)
    {
        using var workspace = MSBuildWorkspace.Create();
        void OnFailure(WorkspaceDiagnosticEventArgs e)
        {
            lock (context.Diagnostics)
            {
                context.Diagnostics.Add(new GraphLoadDiagnostic(
                    e.Diagnostic.Kind == WorkspaceDiagnosticKind.Failure ? GraphLoadSeverity.Warning : GraphLoadSeverity.Info,
                    e.Diagnostic.Message));
            }
        }

#if NET9_0_OR_GREATER
        using var failures = workspace.RegisterWorkspaceFailedHandler(OnFailure);
#else
        // Roslyn 4.14 (the net8.0 build) has only the event.
        workspace.WorkspaceFailed += (_, e) => OnFailure(e);
#endif

        Solution solution;
        if (projectFile.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
        {
            var project = await workspace.OpenProjectAsync(projectFile, cancellationToken: context.CancellationToken).ConfigureAwait(false);
            solution = project.Solution;
        }
        else
        {
            solution = await workspace.OpenSolutionAsync(projectFile, cancellationToken: context.CancellationToken).ConfigureAwait(false);
        }

        var ordered = solution.GetProjectDependencyGraph().GetTopologicallySortedProjects(context.CancellationToken)
            .Select(solution.GetProject)
            .OfType<Project>()
            .Where(p => p.Language == LanguageNames.CSharp)
            .ToList();

        foreach (var project in ordered)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            context.ProjectCount++;
            context.Report("bind", context.ProjectCount, ordered.Count, project.Name);
            WarnIfNotRestored(context, project);

            var compilation = await project.GetCompilationAsync(context.CancellationToken).ConfigureAwait(false);
            if (compilation is null)
            {
                continue;
            }

            if (compilation.ObjectType.TypeKind == TypeKind.Error)
            {
                // The target framework's reference assemblies are not available here (e.g. .NET Framework on Linux):
                // bind against the running framework rather than producing a graph with no resolved edges.
                context.Diagnostics.Add(new GraphLoadDiagnostic(GraphLoadSeverity.Warning,
                    $"Project '{project.Name}': its framework references could not be resolved here; binding against the running .NET instead.",
                    RelativePath(context.Root, project.FilePath)));
                compilation = compilation.RemoveAllReferences().AddReferences(FrameworkReferences.All);
            }

            var isTestProject = SourceClassifier.IsTestProject(project);
            var documents = new List<(SyntaxTree Tree, string RelativePath, bool IsTest)>();
            foreach (var document in project.Documents)
            {
                if (document.FilePath is null || document.SourceCodeKind != SourceCodeKind.Regular)
                {
                    continue;
                }

                var relative = RelativePath(context.Root, document.FilePath);
                if (!context.SeenPaths.Add(relative))
                {
                    // The same file in another project or target framework: its symbols are already in the graph.
                    continue;
                }

                var tree = await document.GetSyntaxTreeAsync(context.CancellationToken).ConfigureAwait(false);
                if (tree is null)
                {
                    continue;
                }

                var length = tree.Length;
                if (length > context.Options.MaxFileBytes)
                {
                    context.Skipped.Add(new SkippedPath(relative, SkipReason.TooLarge,
                        $"{length:N0} characters > limit {context.Options.MaxFileBytes:N0} bytes", IsDirectory: false));
                    continue;
                }

                documents.Add((tree, relative, isTestProject));
            }

            ExtractDocuments(context, compilation, documents);
        }
    }

    private static void WarnIfNotRestored(LoadContext context, Project project)
    {
        if (project.FilePath is not { } file || !File.Exists(file))
        {
            return;
        }

        var assets = Path.Combine(Path.GetDirectoryName(file)!, "obj", "project.assets.json");
        if (!File.Exists(assets) && File.ReadAllText(file).Contains("<PackageReference", StringComparison.OrdinalIgnoreCase))
        {
            context.Diagnostics.Add(new GraphLoadDiagnostic(GraphLoadSeverity.Warning,
                $"Project '{project.Name}' has package references but was not restored: calls into those packages stay unresolved. Run 'dotnet restore' first for a complete graph.",
                RelativePath(context.Root, file)));
        }
    }

    private static void LoadAdHocFolder(LoadContext context)
    {
        context.Report("discover", 0, 0, context.Root);
        var parsed = ParseFolder(context.Root, context.Options, context.CancellationToken, context.SeenPaths);
        foreach (var skipped in parsed.Skipped)
        {
            if (skipped.Reason is not (SkipReason.UnsupportedLanguage or SkipReason.LanguageNotSelected))
            {
                context.Skipped.Add(skipped);
            }
        }

        var files = parsed.Files;
        var trees = parsed.Trees;
        var parseOptions = ParseOptions(context.Options);
        context.Report("parse", files.Count, files.Count);

        var allTrees = trees.ToList();
        if (context.Options.AdHocImplicitUsings)
        {
            var globalUsings = string.Concat(ImplicitGlobalUsings.Select(u => $"global using global::{u};\n"));
            allTrees.Add(CSharpSyntaxTree.ParseText(globalUsings, parseOptions, path: "StructuralChunking.ImplicitUsings.g.cs", cancellationToken: context.CancellationToken));
        }

        var compilation = CSharpCompilation.Create(
            "StructuralChunking.AdHoc",
            allTrees,
            FrameworkReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable,
                concurrentBuild: false));

        context.ProjectCount++;
        var documents = new List<(SyntaxTree Tree, string RelativePath, bool IsTest)>(files.Count);
        for (var i = 0; i < files.Count; i++)
        {
            context.SeenPaths.Add(files[i].RelativePath);
            documents.Add((trees[i], files[i].RelativePath, SourceClassifier.IsTestPath(files[i].RelativePath)));
        }

        ExtractDocuments(context, compilation, documents);
    }

    private static CSharpParseOptions ParseOptions(CSharpGraphOptions options) =>
        new(LanguageVersion.Preview, DocumentationMode.Parse, SourceCodeKind.Regular, options.PreprocessorSymbols);

    /// <summary>Discovers a folder's C# files and parses them in parallel (the first half of an ad-hoc load).</summary>
    internal static ParsedFolder ParseFolder(string root, CSharpGraphOptions options, CancellationToken cancellationToken, IReadOnlySet<string>? exclude = null)
    {
        var discovery = SourceDiscovery.Discover(root, new SourceDiscoveryOptions
        {
            MaxFileBytes = options.MaxFileBytes,
            Languages = new HashSet<string>(StringComparer.Ordinal) { LanguageIds.CSharp },
        }, cancellationToken);

        var files = discovery.Files.Where(f => exclude is null || !exclude.Contains(f.RelativePath)).ToList();
        var parseOptions = ParseOptions(options);
        var trees = new SyntaxTree[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken }, i =>
        {
            var text = Microsoft.CodeAnalysis.Text.SourceText.From(files[i].ReadText(), System.Text.Encoding.UTF8);
            trees[i] = CSharpSyntaxTree.ParseText(text, parseOptions, files[i].FullPath, cancellationToken);
        });

        return new ParsedFolder(files, trees, discovery.Skipped);
    }

    internal sealed record ParsedFolder(List<SourceFile> Files, SyntaxTree[] Trees, ImmutableArray<SkippedPath> Skipped)
    {
        public int Count => Files.Count;
    }

    private static void ExtractDocuments(LoadContext context, Compilation compilation, List<(SyntaxTree Tree, string RelativePath, bool IsTest)> documents)
    {
        var results = new DocumentGraph[documents.Count];
        var completed = 0;
        var cache = context.Options.Cache;
        var declarations = cache is null ? string.Empty : DeclarationFingerprint.Of(compilation, context.CancellationToken);
        var optionsKey = string.Join('|', context.Options.IncludeTypeReferences, string.Join(',', context.Options.PreprocessorSymbols));
        Parallel.For(0, documents.Count, new ParallelOptions { MaxDegreeOfParallelism = context.Options.MaxDegreeOfParallelism, CancellationToken = context.CancellationToken }, i =>
        {
            var (tree, relative, isTest) = documents[i];
            string? textHash = null;
            var documentKey = isTest ? optionsKey + "|test" : optionsKey;
            if (cache is not null)
            {
                textHash = Convert.ToHexString(tree.GetText(context.CancellationToken).GetContentHash().AsSpan());
                if (cache.TryGet(relative, textHash, declarations, documentKey) is { } cached)
                {
                    results[i] = cached;
                    Interlocked.Increment(ref context.ReusedDocumentCount);
                    context.Report("graph", Interlocked.Increment(ref completed), documents.Count, relative);
                    return;
                }
            }

            var model = compilation.GetSemanticModel(tree);
            var traits = SourceClassifier.Classify(relative, tree, isTest, context.CancellationToken);
            results[i] = DocumentGraphExtractor.Extract(model, context.Naming, relative, traits, context.Options.IncludeTypeReferences, context.CancellationToken);
            cache?.Set(relative, textHash!, declarations, documentKey, results[i]);
            context.Report("graph", Interlocked.Increment(ref completed), documents.Count, relative);
        });

        // Merge in document order so the builder sees the same sequence on every run.
        for (var i = 0; i < documents.Count; i++)
        {
            var result = results[i];
            foreach (var symbol in result.Symbols)
            {
                context.Builder.AddSymbol(symbol);
            }

            foreach (var edge in result.Edges)
            {
                context.Builder.AddEdge(edge);
            }

            if (result.SyntaxErrorCount > 0)
            {
                context.Diagnostics.Add(new GraphLoadDiagnostic(GraphLoadSeverity.Warning,
                    $"{result.SyntaxErrorCount} syntax error(s); the graph holds what could be parsed.", documents[i].RelativePath));
            }

            context.DocumentCount++;
            context.SourceBytes += result.ByteLength;
        }
    }

    private static string RelativePath(string root, string? path) =>
        path is null ? string.Empty : Path.GetRelativePath(root, path).Replace('\\', '/');

    private sealed class LoadContext(string root, CSharpGraphOptions options, IProgress<GraphBuildProgress>? progress, CancellationToken cancellationToken)
    {
        public string Root { get; } = root;
        public CSharpGraphOptions Options { get; } = options;
        public CancellationToken CancellationToken { get; } = cancellationToken;
        public CodeGraphBuilder Builder { get; } = new();
        public SymbolNaming Naming { get; } = new();
        public List<GraphLoadDiagnostic> Diagnostics { get; } = [];
        public List<SkippedPath> Skipped { get; } = [];
        public HashSet<string> SeenPaths { get; } = new(StringComparer.Ordinal);
        public CSharpLoadMode Mode { get; set; } = CSharpLoadMode.MSBuild;
        public int ProjectCount { get; set; }
        public int DocumentCount { get; set; }
        public long SourceBytes { get; set; }

        // A field so that parallel extraction can count with Interlocked.
        public int ReusedDocumentCount;

        public void Report(string stage, int completed, int total, string? item = null) =>
            progress?.Report(new GraphBuildProgress(stage, completed, total, item));
    }
}
