using System.Collections.Frozen;
using StructuralChunking.FrontEnds;
using StructuralChunking.Graph;

namespace StructuralChunking.TreeSitter;

/// <summary>
/// The tree-sitter front end for <see cref="CodeSearchEngine"/>: Python, JavaScript, TypeScript/TSX, Go, Java, Rust, C,
/// C++, Ruby and PHP (and C# when no Roslyn front end comes before it), through <see cref="TreeSitterGraphLoader"/>.
/// Where the native library cannot load, it reports an error diagnostic and its files are chunked without structure.
/// </summary>
public sealed class TreeSitterFrontEnd : ICodeFrontEnd
{
    private static readonly IReadOnlySet<string> Supported = TreeSitterLanguages.SupportedLanguages.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Creates the front end.</summary>
    /// <param name="options">
    /// Loader options; <c>null</c> for the defaults. <see cref="TreeSitterGraphOptions.Languages"/> and
    /// <see cref="TreeSitterGraphOptions.MaxFileBytes"/> are set by the engine for each load.
    /// </param>
    public TreeSitterFrontEnd(TreeSitterGraphOptions? options = null)
    {
        Options = options ?? new TreeSitterGraphOptions();
        Options.Validate();
    }

    /// <summary>The loader options.</summary>
    public TreeSitterGraphOptions Options { get; }

    /// <inheritdoc />
    public string Name => "tree-sitter";

    /// <inheritdoc />
    public string Description => "tree-sitter";

    /// <inheritdoc />
    public IReadOnlySet<string> Languages => Supported;

    /// <inheritdoc />
    public bool CanOpen(string path) => false;

    /// <inheritdoc />
    public async Task<FrontEndResult> LoadAsync(FrontEndRequest request, IProgress<GraphBuildProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = new TreeSitterGraphOptions
        {
            Languages = request.Languages,
            MaxFileBytes = request.MaxFileBytes,
            FileTimeout = Options.FileTimeout,
            AmbiguousCallLimit = Options.AmbiguousCallLimit,
            RespectGitIgnore = Options.RespectGitIgnore,
            MaxDegreeOfParallelism = Options.MaxDegreeOfParallelism,
        };
        try
        {
            var result = await TreeSitterGraphLoader.LoadAsync(request.Root, options, progress, cancellationToken).ConfigureAwait(false);
            return new FrontEndResult
            {
                FrontEnd = Name,
                Graph = result.Graph,
                DocumentCount = result.DocumentCount,
                Diagnostics = result.Diagnostics,
                SkippedFiles = result.SkippedFiles,
                Details = result,
            };
        }
        catch (Exception ex) when (ex is PlatformNotSupportedException or DllNotFoundException or BadImageFormatException)
        {
            return FrontEndResult.Unavailable(Name,
                $"{ex.Message} Files in {string.Join(", ", request.Languages.Order(StringComparer.Ordinal))} are chunked without structure.");
        }
    }
}
