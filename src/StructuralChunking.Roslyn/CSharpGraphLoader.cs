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
/// <para><b>Which path is taken.</b> By default a solution or project file is read statically: the solution's project
/// list, each project's <c>Compile</c> items (the SDK's default <c>**/*.cs</c> glob, <c>Compile Include</c> and
/// <c>Compile Remove</c>), project references and the package assemblies a previous <c>dotnet restore</c> left in
/// <c>obj/project.assets.json</c> (read, never refreshed) are taken from the XML, and each project is compiled ad hoc
/// against the running .NET's assemblies. No MSBuild evaluation happens and no target or task of the repository runs,
/// so indexing code you did not write cannot execute it. With <see cref="CSharpGraphOptions.TrustProjectBuild"/> the
/// solution is opened with MSBuildWorkspace instead, which evaluates the projects and runs their design-time targets
/// (an <c>Exec</c> in a target runs): exact for unusual builds, but only for code you trust.</para>
/// <para>A folder that holds exactly one solution file (or else exactly one project file) at its top level is opened the
/// same way; any other folder is compiled ad hoc: all its <c>.cs</c> files in one compilation against the running
/// framework's assemblies.</para>
/// <para><b>One file policy.</b> Whatever lists a file (a project, MSBuild or the folder walk), it is used only if
/// <see cref="SourceDiscovery"/> accepts it: ignore files, symbolic links, the root boundary, size, binary and encoding
/// rules hold in every mode, and every file left out is in <see cref="CSharpGraphResult.SkippedFiles"/> with its
/// reason. A file nested deeper than <see cref="CSharpGraphOptions.MaxNestingDepth"/> or whose binding exceeds
/// <see cref="CSharpGraphOptions.DocumentTimeout"/> is skipped with a reason; a file that changes or vanishes during the
/// load is skipped, never an error.</para>
/// <para><b>Restore.</b> NuGet packages are only resolved when the project has been restored (<c>dotnet restore</c>):
/// without it, calls into packages have no target and produce no edge, and a warning says so. The solution's own code,
/// including cross-project references, is always resolved.</para>
/// <para><b>Broken projects.</b> A project that cannot be read at all is skipped with a warning; when nothing yields a
/// document, the folder is compiled ad hoc instead, so broken projects still get a semantic graph.</para>
/// </remarks>
public static class CSharpGraphLoader
{
    private static readonly string[] ImplicitGlobalUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    private static readonly string[] WebImplicitGlobalUsings =
    [
        "System.Net.Http.Json", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http",
        "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection",
        "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
    ];

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
            if (options.TrustProjectBuild)
            {
                await LoadWithMSBuildAsync(context, projectFile).ConfigureAwait(false);
            }
            else
            {
                context.Mode = CSharpLoadMode.ProjectFiles;
                LoadProjectFiles(context, projectFile);
            }

            if (context.DocumentCount == 0 && options.FallBackToAdHoc)
            {
                context.Diagnostics.Add(new GraphLoadDiagnostic(GraphLoadSeverity.Warning,
                    $"'{Path.GetFileName(projectFile)}' yielded no C# documents; compiling the .cs files of its folder directly instead."));
                // Reasons found so far stay: the folder walk adds its own without repeating a path.
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
            SkippedFiles = [.. context.Skipped.Values.OrderBy(static s => s.RelativePath, StringComparer.Ordinal)],
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
        context.AddDiscoverySkips();
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
                if (context.SeenPaths.Contains(relative))
                {
                    // The same file in another project or target framework: its symbols are already in the graph.
                    continue;
                }

                // MSBuild lists files by its own rules; only those the walk accepts become documents. Build output under
                // obj/ (global usings, assembly info) still takes part in binding, it just yields no symbols.
                if (context.Files.Admit(document.FilePath, out var refused) is null)
                {
                    if (!GeneratedCode.IsGeneratedPath(relative))
                    {
                        context.Skip(refused!);
                    }

                    continue;
                }

                context.SeenPaths.Add(relative);
                SyntaxTree? tree;
                try
                {
                    tree = await document.GetSyntaxTreeAsync(context.CancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
                {
                    context.Skip(new SkippedPath(relative, SkipReason.Changed, $"changed or vanished after discovery: {ex.Message}", IsDirectory: false));
                    continue;
                }

                if (tree is null)
                {
                    continue;
                }

                var length = tree.Length;
                if (length > context.Options.MaxFileBytes)
                {
                    context.Skip(new SkippedPath(relative, SkipReason.TooLarge,
                        $"{length:N0} characters > limit {context.Options.MaxFileBytes:N0} bytes", IsDirectory: false));
                    continue;
                }

                if (NestingGuard.Check(tree.GetText(context.CancellationToken).ToString().AsSpan(), context.Options.MaxNestingDepth) is { } tooDeep)
                {
                    context.Skip(new SkippedPath(relative, SkipReason.Pathological, tooDeep, IsDirectory: false));
                    continue;
                }

                documents.Add((tree, relative, isTestProject));
            }

            ExtractDocuments(context, compilation, documents);
        }
    }

    /// <summary>
    /// The default for solutions and projects: reads them as data and compiles each project ad hoc, in dependency
    /// order, so nothing from the repository runs.
    /// </summary>
    private static void LoadProjectFiles(LoadContext context, string entryFile)
    {
        context.Report("load", 0, 0, Path.GetFileName(entryFile));
        context.AddDiscoverySkips();
        List<string> entries;
        try
        {
            entries = entryFile.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase) ? [entryFile] : StaticProjectReader.ReadSolution(entryFile);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            context.Diagnostics.Add(new GraphLoadDiagnostic(GraphLoadSeverity.Warning, $"The solution could not be read: {ex.Message}", RelativePath(context.Root, entryFile)));
            return;
        }

        // Read the projects and, transitively, the projects they reference.
        var projects = new Dictionary<string, StaticProject>(StringComparer.Ordinal);
        var pending = new Queue<string>(entries);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var path = pending.Dequeue();
            if (!visited.Add(path))
            {
                continue;
            }

            var relative = RelativePath(context.Root, path);
            if (!StaticProjectReader.IsInside(path, context.Root))
            {
                context.Diagnostics.Add(new GraphLoadDiagnostic(GraphLoadSeverity.Warning, "Project outside the indexed root: not read.", relative));
                continue;
            }

            if (context.Files.Admit(path, out var refused) is null && refused!.Reason is not SkipReason.UnsupportedLanguage)
            {
                // An ignored, linked or unreadable project file is not read: the same rules as for its sources.
                context.Diagnostics.Add(new GraphLoadDiagnostic(GraphLoadSeverity.Warning, $"Project not read: {refused.Reason} ({refused.Detail}).", relative));
                continue;
            }

            try
            {
                var project = StaticProjectReader.ReadProject(path);
                projects[path] = project;
                if (project.Unresolved.Count > 0)
                {
                    context.Diagnostics.Add(new GraphLoadDiagnostic(GraphLoadSeverity.Info,
                        $"Properties not known without evaluating the project, treated as empty: {string.Join(", ", project.Unresolved)}.", relative));
                }

                foreach (var reference in project.ProjectReferences)
                {
                    pending.Enqueue(Path.GetFullPath(Path.Combine(project.Directory, StaticProjectReader.Normalize(reference))));
                }
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                context.Diagnostics.Add(new GraphLoadDiagnostic(GraphLoadSeverity.Warning, $"Project could not be read: {ex.Message}", relative));
            }
        }

        var compilations = new Dictionary<string, CSharpCompilation>(StringComparer.Ordinal);
        var ordered = TopologicalOrder(projects);
        foreach (var project in ordered)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            context.ProjectCount++;
            context.Report("bind", context.ProjectCount, ordered.Count, project.Name);

            var parseOptions = new CSharpParseOptions(
                project.LangVersion is { } version && LanguageVersionFacts.TryParse(version, out var parsed) ? parsed : LanguageVersion.Preview,
                DocumentationMode.Parse, SourceCodeKind.Regular, StaticProjectReader.PreprocessorSymbols(project));
            var (files, trees, failed) = ParseFiles(CompileItems(context, project), parseOptions, context.Options, context.CancellationToken);
            foreach (var failure in failed)
            {
                context.Skip(failure);
            }

            var allTrees = trees.ToList();
            if (project.ImplicitUsings || project.Usings.Count > 0)
            {
                var usings = (project.ImplicitUsings ? ImplicitGlobalUsings.Concat(project.IsWebSdk ? WebImplicitGlobalUsings : []) : [])
                    .Concat(project.Usings)
                    .Except(project.UsingRemoves, StringComparer.Ordinal)
                    .Where(static u => SyntaxFacts.IsValidIdentifier(u.Replace(".", "", StringComparison.Ordinal)))
                    .Distinct(StringComparer.Ordinal);
                allTrees.Add(GlobalUsingsTree(usings, parseOptions, context.CancellationToken));
            }

            var references = new List<MetadataReference>(FrameworkReferences.All);
            if (project.IsWebSdk || project.FrameworkReferences.Contains("Microsoft.AspNetCore.App", StringComparer.OrdinalIgnoreCase))
            {
                references.AddRange(FrameworkReferences.AspNetCore);
            }

            references.AddRange(PackageReferences(context, project));
            foreach (var reference in project.ProjectReferences)
            {
                if (compilations.TryGetValue(Path.GetFullPath(Path.Combine(project.Directory, StaticProjectReader.Normalize(reference))), out var dependency))
                {
                    references.Add(dependency.ToMetadataReference());
                }
            }

            var compilation = CSharpCompilation.Create(project.Name, allTrees, references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: project.AllowUnsafe,
                    nullableContextOptions: project.Nullable ? NullableContextOptions.Enable : NullableContextOptions.Disable, concurrentBuild: false));
            compilations[project.FilePath] = compilation;

            var isTestProject = SourceClassifier.IsTestProject(project.Name, project.PackageReferences);
            var documents = new List<(SyntaxTree Tree, string RelativePath, bool IsTest)>();
            for (var i = 0; i < files.Count; i++)
            {
                // A file compiled into several projects is described once, by the first project (in dependency order).
                if (context.SeenPaths.Add(files[i].RelativePath))
                {
                    documents.Add((trees[i], files[i].RelativePath, isTestProject));
                }
            }

            ExtractDocuments(context, compilation, documents);
        }
    }

    /// <summary>The project's C# files as the SDK would list them, each admitted by the file policy.</summary>
    private static List<SourceFile> CompileItems(LoadContext context, StaticProject project)
    {
        var removed = StaticProjectReader.GlobMatcher(project.Directory, project.CompileRemoves);
        var selected = new List<SourceFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(SourceFile file)
        {
            if (file.Language == LanguageIds.CSharp && !removed(file.FullPath) && seen.Add(file.RelativePath))
            {
                selected.Add(file);
            }
        }

        if (project.EnableDefaultCompileItems)
        {
            foreach (var file in context.Files.Discovery.Files)
            {
                if (StaticProjectReader.IsInside(file.FullPath, project.Directory))
                {
                    Add(file);
                }
            }
        }

        foreach (var include in project.CompileIncludes)
        {
            if (include.AsSpan().IndexOfAny('*', '?') >= 0)
            {
                var matches = StaticProjectReader.GlobMatcher(project.Directory, [include]);
                foreach (var file in context.Files.Discovery.Files)
                {
                    if (matches(file.FullPath))
                    {
                        Add(file);
                    }
                }

                continue;
            }

            var fullPath = Path.GetFullPath(Path.Combine(project.Directory, StaticProjectReader.Normalize(include)));
            if (context.Files.Admit(fullPath, out var refused) is { } admitted)
            {
                Add(admitted);
            }
            else if (!removed(fullPath))
            {
                context.Skip(refused!);
            }
        }

        return selected;
    }

    private static IEnumerable<MetadataReference> PackageReferences(LoadContext context, StaticProject project)
    {
        var relative = RelativePath(context.Root, project.FilePath);
        var assemblies = StaticProjectReader.ReadRestoredAssemblies(project, out var problem);
        if (problem is not null)
        {
            context.Diagnostics.Add(new GraphLoadDiagnostic(GraphLoadSeverity.Warning, problem, relative));
        }

        if (assemblies is null)
        {
            if (project.PackageReferences.Count > 0)
            {
                context.Diagnostics.Add(new GraphLoadDiagnostic(GraphLoadSeverity.Warning,
                    $"Project '{project.Name}' has package references but was not restored: calls into those packages stay unresolved. Run 'dotnet restore' first for a complete graph.",
                    relative));
            }

            yield break;
        }

        foreach (var assembly in assemblies)
        {
            MetadataReference? reference = null;
            try
            {
                reference = MetadataReference.CreateFromFile(assembly);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or BadImageFormatException)
            {
                context.Diagnostics.Add(new GraphLoadDiagnostic(GraphLoadSeverity.Warning, $"Package assembly '{Path.GetFileName(assembly)}' could not be read: {ex.Message}", relative));
            }

            if (reference is not null)
            {
                yield return reference;
            }
        }
    }

    /// <summary>Projects ordered so that each comes after the projects it references; cycles are broken where met.</summary>
    private static List<StaticProject> TopologicalOrder(Dictionary<string, StaticProject> projects)
    {
        var ordered = new List<StaticProject>(projects.Count);
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: in progress, true: done
        foreach (var path in projects.Keys.Order(StringComparer.Ordinal))
        {
            Visit(path);
        }

        return ordered;

        void Visit(string path)
        {
            if (state.ContainsKey(path) || !projects.TryGetValue(path, out var project))
            {
                return;
            }

            state[path] = false;
            var stack = new Stack<(StaticProject Project, int Next)>();
            stack.Push((project, 0));
            while (stack.Count > 0)
            {
                var (current, next) = stack.Pop();
                if (next < current.ProjectReferences.Count)
                {
                    stack.Push((current, next + 1));
                    var dependency = Path.GetFullPath(Path.Combine(current.Directory, StaticProjectReader.Normalize(current.ProjectReferences[next])));
                    if (!state.ContainsKey(dependency) && projects.TryGetValue(dependency, out var dependencyProject))
                    {
                        state[dependency] = false;
                        stack.Push((dependencyProject, 0));
                    }
                }
                else
                {
                    state[current.FilePath] = true;
                    ordered.Add(current);
                }
            }
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
                context.Skip(skipped);
            }
        }

        var files = parsed.Files;
        var trees = parsed.Trees;
        var parseOptions = ParseOptions(context.Options);
        context.Report("parse", files.Count, files.Count);

        var allTrees = trees.ToList();
        if (context.Options.AdHocImplicitUsings)
        {
            allTrees.Add(GlobalUsingsTree(ImplicitGlobalUsings, parseOptions, context.CancellationToken));
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

    private static SyntaxTree GlobalUsingsTree(IEnumerable<string> namespaces, CSharpParseOptions parseOptions, CancellationToken cancellationToken)
    {
        var text = string.Concat(namespaces.Select(u => $"global using global::{u};\n"));
        return CSharpSyntaxTree.ParseText(text, parseOptions, path: "StructuralChunking.ImplicitUsings.g.cs", cancellationToken: cancellationToken);
    }

    private static CSharpParseOptions ParseOptions(CSharpGraphOptions options) =>
        new(LanguageVersion.Preview, DocumentationMode.Parse, SourceCodeKind.Regular, options.PreprocessorSymbols);

    /// <summary>Discovers a folder's C# files and parses them in parallel (the first half of an ad-hoc load).</summary>
    internal static ParsedFolder ParseFolder(string root, CSharpGraphOptions options, CancellationToken cancellationToken, IReadOnlySet<string>? exclude = null)
    {
        var discovery = SourceDiscovery.Discover(root, DiscoveryOptions(options), cancellationToken);
        var files = discovery.Files.Where(f => exclude is null || !exclude.Contains(f.RelativePath)).ToList();
        var parseOptions = ParseOptions(options);
        Func<SourceFile, CSharpParseOptions>? optionsFor = null;
        if (options.PreprocessorSymbols.Count == 0)
        {
            // Nothing was asked for: each file is parsed with the symbols of the project it belongs to.
            var nearest = new Internal.NearestProjectSymbols(root);
            var byPath = files.ToDictionary(f => f.FullPath, f => nearest.For(f.FullPath), StringComparer.Ordinal);
            optionsFor = file => byPath[file.FullPath].Count == 0 ? parseOptions : parseOptions.WithPreprocessorSymbols(byPath[file.FullPath]);
        }

        var (parsedFiles, trees, failed) = ParseFiles(files, parseOptions, options, cancellationToken, optionsFor);
        return new ParsedFolder(parsedFiles, trees, [.. discovery.Skipped, .. failed]);
    }

    private static SourceDiscoveryOptions DiscoveryOptions(CSharpGraphOptions options) => new()
    {
        MaxFileBytes = options.MaxFileBytes,
        Languages = new HashSet<string>(StringComparer.Ordinal) { LanguageIds.CSharp },
    };

    /// <summary>
    /// Reads and parses files in parallel. A file that vanished, changed into something that is not text, or nests
    /// deeper than the limit is left out with its reason; nothing here throws for one bad file.
    /// </summary>
    private static (List<SourceFile> Files, SyntaxTree[] Trees, List<SkippedPath> Skipped) ParseFiles(
        List<SourceFile> files, CSharpParseOptions parseOptions, CSharpGraphOptions options, CancellationToken cancellationToken,
        Func<SourceFile, CSharpParseOptions>? optionsFor = null)
    {
        var trees = new SyntaxTree?[files.Count];
        var problems = new SkippedPath?[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken }, i =>
        {
            var file = files[i];
            string text;
            try
            {
                text = file.ReadText();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                problems[i] = new SkippedPath(file.RelativePath, SkipReason.Changed, $"changed or vanished after discovery: {ex.Message}", IsDirectory: false);
                return;
            }

            if (text.Length > options.MaxFileBytes)
            {
                problems[i] = new SkippedPath(file.RelativePath, SkipReason.Changed, "grew past the size limit after discovery", IsDirectory: false);
                return;
            }

            if (NestingGuard.Check(text.AsSpan(), options.MaxNestingDepth) is { } tooDeep)
            {
                problems[i] = new SkippedPath(file.RelativePath, SkipReason.Pathological, tooDeep, IsDirectory: false);
                return;
            }

            try
            {
                trees[i] = CSharpSyntaxTree.ParseText(Microsoft.CodeAnalysis.Text.SourceText.From(text, System.Text.Encoding.UTF8), optionsFor?.Invoke(file) ?? parseOptions, file.FullPath, cancellationToken);
            }
            catch (InsufficientExecutionStackException)
            {
                problems[i] = new SkippedPath(file.RelativePath, SkipReason.Pathological, "nesting too deep to parse safely", IsDirectory: false);
            }
        });

        var kept = new List<SourceFile>(files.Count);
        var keptTrees = new List<SyntaxTree>(files.Count);
        var skipped = new List<SkippedPath>();
        for (var i = 0; i < files.Count; i++)
        {
            if (trees[i] is { } tree)
            {
                kept.Add(files[i]);
                keptTrees.Add(tree);
            }
            else if (problems[i] is { } problem)
            {
                skipped.Add(problem);
            }
        }

        return (kept, keptTrees.ToArray(), skipped);
    }

    internal sealed record ParsedFolder(List<SourceFile> Files, SyntaxTree[] Trees, ImmutableArray<SkippedPath> Skipped)
    {
        public int Count => Files.Count;
    }

    private static void ExtractDocuments(LoadContext context, Compilation compilation, List<(SyntaxTree Tree, string RelativePath, bool IsTest)> documents)
    {
        var results = new DocumentGraph?[documents.Count];
        var failures = new SkippedPath?[documents.Count];
        var completed = 0;
        var cache = context.Options.Cache;
        var declarations = cache is null ? string.Empty : DeclarationFingerprint.Of(compilation, context.CancellationToken);
        var typeReferences = context.Options.IncludeTypeReferences.ToString();
        Parallel.For(0, documents.Count, new ParallelOptions { MaxDegreeOfParallelism = context.Options.MaxDegreeOfParallelism, CancellationToken = context.CancellationToken }, i =>
        {
            var (tree, relative, isTest) = documents[i];
            string? textHash = null;
            // The symbols the document was parsed with (the options', its project's) decide what it contains.
            var optionsKey = typeReferences + "|" + string.Join(',', tree.Options.PreprocessorSymbolNames);
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
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
            if (context.Options.DocumentTimeout != Timeout.InfiniteTimeSpan)
            {
                deadline.CancelAfter(context.Options.DocumentTimeout);
            }

            DocumentGraph extracted;
            try
            {
                extracted = DocumentGraphExtractor.Extract(model, context.Naming, relative, traits, context.Options.IncludeTypeReferences, deadline.Token);
            }
            catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
            {
                failures[i] = new SkippedPath(relative, SkipReason.Unparsable,
                    $"binding did not finish within {context.Options.DocumentTimeout.TotalSeconds:0.###} s", IsDirectory: false);
                context.Report("graph", Interlocked.Increment(ref completed), documents.Count, relative);
                return;
            }
            catch (InsufficientExecutionStackException)
            {
                failures[i] = new SkippedPath(relative, SkipReason.Pathological, "nesting too deep to bind safely", IsDirectory: false);
                context.Report("graph", Interlocked.Increment(ref completed), documents.Count, relative);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One hostile file must not abort the load of a whole repository: it is skipped and the reason says why,
                // with the exception type so that a bug behind it can still be found.
                failures[i] = new SkippedPath(relative, SkipReason.Unparsable, $"the C# front end failed on it ({ex.GetType().Name}: {ex.Message})", IsDirectory: false);
                context.Report("graph", Interlocked.Increment(ref completed), documents.Count, relative);
                return;
            }

            results[i] = extracted;
            cache?.Set(relative, textHash!, declarations, documentKey, extracted);
            context.Report("graph", Interlocked.Increment(ref completed), documents.Count, relative);
        });

        // Merge in document order so the builder sees the same sequence on every run.
        for (var i = 0; i < documents.Count; i++)
        {
            if (results[i] is not { } result)
            {
                if (failures[i] is { } failure)
                {
                    context.Skip(failure);
                }

                continue;
            }

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
        public Dictionary<string, SkippedPath> Skipped { get; } = new(StringComparer.Ordinal);

        /// <summary>The walk of the root that decides which listed files may be used; made once, on first use.</summary>
        public SourceFileSet Files => _files ??= new SourceFileSet(SourceDiscovery.Discover(Root, DiscoveryOptions(Options), CancellationToken));

        private SourceFileSet? _files;

        /// <summary>Records a skipped file once; the first reason found stands.</summary>
        public void Skip(SkippedPath skipped) => Skipped.TryAdd(skipped.RelativePath, skipped);

        /// <summary>Reports what the walk left out, as the ad-hoc path does, so every mode tells the same story.</summary>
        public void AddDiscoverySkips()
        {
            foreach (var skipped in Files.Discovery.Skipped)
            {
                if (skipped.Reason is not (SkipReason.UnsupportedLanguage or SkipReason.LanguageNotSelected))
                {
                    Skip(skipped);
                }
            }
        }
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
