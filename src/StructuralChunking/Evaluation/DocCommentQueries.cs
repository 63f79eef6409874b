using StructuralChunking.Chunking;
using StructuralChunking.Graph;

namespace StructuralChunking.Evaluation;

/// <summary>
/// Builds an evaluation set from a code base's own doc comments (the CodeSearchNet method): the first sentence of a
/// definition's doc comment is the query, the definition is the answer. Index the code with
/// <see cref="ChunkingOptions.HideDocumentation"/> for such a run, or the answer would contain the query.
/// </summary>
public static class DocCommentQueries
{
    /// <summary>Fewest words a first sentence needs to be a useful query ("Gets the value." is not).</summary>
    public const int MinimumWords = 4;

    /// <summary>
    /// Queries from the documented callables and types of <paramref name="graph"/> (not generated, not tests), at most
    /// <paramref name="maxQueries"/>, spread evenly over the candidates in id order so the sample is deterministic.
    /// </summary>
    public static IReadOnlyList<EvalQuery> FromGraph(CodeGraph graph, int maxQueries = 200)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxQueries, 1);
        return WithSymbols(graph, maxQueries).Select(q => q.Query).ToList();
    }

    /// <summary><see cref="FromGraph"/> with the documented definition each query asks for.</summary>
    internal static List<(EvalQuery Query, CodeSymbol Symbol)> WithSymbols(CodeGraph graph, int maxQueries)
    {
        var candidates = new List<(EvalQuery Query, CodeSymbol Symbol)>();
        foreach (var symbol in graph.Symbols.OrderBy(s => s.Id))
        {
            if (symbol.IsExternal || symbol.Location is not { } location || string.IsNullOrWhiteSpace(symbol.Documentation) ||
                (symbol.Traits & (SymbolTraits.Generated | SymbolTraits.Test)) != 0 || !(symbol.Kind.IsCallable() || symbol.Kind.IsType()))
            {
                continue;
            }

            var sentence = ChunkText.FirstSentence(symbol.Documentation).TrimEnd('.');
            if (sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length < MinimumWords)
            {
                continue;
            }

            candidates.Add((new EvalQuery($"doc-{symbol.Id}", sentence, "doc", [new RelevantLocation(location.Path, location.StartLine, symbol.QualifiedName)]), symbol));
        }

        // A sentence shared by several definitions ("Initializes a new instance…") has no single answer.
        var duplicates = candidates.GroupBy(c => c.Query.Query, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        candidates.RemoveAll(c => duplicates.Contains(c.Query.Query));
        if (candidates.Count <= maxQueries)
        {
            return candidates;
        }

        var step = candidates.Count / (double)maxQueries;
        return Enumerable.Range(0, maxQueries).Select(i => candidates[(int)(i * step)]).ToList();
    }

    /// <summary>
    /// Turns every <c>1/share</c>-th query into a negative one by holding its answer out of the index: the question stays
    /// about this code base, but the definition it describes is gone, which is the hard kind of question a code base
    /// cannot answer (and what a confidence model must learn to reject). Leave the returned locations' chunks out of
    /// the index with <see cref="IsHeldOut"/>.
    /// </summary>
    /// <param name="queries">Doc-comment queries (<see cref="FromGraph"/>).</param>
    /// <param name="share">Share of queries held out, between 0 and 1.</param>
    public static (IReadOnlyList<EvalQuery> Queries, IReadOnlyList<RelevantLocation> HeldOut) HoldOut(IReadOnlyList<EvalQuery> queries, double share)
    {
        ArgumentNullException.ThrowIfNull(queries);
        if (!double.IsFinite(share) || share is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(share), share, "The held-out share lies between 0 and 1.");
        }

        var result = new List<EvalQuery>(queries.Count);
        var heldOut = new List<RelevantLocation>();
        var accumulated = 0.0;
        foreach (var query in queries)
        {
            accumulated += share;
            if (accumulated >= 1 && query.Relevant.Count > 0)
            {
                accumulated -= 1;
                heldOut.AddRange(query.Relevant);
                result.Add(query with { Id = "held-out-" + query.Id, Kind = "negative", Relevant = [] });
            }
            else
            {
                result.Add(query);
            }
        }

        return (result, heldOut);
    }

    /// <summary>Whether <paramref name="chunk"/> covers one of the held-out definitions (same path, its span holds the line).</summary>
    public static bool IsHeldOut(CodeChunk chunk, IReadOnlyList<RelevantLocation> heldOut)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        ArgumentNullException.ThrowIfNull(heldOut);
        foreach (var location in heldOut)
        {
            if (RetrievalEvaluator.SamePath(chunk.Path, location.Path) && chunk.StartLine <= location.Line && location.Line <= chunk.EndLine)
            {
                return true;
            }
        }

        return false;
    }
}
