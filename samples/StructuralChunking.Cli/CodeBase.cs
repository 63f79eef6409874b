using StructuralChunking.Chunking;
using StructuralChunking.Discovery;
using StructuralChunking.Graph;
using StructuralChunking.Roslyn;
using StructuralChunking.TreeSitter;

namespace StructuralChunking.Cli;

/// <summary>A code base loaded for the CLI: one graph over every language, its root and the files to chunk.</summary>
internal sealed record CodeBase(
    string Root,
    CodeGraph Graph,
    IReadOnlyList<ChunkSourceFile> Files,
    CSharpGraphResult? CSharp,
    TreeSitterGraphResult? TreeSitter,
    SourceDiscoveryResult Discovery)
{
    /// <summary>Every path left out by discovery or a front end, once each (the first reason found), by path.</summary>
    public IReadOnlyList<SkippedPath> Skipped { get; } = Discovery.Skipped
        .Concat(CSharp?.SkippedFiles ?? []).Concat(TreeSitter?.SkippedFiles ?? [])
        .DistinctBy(static s => s.RelativePath, StringComparer.Ordinal)
        .OrderBy(static s => s.RelativePath, StringComparer.Ordinal).ToList();

    /// <summary>
    /// Loads PATH: C# through Roslyn (solution, project, or the folder's .cs files), every other supported language
    /// through tree-sitter, merged into one graph. Files of languages without a working front end are still chunked
    /// (as file-level code).
    /// </summary>
    /// <param name="path">A .sln, .slnx or .csproj file, or a folder.</param>
    /// <param name="maxFileBytes">Larger files are skipped.</param>
    /// <param name="csharpCache">Per-document C# results of an earlier load, reused where nothing they depend on changed.</param>
    /// <param name="cancellationToken">Stops the load.</param>
    /// <param name="trustBuild">Open C# solutions and projects with MSBuild, running their targets (see <see cref="CSharpGraphOptions.TrustProjectBuild"/>).</param>
    public static async Task<CodeBase> LoadAsync(string path, long maxFileBytes, CancellationToken cancellationToken, CSharpGraphCache? csharpCache = null, bool trustBuild = false)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new CliUserException($"'{path}' does not exist. Pass a .sln, .slnx or .csproj file, or a folder.");
        }

        var full = Path.GetFullPath(path);
        var root = Directory.Exists(full) ? full : Path.GetDirectoryName(full)!;
        SourceDiscoveryResult discovery;
        try
        {
            discovery = SourceDiscovery.Discover(root, new SourceDiscoveryOptions { MaxFileBytes = maxFileBytes }, cancellationToken);
        }
        catch (ArgumentException ex)
        {
            throw new CliUserException(ex.Message);
        }

        var builder = new CodeGraphBuilder();
        CSharpGraphResult? csharp = null;
        if (File.Exists(full) || discovery.Files.Any(f => f.Language == LanguageIds.CSharp))
        {
            try
            {
                csharp = await CSharpGraphLoader.LoadAsync(full, new CSharpGraphOptions { MaxFileBytes = maxFileBytes, Cache = csharpCache, TrustProjectBuild = trustBuild }, progress: null, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                throw new CliUserException(ex.Message);
            }

            builder.AddGraph(csharp.Graph);
        }

        TreeSitterGraphResult? treeSitter = null;
        var otherLanguages = discovery.Files.Select(f => f.Language)
            .Where(l => l != LanguageIds.CSharp && TreeSitterGraphOptions.DefaultLanguages.Contains(l))
            .ToHashSet(StringComparer.Ordinal);
        if (otherLanguages.Count > 0)
        {
            try
            {
                treeSitter = await TreeSitterGraphLoader.LoadAsync(root, new TreeSitterGraphOptions { Languages = otherLanguages, MaxFileBytes = maxFileBytes }, progress: null, cancellationToken).ConfigureAwait(false);
                builder.AddGraph(treeSitter.Graph);
            }
            catch (Exception ex) when (ex is PlatformNotSupportedException or DllNotFoundException)
            {
                // Without the native library, those files are still chunked as file-level code; say so once.
                await Console.Error.WriteLineAsync($"warning: {ex.Message} Files in {string.Join(", ", otherLanguages.Order(StringComparer.Ordinal))} are chunked without structure.").ConfigureAwait(false);
            }
        }

        var graph = builder.Build();
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in discovery.Files)
        {
            files[file.RelativePath] = file.Language;
        }

        foreach (var symbol in graph.Symbols)
        {
            if (symbol.Path is { } symbolPath && (symbol.Traits & SymbolTraits.Generated) == 0 && !symbolPath.StartsWith("../", StringComparison.Ordinal))
            {
                files.TryAdd(symbolPath, symbol.Language);
            }
        }

        // A file a front end refused (too deep, changed, unparsable) is not chunked as plain text either.
        foreach (var refused in (csharp?.SkippedFiles ?? []).Concat(treeSitter?.SkippedFiles ?? []))
        {
            files.Remove(refused.RelativePath);
        }

        return new CodeBase(root, graph, files.Select(f => new ChunkSourceFile(f.Key, f.Value)).ToList(), csharp, treeSitter, discovery);
    }
}
