using System.Text.Json;
using StructuralChunking.Search;

namespace StructuralChunking.Cli.Commands;

/// <summary>Confidence samples as JSON lines: what <c>eval --samples</c> writes and <c>fit-confidence</c> reads.</summary>
internal static class ConfidenceSampleFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string ToJson(ConfidenceSample sample) => JsonSerializer.Serialize(sample, Json);

    public static List<ConfidenceSample> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliUserException($"Samples file '{path}' does not exist.");
        }

        var samples = new List<ConfidenceSample>();
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
                samples.Add(JsonSerializer.Deserialize<ConfidenceSample>(line, Json) ?? throw new JsonException("null"));
            }
            catch (JsonException ex)
            {
                throw new CliUserException($"{path}:{lineNumber}: not a confidence sample ({ex.Message}).");
            }
        }

        return samples;
    }
}
