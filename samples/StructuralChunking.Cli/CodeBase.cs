using StructuralChunking.Chunking;
using StructuralChunking.Discovery;
using StructuralChunking.Graph;
using StructuralChunking.Roslyn;

namespace StructuralChunking.Cli;

/// <summary>A code base loaded for the CLI: its graph, its root and the files to chunk.</summary>
internal sealed record CodeBase(string Root, CodeGraph Graph, IReadOnlyList<ChunkSourceFile> Files, CSharpGraphResult? CSharp, SourceDiscoveryResult Discovery)
{
    /// <summary>
    /// Loads PATH: C# through the Roslyn front end (solution, project or folder), and every source file of the root
    /// folder through discovery, so languages without a front end yet are still chunked (as file-level code).
    /// </summary>
    public static async Task<CodeBase> LoadAsync(string path, long maxFileBytes, CancellationToken cancellationToken)
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

        CSharpGraphResult? csharp = null;
        var hasCSharp = File.Exists(full) || discovery.Files.Any(f => f.Language == LanguageIds.CSharp);
        if (hasCSharp)
        {
            try
            {
                csharp = await CSharpGraphLoader.LoadAsync(full, new CSharpGraphOptions { MaxFileBytes = maxFileBytes }, progress: null, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                throw new CliUserException(ex.Message);
            }
        }

        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in discovery.Files)
        {
            files[file.RelativePath] = file.Language;
        }

        if (csharp is not null)
        {
            foreach (var symbol in csharp.Graph.Symbols)
            {
                if (symbol.Path is { } symbolPath && (symbol.Traits & SymbolTraits.Generated) == 0 && !symbolPath.StartsWith("../", StringComparison.Ordinal))
                {
                    files.TryAdd(symbolPath, symbol.Language);
                }
            }
        }

        return new CodeBase(root, csharp?.Graph ?? CodeGraph.Empty, files.Select(f => new ChunkSourceFile(f.Key, f.Value)).ToList(), csharp, discovery);
    }
}
