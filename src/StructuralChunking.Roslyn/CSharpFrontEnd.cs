using StructuralChunking.Discovery;
using StructuralChunking.FrontEnds;
using StructuralChunking.Graph;

namespace StructuralChunking.Roslyn;

/// <summary>
/// The C# front end for <see cref="CodeSearchEngine"/>: opens <c>.sln</c>, <c>.slnx</c> and <c>.csproj</c> entry points
/// and parses the <c>.cs</c> files of a folder, with Roslyn's semantic model (see <see cref="CSharpGraphLoader"/>).
/// Project files are read as data unless <see cref="CSharpGraphOptions.TrustProjectBuild"/> is set: nothing from the
/// repository runs by default.
/// Keeps a per-document cache next to the index, so unchanged documents are not bound again.
/// </summary>
public sealed class CSharpFrontEnd : ICodeFrontEnd
{
    private static readonly IReadOnlySet<string> CSharpOnly = new HashSet<string>(StringComparer.Ordinal) { LanguageIds.CSharp };

    /// <summary>Creates the front end.</summary>
    /// <param name="options">
    /// Loader options; <c>null</c> for the defaults. <see cref="CSharpGraphOptions.MaxFileBytes"/> and
    /// <see cref="CSharpGraphOptions.Cache"/> are set by the engine for each load.
    /// </param>
    public CSharpFrontEnd(CSharpGraphOptions? options = null)
    {
        Options = options ?? new CSharpGraphOptions();
        Options.Validate();
    }

    /// <summary>The loader options.</summary>
    public CSharpGraphOptions Options { get; }

    /// <inheritdoc />
    public string Name => "csharp";

    /// <inheritdoc />
    public string Description => $"csharp trust-build={Options.TrustProjectBuild}";

    /// <inheritdoc />
    public IReadOnlySet<string> Languages => CSharpOnly;

    /// <inheritdoc />
    public bool CanOpen(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.EndsWith(".sln", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".slnx", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase);
    }

    /// <inheritdoc />
    public async Task<FrontEndResult> LoadAsync(FrontEndRequest request, IProgress<GraphBuildProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var diagnostics = new List<GraphLoadDiagnostic>();
        CSharpGraphCache? cache = null;
        if (request.StatePath is { } statePath)
        {
            cache = CSharpGraphCache.Load(statePath, out var problem);
            if (problem is not null)
            {
                diagnostics.Add(new GraphLoadDiagnostic(GraphLoadSeverity.Warning, problem));
            }
        }

        var options = new CSharpGraphOptions
        {
            MaxFileBytes = request.MaxFileBytes,
            FallBackToAdHoc = Options.FallBackToAdHoc,
            PreprocessorSymbols = Options.PreprocessorSymbols,
            AdHocImplicitUsings = Options.AdHocImplicitUsings,
            IncludeTypeReferences = Options.IncludeTypeReferences,
            MaxDegreeOfParallelism = Options.MaxDegreeOfParallelism,
            TrustProjectBuild = Options.TrustProjectBuild,
            MaxNestingDepth = Options.MaxNestingDepth,
            DocumentTimeout = Options.DocumentTimeout,
            Cache = cache,
        };
        var result = await CSharpGraphLoader.LoadAsync(request.EntryPoint ?? request.Root, options, progress, cancellationToken).ConfigureAwait(false);
        diagnostics.AddRange(result.Diagnostics);
        return new FrontEndResult
        {
            FrontEnd = Name,
            Graph = result.Graph,
            DocumentCount = result.DocumentCount,
            ReusedDocumentCount = result.ReusedDocumentCount,
            Diagnostics = [.. diagnostics],
            SkippedFiles = result.SkippedFiles,
            State = cache is null ? null : new CacheState(cache),
            Details = result,
        };
    }

    private sealed class CacheState(CSharpGraphCache cache) : IFrontEndState
    {
        public void Save(string path) => cache.Save(path);
    }
}
