using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using StructuralChunking.Indexing;
using StructuralChunking.Search;

namespace StructuralChunking.Cli.Commands;

/// <summary>
/// <c>structchunk fit-confidence SAMPLES.jsonl…</c>: fit a confidence model (weights and threshold) on the labelled
/// evidence <c>eval --samples</c> wrote, print it, and optionally store it in an index.
/// </summary>
internal static class FitConfidenceCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Command Create(CliContext context)
    {
        var samplesFiles = new Argument<string[]>("samples") { Description = "Files written by eval --samples (JSON lines).", Arity = ArgumentArity.OneOrMore };
        var keep = new Option<double>("--keep") { Description = "Share of positive first hits the threshold must keep.", DefaultValueFactory = _ => Evaluation.ThresholdCalibration.TargetPositivesKept };
        var indexPath = new Option<string?>("--index") { Description = "Store the fitted model in this index (rewritten in place, atomically), so its searches use it." };
        var command = new Command("fit-confidence", "Fit the confidence model that decides when search returns nothing, from labelled evidence (eval --samples).")
        {
            samplesFiles, keep, indexPath,
        };

        command.SetAction(context.Guard(async (parseResult, cancellationToken) =>
        {
            var samples = parseResult.GetValue(samplesFiles)!.SelectMany(ConfidenceSampleFile.Read).ToList();
            var share = parseResult.GetValue(keep);
            if (share is <= 0 or > 1)
            {
                throw new CliUserException("--keep is a share between 0 and 1.");
            }

            ConfidenceModel model;
            try
            {
                model = ConfidenceModel.Fit(samples, share);
            }
            catch (ArgumentException ex)
            {
                throw new CliUserException(ex.Message);
            }

            var positives = samples.Where(s => s.Answers).ToList();
            var negatives = samples.Count - positives.Count;
            var negativesBelow = samples.Count(s => !s.Answers && model.Probability(s.Signals) < model.Threshold);
            await context.Output.WriteLineAsync(JsonSerializer.Serialize(model, Json)).ConfigureAwait(false);
            await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"fitted on {positives.Count} positive and {negatives} negative samples: threshold {model.Threshold:F4} keeps {positives.Count(s => model.SurvivingProbability(s) >= model.Threshold) / (double)positives.Count:P0} of positives' first hits as search returns them, rejects {negativesBelow / (double)Math.Max(1, negatives):P0} of negative results")).ConfigureAwait(false);

            if (parseResult.GetValue(indexPath) is { } path)
            {
                using var indexLock = IndexLock.Acquire(path);
                var index = EvalCommand.LoadIndex(path);
                index.WithConfidence(model).Save(path);
                await context.Error.WriteLineAsync($"stored the model in {path}").ConfigureAwait(false);
            }

            return CliContext.Success;
        }));

        return command;
    }
}
