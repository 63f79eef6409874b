using System.Collections.Immutable;
using StructuralChunking.Chunking;
using StructuralChunking.Discovery;
using StructuralChunking.Graph;

namespace StructuralChunking.FrontEnds;

/// <summary>
/// Loads a code base: one discovery pass under the root (the file policy every front end obeys), then each front end on
/// the languages it claims (a language goes to the first front end that parses it, an entry point to the first that can
/// open it), merged into one graph. Used by <see cref="CodeSearchEngine"/>; usable alone when only the graph is wanted.
/// </summary>
public sealed class CodeBaseLoader
{
    private readonly ImmutableArray<ICodeFrontEnd> _frontEnds;
    private readonly SourceDiscoveryOptions _discovery;

    /// <summary>Creates a loader.</summary>
    /// <param name="frontEnds">The front ends, in priority order.</param>
    /// <param name="discovery">The file policy; <c>null</c> for the defaults.</param>
    public CodeBaseLoader(IEnumerable<ICodeFrontEnd> frontEnds, SourceDiscoveryOptions? discovery = null)
    {
        ArgumentNullException.ThrowIfNull(frontEnds);
        _frontEnds = [.. frontEnds];
        _discovery = discovery ?? new SourceDiscoveryOptions();
        _discovery.Validate();
    }

    /// <summary>Loads a folder, or a solution or project file a front end can open.</summary>
    /// <param name="path">A folder, or a solution or project file.</param>
    /// <param name="progress">Receives progress; may be <c>null</c>.</param>
    /// <param name="cancellationToken">Stops the load.</param>
    /// <exception cref="ArgumentException">The path does not exist, or no front end can open it.</exception>
    public Task<CodeBase> LoadAsync(string path, IProgress<IndexingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var (entry, root) = Resolve(path);
        progress?.Report(new IndexingProgress(IndexingStage.Discovering, 0, 0));
        var discovery = SourceDiscovery.Discover(root, _discovery, cancellationToken);
        return LoadAsync(entry, root, discovery, statePathPrefix: null, progress, cancellationToken);
    }

    internal async Task<CodeBase> LoadAsync(string? entry, string root, SourceDiscoveryResult discovery, string? statePathPrefix,
        IProgress<IndexingProgress>? progress, CancellationToken cancellationToken)
    {
        var discovered = discovery.Files.GroupBy(f => f.Language, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var entryTaken = false;
        var results = ImmutableArray.CreateBuilder<FrontEndResult>();
        var builder = new CodeGraphBuilder();
        foreach (var frontEnd in _frontEnds)
        {
            var languages = frontEnd.Languages.Where(l => discovered.ContainsKey(l) && !claimed.Contains(l)).ToHashSet(StringComparer.Ordinal);
            var opensEntry = entry is not null && !entryTaken && frontEnd.CanOpen(entry);
            if (languages.Count == 0 && !opensEntry)
            {
                continue;
            }

            claimed.UnionWith(languages);
            entryTaken |= opensEntry;
            var request = new FrontEndRequest
            {
                Root = root,
                EntryPoint = opensEntry ? entry : null,
                Files = languages.SelectMany(l => discovered[l]).OrderBy(f => f.RelativePath, StringComparer.Ordinal).ToList(),
                Languages = languages,
                MaxFileBytes = _discovery.MaxFileBytes,
                StatePath = statePathPrefix is null ? null : StatePath(statePathPrefix, frontEnd.Name),
            };
            var frontEndProgress = progress is null
                ? null
                : new SyncProgress<GraphBuildProgress>(p => progress.Report(new IndexingProgress(IndexingStage.Parsing, p.Completed, p.Total, $"{frontEnd.Name} {p.Stage}")));
            var result = await frontEnd.LoadAsync(request, frontEndProgress, cancellationToken).ConfigureAwait(false);
            builder.AddGraph(result.Graph);
            results.Add(result);
        }

        if (entry is not null && !entryTaken)
        {
            throw new ArgumentException($"No front end can open '{entry}'. Add one that can (the C# front end opens .sln, .slnx and .csproj files), or give a folder.", nameof(entry));
        }

        var graph = builder.Build();
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in discovery.Files)
        {
            files[file.RelativePath] = file.Language;
        }

        // A project can compile files discovery did not list (linked from elsewhere under the root).
        foreach (var symbol in graph.Symbols)
        {
            if (symbol.Path is { } symbolPath && (symbol.Traits & SymbolTraits.Generated) == 0 && !symbolPath.StartsWith("../", StringComparison.Ordinal))
            {
                files.TryAdd(symbolPath, symbol.Language);
            }
        }

        // A file a front end refused (nested too deep, changed during the run, unparsable) is not chunked as plain text either.
        foreach (var refused in results.SelectMany(r => r.SkippedFiles))
        {
            files.Remove(refused.RelativePath);
        }

        return new CodeBase
        {
            Root = root,
            EntryPoint = entry,
            Graph = graph,
            Files = [.. files.Select(f => new ChunkSourceFile(f.Key, f.Value))],
            Discovery = discovery,
            FrontEnds = results.ToImmutable(),
        };
    }

    internal static (string? Entry, string Root) Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return (null, Path.TrimEndingDirectorySeparator(full));
        }

        if (File.Exists(full))
        {
            return (full, Path.GetDirectoryName(full)!);
        }

        throw new ArgumentException($"'{path}' does not exist. Give a solution or project file, or a folder.", nameof(path));
    }

    /// <summary>Where a front end keeps its state next to an index (the C# cache keeps its historical name, <c>index.scidx.csharp-cache</c>).</summary>
    internal static string StatePath(string indexPath, string frontEnd) => $"{indexPath}.{frontEnd}-cache";
}
