using Microsoft.Extensions.AI;
using StructuralChunking.Identifiers;
using StructuralChunking.Indexing;
using StructuralChunking.Search;

namespace StructuralChunking.Evaluation;

/// <summary>How one query fared at file level: where its first relevant file ranked, and how many of its functions were found.</summary>
/// <param name="Id">The query id.</param>
/// <param name="FileRank">1-based rank of the first relevant file among distinct files (within the top 10), or <c>null</c>.</param>
/// <param name="AllFilesRank">Rank by which every relevant file had appeared (within the top 10), or <c>null</c>.</param>
/// <param name="FunctionsFound">Relevant definitions found in the top 10 definition-level results.</param>
/// <param name="Functions">Relevant definitions.</param>
/// <param name="TopFiles">The first five files returned.</param>
public sealed record FileLevelQueryResult(string Id, int? FileRank, int? AllFilesRank, int FunctionsFound, int Functions, IReadOnlyList<string> TopFiles);

/// <summary>
/// File-level figures of a query set: Acc@k (a relevant file among the first k distinct files), the stricter
/// all-files Acc@k, and function-level Recall@10 (the share of each query's relevant definitions among its top 10
/// definition-level results, averaged over queries).
/// </summary>
/// <param name="Queries">Positive queries measured.</param>
/// <param name="Acc1">Share with a relevant file first.</param>
/// <param name="Acc5">Share with a relevant file in the first five files.</param>
/// <param name="Acc10">Share with a relevant file in the first ten files.</param>
/// <param name="AllAcc5">Share with every relevant file in the first five files.</param>
/// <param name="FunctionRecall10">Mean share of relevant definitions in the top 10 results (<c>null</c> when not measured).</param>
/// <param name="PerQuery">Each query's outcome.</param>
public sealed record FileLevelReport(int Queries, double Acc1, double Acc5, double Acc10, double AllAcc5, double? FunctionRecall10, IReadOnlyList<FileLevelQueryResult> PerQuery);

/// <summary>
/// Measures file-level answers (<see cref="CodeIndex.SearchFilesAsync"/>) on a query set whose relevant locations are
/// the functions a fix changed, and the baseline the literature compares against: BM25 over whole files.
/// </summary>
public static class FileLevelEvaluation
{
    /// <summary>Runs every positive query as a file-level and a definition-level search and scores both.</summary>
    public static async Task<FileLevelReport> RunAsync(CodeIndex index, IReadOnlyList<EvalQuery> queries, IEmbeddingGenerator<string, Embedding<float>> embedder,
        SearchOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(options);
        var outcomes = new List<FileLevelQueryResult>();
        foreach (var query in queries.Where(q => !q.IsNegative))
        {
            var files = await index.SearchFilesAsync(query.Query, embedder, options, cancellationToken).ConfigureAwait(false);
            var definitions = await index.SearchAsync(query.Query, embedder, options, cancellationToken).ConfigureAwait(false);
            var found = query.Relevant.Count(r => definitions.Take(10).Any(d => RetrievalEvaluator.SamePath(d.Path, r.Path) && d.StartLine <= r.Line && r.Line <= d.EndLine));
            outcomes.Add(Score(query, files.Select(f => f.Path).ToList(), found));
        }

        return Summarize(outcomes, functionLevel: true);
    }

    /// <summary>
    /// The baseline: BM25 over whole files (every identifier of a file, whole and split into words, as one document),
    /// queried with the whole query text split the same way.
    /// </summary>
    /// <param name="root">The folder the index's paths are relative to.</param>
    /// <param name="paths">The files to rank (typically <see cref="CodeIndex.FilePaths"/>).</param>
    /// <param name="queries">The query set.</param>
    public static FileLevelReport RunWholeFileBm25(string root, IReadOnlyList<string> paths, IReadOnlyList<EvalQuery> queries)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(queries);
        var documents = new List<string>(paths.Count);
        foreach (var path in paths)
        {
            var full = Path.Combine(root, path);
            documents.Add(File.Exists(full) ? WholeFileTerms(File.ReadAllText(full)) : string.Empty);
        }

        var bm25 = Bm25Index.Build(documents);
        var outcomes = new List<FileLevelQueryResult>();
        foreach (var query in queries.Where(q => !q.IsNegative))
        {
            var ranked = bm25.Search(query.Query, 10).Select(s => paths[s.Ordinal]).ToList();
            outcomes.Add(Score(query, ranked, 0));
        }

        return Summarize(outcomes, functionLevel: false);
    }

    /// <summary>A file's BM25 document: each identifier lower-cased whole, then its words.</summary>
    internal static string WholeFileTerms(string text)
    {
        var terms = new System.Text.StringBuilder(text.Length);
        var words = new List<string>();
        foreach (var range in IdentifierSplitter.EnumerateIdentifiers(text))
        {
            var token = text.AsSpan()[range];
            terms.Append(token.ToString().ToLowerInvariant()).Append(' ');
            words.Clear();
            IdentifierSplitter.Split(token, words);
            if (words.Count > 1)
            {
                foreach (var word in words)
                {
                    terms.Append(word).Append(' ');
                }
            }
        }

        return terms.ToString();
    }

    private static FileLevelQueryResult Score(EvalQuery query, List<string> rankedFiles, int functionsFound)
    {
        var relevantFiles = query.Relevant.Select(r => r.Path).Distinct(StringComparer.Ordinal).ToList();
        int? first = null;
        int? all = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Math.Min(10, rankedFiles.Count); i++)
        {
            foreach (var relevant in relevantFiles)
            {
                if (RetrievalEvaluator.SamePath(rankedFiles[i], relevant))
                {
                    first ??= i + 1;
                    seen.Add(relevant);
                }
            }

            if (all is null && seen.Count == relevantFiles.Count)
            {
                all = i + 1;
            }
        }

        var functions = query.Relevant.Select(r => (r.Path, r.Line)).Distinct().Count();
        return new FileLevelQueryResult(query.Id, first, all, functionsFound, functions, rankedFiles.Take(5).ToList());
    }

    private static FileLevelReport Summarize(List<FileLevelQueryResult> outcomes, bool functionLevel)
    {
        double n = Math.Max(1, outcomes.Count);
        return new FileLevelReport(
            outcomes.Count,
            outcomes.Count(o => o.FileRank is 1) / n,
            outcomes.Count(o => o.FileRank is <= 5) / n,
            outcomes.Count(o => o.FileRank is <= 10) / n,
            outcomes.Count(o => o.AllFilesRank is <= 5) / n,
            functionLevel ? outcomes.Sum(o => o.Functions == 0 ? 0 : o.FunctionsFound / (double)o.Functions) / n : null,
            outcomes);
    }
}
