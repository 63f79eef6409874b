using System.Text.Json;
using System.Text.Json.Serialization;

namespace StructuralChunking.Evaluation;

/// <summary>An acceptable answer to an evaluation query.</summary>
/// <param name="Path">Path relative to the corpus root.</param>
/// <param name="Line">1-based line of the definition's name; a result is a symbol-level hit when its span contains it.</param>
/// <param name="Symbol">Readable qualified name, for reports.</param>
public sealed record RelevantLocation(string Path, int Line, string? Symbol = null);

/// <summary>One query of an evaluation set (the format of the shared <c>eval/FORMAT.md</c>).</summary>
/// <param name="Id">Query id.</param>
/// <param name="Query">What a developer would type.</param>
/// <param name="Kind"><c>natural</c>, <c>behavior</c>, <c>discriminative</c> or <c>negative</c>.</param>
/// <param name="Relevant">Acceptable answers; empty for negative queries.</param>
public sealed record EvalQuery(string Id, string Query, string Kind, IReadOnlyList<RelevantLocation> Relevant)
{
    /// <summary>True when the code base has no answer (used to calibrate the threshold).</summary>
    public bool IsNegative => Relevant.Count == 0;

    /// <summary>Reads a JSON-lines query set.</summary>
    /// <exception cref="InvalidDataException">A line is not a valid query; the message gives the line number.</exception>
    public static IReadOnlyList<EvalQuery> Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var queries = new List<EvalQuery>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                var raw = JsonSerializer.Deserialize<RawQuery>(line) ?? throw new InvalidDataException("empty");
                if (string.IsNullOrWhiteSpace(raw.Query))
                {
                    throw new InvalidDataException("no \"query\"");
                }

                queries.Add(new EvalQuery(
                    raw.Id ?? $"q{lineNumber}",
                    raw.Query,
                    raw.Kind ?? (raw.Relevant is { Count: > 0 } ? "natural" : "negative"),
                    (raw.Relevant ?? []).Select(r => new RelevantLocation(r.Path ?? throw new InvalidDataException("a relevant entry has no path"), r.Line, r.Symbol)).ToList()));
            }
            catch (Exception ex) when (ex is JsonException or InvalidDataException)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: not a valid query ({ex.Message}).", ex);
            }
        }

        return queries;
    }

    private sealed record RawQuery(
        [property: JsonPropertyName("id")] string? Id,
        [property: JsonPropertyName("query")] string? Query,
        [property: JsonPropertyName("kind")] string? Kind,
        [property: JsonPropertyName("relevant")] List<RawRelevant>? Relevant);

    private sealed record RawRelevant(
        [property: JsonPropertyName("path")] string? Path,
        [property: JsonPropertyName("line")] int Line,
        [property: JsonPropertyName("symbol")] string? Symbol);
}

/// <summary>One ranked answer, as the evaluator sees it.</summary>
/// <param name="Path">Path relative to the corpus root.</param>
/// <param name="StartLine">1-based first line.</param>
/// <param name="EndLine">1-based last line.</param>
/// <param name="Score">The score a threshold applies to.</param>
/// <param name="Symbol">Readable name, for failure reports.</param>
/// <param name="Confidence">The probability that the answer is right, when a confidence model applied.</param>
/// <param name="Signals">The evidence <paramref name="Confidence"/> was computed from.</param>
public sealed record RankedAnswer(string Path, int StartLine, int EndLine, float Score, string? Symbol = null, double? Confidence = null, Search.ConfidenceSignals? Signals = null);
