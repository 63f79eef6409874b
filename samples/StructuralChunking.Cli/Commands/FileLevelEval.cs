using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using StructuralChunking.Evaluation;
using StructuralChunking.Indexing;
using StructuralChunking.Search;

namespace StructuralChunking.Cli.Commands;

/// <summary><c>structchunk eval QUERIES --files</c>: file-level figures of each configuration and of BM25 over whole files.</summary>
internal static class FileLevelEval
{
    public static async Task RunAsync(CliContext context, CodeIndex index, IReadOnlyList<EvalQuery> queries, string root, IEmbeddingGenerator<string, Embedding<float>> embedder,
        SearchMode mode, string[] fusions, double[] decays, string[] analyses, double[] evidenceWeights, int[] windowWords, bool json, CancellationToken cancellationToken)
    {
        var runs = new List<(string Name, FileLevelReport Report)>
        {
            ("bm25-whole-files", FileLevelEvaluation.RunWholeFileBm25(root, index.FilePaths, queries)),
        };
        foreach (var analysis in analyses)
        {
            var analysisMode = analysis switch
            {
                "off" => QueryAnalysisMode.Off,
                "always" => QueryAnalysisMode.Always,
                "auto" => QueryAnalysisMode.Auto,
                _ => throw new CliUserException($"--query-analysis takes auto, off or always (was '{analysis}')."),
            };
            foreach (var fusionName in fusions)
            {
                if (!Enum.TryParse<LongQueryFusion>(fusionName, ignoreCase: true, out var fusion))
                {
                    throw new CliUserException($"--long-query-fusion takes max, mean, rrf or first (was '{fusionName}').");
                }

                foreach (var decay in decays)
                {
                    foreach (var (evidence, words) in evidenceWeights.SelectMany(e => windowWords.Select(w => (e, w))))
                    {
                        var options = new SearchOptions
                        {
                            Mode = mode,
                            MinScore = float.NegativeInfinity,
                            QueryAnalysis = analysisMode,
                            LongQueryFusion = fusion,
                            FileScoreDecay = decay,
                            ReportEvidenceWeight = evidence,
                            QueryWindowWords = words,
                        };
                        try
                        {
                            options.Validate();
                        }
                        catch (ArgumentException ex)
                        {
                            throw new CliUserException(ex.Message);
                        }

                        var name = string.Create(CultureInfo.InvariantCulture, $"{mode.ToString().ToLowerInvariant()} analysis={analysis} fusion={fusionName} decay={decay} evidence={evidence}{(windowWords.Length > 1 ? $" window={words}" : string.Empty)}");
                        runs.Add((name, await FileLevelEvaluation.RunAsync(index, queries, embedder, options, cancellationToken).ConfigureAwait(false)));
                    }
                }
            }
        }

        foreach (var (name, report) in runs)
        {
            if (json)
            {
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(new { configuration = name, report })).ConfigureAwait(false);
            }
            else
            {
                await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-60} queries {report.Queries}  file Acc@1 {report.Acc1:F3}  Acc@5 {report.Acc5:F3}  Acc@10 {report.Acc10:F3}  all-files Acc@5 {report.AllAcc5:F3}  function Recall@10 {(report.FunctionRecall10 is { } r ? r.ToString("F3", CultureInfo.InvariantCulture) : "-")}")).ConfigureAwait(false);
            }
        }
    }
}
