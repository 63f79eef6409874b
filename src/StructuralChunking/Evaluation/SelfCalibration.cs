using Microsoft.Extensions.AI;
using StructuralChunking.Chunking;
using StructuralChunking.Embeddings;
using StructuralChunking.Graph;
using StructuralChunking.Indexing;
using StructuralChunking.Search;

namespace StructuralChunking.Evaluation;

/// <summary>What index-time calibration on a code base's own doc comments did.</summary>
/// <param name="Applied">Whether the index got a threshold of its own.</param>
/// <param name="Reason">Why it was or was not applied, in words.</param>
/// <param name="Questions">Doc-comment questions asked.</param>
/// <param name="FirstHits">Questions whose definition came back in the top 10.</param>
/// <param name="CodeBaseThreshold">The threshold that keeps <see cref="SelfCalibration.FirstHitsKept"/> of those first hits on this code base alone.</param>
/// <param name="Threshold">The threshold stored in the index.</param>
public sealed record SelfCalibrationResult(bool Applied, string Reason, int Questions = 0, int FirstHits = 0, double? CodeBaseThreshold = null, double? Threshold = null);

/// <summary>
/// Chooses an index's confidence threshold from its own doc comments, the way the shipped threshold was chosen on the
/// code bases it was fitted on.
/// </summary>
/// <remarks>
/// <para>The confidence of a right answer varies between code bases (their vocabulary, how much is documented, the
/// language), so one shipped threshold keeps too few answers in some and rejects too little in others. At index time,
/// up to <see cref="MaxQuestions"/> documented definitions are sampled evenly; the first sentence of each doc comment
/// is the question, and the definition is searched for in a copy of the index where the chunks covering the sampled
/// definitions are replaced by versions without their doc comments (the only extra embeddings), since a chunk that
/// contains the question verbatim would answer with a confidence no real question reaches.</para>
/// <para>The code base's threshold keeps <see cref="FirstHitsKept"/> of the first hits' confidences, the same rule the
/// shipped threshold was fitted with. The stored threshold shrinks it toward the shipped one:
/// <c>(w × code base + <see cref="ShippedWeight"/> × shipped) / (w + <see cref="ShippedWeight"/>)</c>, with
/// <c>w = hits × hits / questions</c>: a small sample moves it little, and so does a code base whose doc-comment
/// questions mostly miss, because the few that hit are the easy ones and their confidences overstate what people's
/// questions reach. Fewer than <see cref="MinQuestions"/> questions leave the shipped threshold in place.</para>
/// <para>Undocumented neighbours of a sampled definition keep the doc sentences they borrowed from it
/// (<see cref="ChunkingOptions.InheritDocumentation"/>); a right answer found through them is still found, and the
/// first hit counted is the sampled definition's.</para>
/// </remarks>
internal static class SelfCalibration
{
    /// <summary>Most doc-comment questions asked (each costs one query embedding and about one chunk embedding).</summary>
    public const int MaxQuestions = 48;

    /// <summary>Fewest doc-comment questions worth calibrating on.</summary>
    public const int MinQuestions = 20;

    /// <summary>Share of the doc-comment first hits the code base's threshold keeps (as for the shipped threshold).</summary>
    public const double FirstHitsKept = 0.95;

    /// <summary>How many first hits the shipped threshold counts for when the two are averaged.</summary>
    public const double ShippedWeight = 30;

    /// <summary>
    /// Calibrates <paramref name="index"/>, built with <paramref name="chunker"/> from <paramref name="chunks"/> of
    /// <paramref name="graph"/>, starting from <paramref name="shipped"/>, the confidence model shipped for its embedding model.
    /// </summary>
    public static async Task<(CodeIndex Index, SelfCalibrationResult Result)> RunAsync(CodeIndex index, ConfidenceModel shipped, CodeGraph graph,
        IReadOnlyList<CodeChunk> chunks, StructuralChunker chunker, SourceTexts sources, IReadOnlyList<ChunkSourceFile> files,
        IEmbeddingGenerator<string, Embedding<float>> embedder, EmbeddingProfile profile, CancellationToken cancellationToken)
    {
        var sample = DocCommentQueries.WithSymbols(graph, MaxQuestions);
        if (sample.Count < MinQuestions)
        {
            return (index, new SelfCalibrationResult(false,
                $"Only {sample.Count} documented definitions make a question (at least {MinQuestions} are needed); the shipped threshold stays.", sample.Count));
        }

        var calibrationIndex = await WithoutSampledDocumentationAsync(index, graph, chunks, chunker, sources, files, sample, embedder, profile, cancellationToken)
            .ConfigureAwait(false);
        var queries = sample.Select(s => s.Query).ToList();
        var (_, answers) = await IndexEvaluation.RunAsync(calibrationIndex, queries, embedder, new SearchOptions(), cancellationToken).ConfigureAwait(false);
        var confidences = new List<double>(queries.Count);
        foreach (var query in queries)
        {
            var results = answers[query.Query];
            if (RetrievalEvaluator.FirstHit(results, query.Relevant, symbolLevel: true) is { } rank &&
                RetrievalEvaluator.SurvivingConfidence(results, rank, SearchOptions.DefaultAnsweredResultShare) is { } confidence)
            {
                confidences.Add(confidence);
            }
        }

        if (confidences.Count < MinQuestions / 2)
        {
            return (index, new SelfCalibrationResult(false,
                $"Only {confidences.Count} of {queries.Count} doc-comment questions found their definition; the shipped threshold stays.", queries.Count, confidences.Count));
        }

        var own = ConfidenceModel.ThresholdKeeping(confidences, FirstHitsKept);
        var weight = confidences.Count * (confidences.Count / (double)queries.Count);
        var threshold = Math.Round(((weight * own) + (ShippedWeight * shipped.Threshold)) / (weight + ShippedWeight), 4);
        var calibrated = index.WithConfidence(shipped.WithThreshold(threshold), ConfidenceSource.CodeBaseDocComments);
        return (calibrated, new SelfCalibrationResult(true,
            $"Calibrated on {confidences.Count} of {queries.Count} doc-comment questions of this code base.", queries.Count, confidences.Count, own, threshold));
    }

    /// <summary>A copy of the index in which the chunks covering the sampled definitions have no doc comments.</summary>
    private static Task<CodeIndex> WithoutSampledDocumentationAsync(CodeIndex index, CodeGraph graph, IReadOnlyList<CodeChunk> chunks, StructuralChunker chunker,
        SourceTexts sources, IReadOnlyList<ChunkSourceFile> files, List<(EvalQuery Query, CodeSymbol Symbol)> sample,
        IEmbeddingGenerator<string, Embedding<float>> embedder, EmbeddingProfile profile, CancellationToken cancellationToken)
    {
        var spans = new Dictionary<string, List<(int Start, int End)>>(StringComparer.Ordinal);
        foreach (var (_, symbol) in sample)
        {
            var location = symbol.Location!.Value;
            if (!spans.TryGetValue(location.Path, out var list))
            {
                spans[location.Path] = list = [];
            }

            list.Add((location.StartLine, location.EndLine));
        }

        bool Covers(CodeChunk chunk)
        {
            if (!spans.TryGetValue(chunk.Path, out var list))
            {
                return false;
            }

            foreach (var (start, end) in list)
            {
                if (chunk.StartLine <= end && start <= chunk.EndLine)
                {
                    return true;
                }
            }

            return false;
        }

        var hidden = new StructuralChunker(chunker.Options with { HideDocumentation = true }, chunker.TokenCounter)
            .Chunk(graph, sources, files.Where(f => spans.ContainsKey(f.Path)).ToList(), cancellationToken);
        // Without their doc comments, definitions can be cut into other parts, so replacements are matched by id too.
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        var replacements = hidden.Where(c => Covers(c) && replaced.Add(c.Id)).ToList();
        var calibrationChunks = new List<CodeChunk>(chunks.Count);
        foreach (var chunk in chunks)
        {
            if (!Covers(chunk) && !replaced.Contains(chunk.Id))
            {
                calibrationChunks.Add(chunk);
            }
        }

        calibrationChunks.AddRange(replacements);

        return CodeIndexBuilder.BuildAsync(calibrationChunks, graph, embedder, profile, index.Metadata.Chunker, previous: index, cancellationToken: cancellationToken);
    }
}
