using System.Collections.Frozen;
using StructuralChunking.Graph;
using StructuralChunking.Search;

namespace StructuralChunking.Indexing;

/// <summary>Issue reports as queries: the report's code evidence resolved against the index, and long-query windows.</summary>
public sealed partial class CodeIndex
{
    private FileTable? _files;

    /// <summary>The indexed files and the first chunk of each of their definitions, built on first use.</summary>
    private FileTable Files => _files ??= FileTable.Build(_records);

    /// <summary>The distinct paths of the indexed files, ordinal order.</summary>
    public IReadOnlyList<string> FilePaths => Files.Paths;

    /// <summary>
    /// The indexed files a path written in a report refers to: the files whose trailing path segments match the most of
    /// its own (at least two, or all of the shorter path). <c>/usr/lib/python3/site-packages/shop/models.py</c> and
    /// <c>models.py</c> both find <c>src/shop/models.py</c>; a framework file that only shares a file name with one of
    /// ours does not. Empty when nothing matches.
    /// </summary>
    public IReadOnlyList<string> ResolvePath(string writtenPath)
    {
        ArgumentNullException.ThrowIfNull(writtenPath);
        return Files.Resolve(writtenPath);
    }

    /// <summary>
    /// The ranked evidence lists of a report: definitions named by stack frames (ours only, closest to the error first),
    /// definitions named by qualified names, and the chunks of the files the report names.
    /// </summary>
    internal ReportLists ReportEvidence(QueryAnalysis analysis, Func<int, bool>? filter, Func<int, float> dense)
    {
        var files = Files;
        var frames = new List<ScoredItem>();
        var seen = new HashSet<int>();
        var mentionedFiles = new HashSet<string>(StringComparer.Ordinal);
        var frameRank = 0f;
        foreach (var frame in analysis.Frames.OrderBy(f => f.Order))
        {
            var resolved = frame.Path is null ? [] : files.Resolve(frame.Path);
            foreach (var path in resolved)
            {
                mentionedFiles.Add(path);
            }

            var definition = FrameDefinition(frame, resolved, files);
            if (definition >= 0 && (filter is null || filter(definition)) && seen.Add(definition))
            {
                // Frames keep their order (closest to the error first): a descending pseudo-score.
                frames.Add(new ScoredItem(definition, -frameRank++));
            }
        }

        var names = new List<ScoredItem>();
        foreach (var name in analysis.QualifiedNames)
        {
            var parts = QueryAnalyzer.NameParts(name);
            if (parts.Count < 2)
            {
                continue;
            }

            // A module path (shop.models, shop/models) names a file.
            var modulePath = string.Join('/', parts);
            foreach (var path in files.ResolveModule(modulePath))
            {
                mentionedFiles.Add(path);
            }

            // Type.Member names the member's chunk; a member embedded with its type (a small class is one chunk) is
            // found through the type.
            var found = false;
            foreach (var (member, container) in new[] { (parts[^1], parts[^2]), (parts[^2], parts.Count > 2 ? parts[^3] : null) })
            {
                if (found || !BySymbolName.TryGetValue(member, out var ordinals))
                {
                    continue;
                }

                foreach (var ordinal in ordinals)
                {
                    var symbol = _records.SymbolName(ordinal)!;
                    var matches = container is null
                        ? symbol == member || symbol.EndsWith("." + member, StringComparison.Ordinal)
                        : symbol == container + "." + member || symbol.EndsWith("." + container + "." + member, StringComparison.Ordinal);
                    if (matches && (filter is null || filter(ordinal)))
                    {
                        found = true;
                        if (seen.Add(ordinal))
                        {
                            names.Add(new ScoredItem(ordinal, dense(ordinal)));
                        }
                    }
                }
            }
        }

        foreach (var written in analysis.Paths)
        {
            foreach (var path in files.Resolve(written))
            {
                mentionedFiles.Add(path);
            }
        }

        names.Sort(static (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.Ordinal.CompareTo(b.Ordinal));
        var fileChunks = new List<ScoredItem>();
        foreach (var path in mentionedFiles)
        {
            foreach (var ordinal in files.Chunks(path))
            {
                if (filter is null || filter(ordinal))
                {
                    fileChunks.Add(new ScoredItem(ordinal, dense(ordinal)));
                }
            }
        }

        fileChunks.Sort(static (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.Ordinal.CompareTo(b.Ordinal));
        return new ReportLists(frames, names, fileChunks, mentionedFiles);
    }

    /// <summary>
    /// Ranks distinct files for <paramref name="query"/>: the definitions a search finds are grouped by file, and each
    /// file scores by all of its results, not only the best (see <see cref="SearchOptions.FileScoreDecay"/>). Each file
    /// comes with its best results as reasons. <see cref="SearchOptions.Top"/> is the number of files.
    /// </summary>
    /// <exception cref="IndexModelMismatchException">The embedder is not the model the index was built with.</exception>
    public async Task<IReadOnlyList<FileSearchResult>> SearchFilesAsync(string query, Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>> embedder,
        SearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(embedder);
        options ??= new SearchOptions();
        options.Validate();
        var (vectors, analysis) = await EmbedQueryAsync(query, embedder, options, cancellationToken).ConfigureAwait(false);
        return SearchFiles(query, vectors, analysis, options);
    }

    /// <summary>File-level search with an already embedded query (<paramref name="queryVector"/> may be empty in lexical mode).</summary>
    public IReadOnlyList<FileSearchResult> SearchFiles(string query, ReadOnlySpan<float> queryVector, SearchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        options ??= new SearchOptions();
        options.Validate();
        return SearchFiles(query, queryVector.IsEmpty ? null : [queryVector.ToArray()], Analyze(query, options), options);
    }

    private List<FileSearchResult> SearchFiles(string query, float[][]? vectors, QueryAnalysis? analysis, SearchOptions options)
    {
        // Enough definitions that the files after the first few still have their evidence counted.
        var definitions = Search(query, vectors?[0], options, vectors, analysis, Math.Max(100, options.Top * 10));
        var named = analysis is null ? null : ReportEvidence(analysis, null, static _ => 0f).MentionedFiles;
        // Scores count above the last definition's: fused scores are compressed (1/61 against 1/90), and a file's many
        // barely-matching definitions should not add up to one clear match.
        var floor = definitions.Count == 0 ? 0 : definitions[^1].Score;
        var files = new Dictionary<string, (double Score, List<SearchResult> Results)>(StringComparer.Ordinal);
        foreach (var result in definitions)
        {
            if (!files.TryGetValue(result.Path, out var file))
            {
                file = (0, []);
            }

            file.Score += (result.Score - floor) * Math.Pow(options.FileScoreDecay, file.Results.Count);
            file.Results.Add(result);
            files[result.Path] = file;
        }

        var ranked = files.OrderByDescending(f => f.Value.Score).ThenBy(f => f.Value.Results[0].Rank).Take(options.Top).ToList();
        var answers = new List<FileSearchResult>(ranked.Count);
        foreach (var (path, (score, results)) in ranked)
        {
            answers.Add(new FileSearchResult
            {
                Rank = answers.Count + 1,
                Path = path,
                Score = (float)score,
                Reasons = results.Take(3).ToList(),
                Named = named?.Contains(path) == true,
            });
        }

        return answers;
    }

    /// <summary>The chunk of the definition a frame names, or -1 (a framework frame, or one we cannot place).</summary>
    private int FrameDefinition(StackFrame frame, List<string> resolvedFiles, FileTable files)
    {
        var simple = frame.SimpleFunction;
        var best = -1;
        var bestQuality = 0;
        foreach (var path in resolvedFiles)
        {
            foreach (var ordinal in files.Chunks(path))
            {
                var chunk = _records[ordinal];
                var span = GroupSpan(ordinal);
                var contains = frame.Line is { } line && span.Start <= line && line <= span.End;
                var named = simple is not null && chunk.SymbolName is { } symbol && SimpleName(symbol) == simple;

                // The name says which definition; the line only breaks ties, as the report may be from another version.
                var quality = (named ? 4 : 0) + (contains ? 2 : 0) + (contains && chunk.SymbolKind.IsCallable() ? 1 : 0);
                if (quality > bestQuality || (quality == bestQuality && quality > 0 && contains && best >= 0 && SpanLength(ordinal) < SpanLength(best)))
                {
                    best = ordinal;
                    bestQuality = quality;
                }
            }
        }

        if (best >= 0 || simple is null || resolvedFiles.Count > 0 || frame.Format == StackTraceFormat.Python)
        {
            return best;
        }

        // No file to go by (a release build's .NET frame, a bundled script): a qualified name, type and member, places it.
        var type = frame.TypeName;
        if (type is null || !BySymbolName.TryGetValue(simple, out var candidates))
        {
            return -1;
        }

        var suffix = type + "." + simple;
        foreach (var ordinal in candidates)
        {
            var symbol = _records.SymbolName(ordinal)!;
            if (symbol == suffix || symbol.EndsWith("." + suffix, StringComparison.Ordinal))
            {
                return ordinal;
            }
        }

        return -1;
    }

    private int SpanLength(int ordinal)
    {
        var span = GroupSpan(ordinal);
        return span.End - span.Start;
    }

    /// <summary>The dense list of a long query: each window searched on its own, then fused.</summary>
    private List<ScoredItem> WindowedDense(float[][] windows, int pool, Func<int, bool>? filter, LongQueryFusion fusion)
    {
        if (fusion == LongQueryFusion.Mean)
        {
            var mean = new float[windows[0].Length];
            foreach (var window in windows)
            {
                var norm = System.Numerics.Tensors.TensorPrimitives.Norm(window);
                if (norm > 0)
                {
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(window, 1f / norm, mean, mean);
                }
            }

            return Vectors.Search(mean, pool, float.NegativeInfinity, filter);
        }

        var fused = new Dictionary<int, float>();
        foreach (var window in windows)
        {
            var list = Vectors.Search(window, pool, float.NegativeInfinity, filter);
            for (var rank = 0; rank < list.Count; rank++)
            {
                var item = list[rank];
                var value = fusion == LongQueryFusion.Max ? item.Score : 1f / (RrfK + rank + 1);
                fused[item.Ordinal] = fusion == LongQueryFusion.Max
                    ? Math.Max(fused.GetValueOrDefault(item.Ordinal, float.NegativeInfinity), value)
                    : fused.GetValueOrDefault(item.Ordinal) + value;
            }
        }

        var result = fused.Select(p => new ScoredItem(p.Key, p.Value)).ToList();
        result.Sort(static (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.Ordinal.CompareTo(b.Ordinal));
        if (result.Count > pool)
        {
            result.RemoveRange(pool, result.Count - pool);
        }

        if (fusion == LongQueryFusion.Rrf)
        {
            // The list is ranked by fusion; its scores must still be cosines, which the threshold and confidence read.
            for (var i = 0; i < result.Count; i++)
            {
                var best = float.NegativeInfinity;
                foreach (var window in windows)
                {
                    best = Math.Max(best, TensorDot(window, result[i].Ordinal));
                }

                result[i] = new ScoredItem(result[i].Ordinal, best);
            }
        }

        return result;
    }

    /// <summary>What a report points at, as ranked lists of chunk ordinals.</summary>
    internal sealed record ReportLists(List<ScoredItem> Frames, List<ScoredItem> Names, List<ScoredItem> FileChunks, IReadOnlySet<string> MentionedFiles);

    /// <summary>Paths, and the chunks of each path, with a lookup by file name.</summary>
    private sealed class FileTable
    {
        private readonly FrozenDictionary<string, int[]> _chunksByPath;
        private readonly FrozenDictionary<string, string[]> _byFileName;

        private FileTable(List<string> paths, FrozenDictionary<string, int[]> chunksByPath, FrozenDictionary<string, string[]> byFileName)
        {
            Paths = paths;
            _chunksByPath = chunksByPath;
            _byFileName = byFileName;
        }

        public IReadOnlyList<string> Paths { get; }

        public static FileTable Build(ChunkRecords chunks)
        {
            var byPath = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            var firstOfGroup = new HashSet<int>();
            for (var i = 0; i < chunks.Count; i++)
            {
                var path = chunks.Path(i);
                if (!byPath.TryGetValue(path, out var list))
                {
                    byPath[path] = list = [];
                }

                if (firstOfGroup.Add(chunks.GroupHead(i)))
                {
                    list.Add(i);
                }
            }

            var paths = byPath.Keys.Order(StringComparer.Ordinal).ToList();
            var byName = paths.GroupBy(p => FileName(p), StringComparer.OrdinalIgnoreCase)
                .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.OrdinalIgnoreCase);
            return new FileTable(paths, byPath.ToFrozenDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal), byName);
        }

        public int[] Chunks(string path) => _chunksByPath.TryGetValue(path, out var ordinals) ? ordinals : [];

        public List<string> Resolve(string written)
        {
            var segments = Segments(written);
            if (segments.Length == 0 || !_byFileName.TryGetValue(segments[^1], out var candidates))
            {
                return [];
            }

            return BestBySuffix(segments, candidates, static p => Segments(p));
        }

        /// <summary>Files whose path without its extension ends with the module path (<c>shop/models</c> → <c>src/shop/models.py</c>).</summary>
        public List<string> ResolveModule(string modulePath)
        {
            var segments = Segments(modulePath);
            if (segments.Length < 2)
            {
                return [];
            }

            var matches = new List<string>();
            foreach (var path in Paths)
            {
                var dot = path.LastIndexOf('.');
                var stem = dot > path.LastIndexOf('/') ? path[..dot] : path;
                if (stem.EndsWith(modulePath, StringComparison.Ordinal) && (stem.Length == modulePath.Length || stem[^(modulePath.Length + 1)] == '/'))
                {
                    matches.Add(path);
                }
            }

            return matches.Count <= 3 ? matches : [];
        }

        private static List<string> BestBySuffix(string[] segments, string[] candidates, Func<string, string[]> split)
        {
            var best = new List<string>();
            var bestCount = 0;
            foreach (var candidate in candidates)
            {
                var own = split(candidate);
                var count = 0;
                while (count < segments.Length && count < own.Length
                    && string.Equals(segments[^(count + 1)], own[^(count + 1)], StringComparison.OrdinalIgnoreCase))
                {
                    count++;
                }

                var needed = Math.Min(2, Math.Min(segments.Length, own.Length));
                if (count < needed)
                {
                    continue;
                }

                if (count > bestCount)
                {
                    best.Clear();
                    bestCount = count;
                }

                if (count == bestCount)
                {
                    best.Add(candidate);
                }
            }

            return best;
        }

        private static string[] Segments(string path) => path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);

        private static string FileName(string path)
        {
            var slash = path.Replace('\\', '/').LastIndexOf('/');
            return slash >= 0 ? path[(slash + 1)..] : path;
        }
    }
}
