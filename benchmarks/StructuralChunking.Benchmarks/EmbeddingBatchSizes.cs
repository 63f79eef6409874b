using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text.Json;
using StructuralChunking.Onnx;

namespace StructuralChunking.Benchmarks;

/// <summary>
/// Embeds the same chunk texts with several <see cref="OnnxEmbeddingOptions.MaxBatchTokens"/> values, alternating, and
/// reports CPU per text, tokens per CPU second, and how far each setting's vectors are from the first setting's.
/// </summary>
/// <remarks>
/// The texts are real structural chunks as an index embeds them: the <c>embeddingText</c> of each line written by
/// <c>structchunk chunks ROOT --json</c>, a seeded sample of them. CPU time is the whole process's (every ONNX Runtime
/// thread), the figure a shared machine moves least.
/// </remarks>
internal static class EmbeddingBatchSizes
{
    public static int Run(string chunksJson, string modelId, int count, int rounds, IReadOnlyList<int> sizes)
    {
        var all = new List<string>();
        foreach (var line in File.ReadLines(chunksJson))
        {
            if (line.Length > 0)
            {
                using var document = JsonDocument.Parse(line);
                all.Add(document.RootElement.GetProperty("embeddingText").GetString()!);
            }
        }

        var shuffled = all.ToArray();
        new Random(20_261_203).Shuffle(shuffled);
        var texts = shuffled.Take(count).ToList();
        var generators = sizes.Select(size => OnnxEmbeddingModels.Create(modelId, OnnxEmbeddingModels.GetOptions(modelId) with { MaxBatchTokens = size })).ToList();
        try
        {
            var tokens = texts.Sum(t => (long)generators[0].Tokenizer.EncodeForModel(t, OnnxEmbeddingModels.GetOptions(modelId).MaxTokens).Length);
            Console.WriteLine($"{texts.Count} chunk texts of {chunksJson}, {tokens} tokens, model {modelId}, {Environment.ProcessorCount} cores");
            foreach (var generator in generators)
            {
                generator.Embed(texts.Take(64).ToList());
            }

            var cpu = new List<double>[sizes.Count];
            float[][]?[] vectors = new float[sizes.Count][][];
            for (var round = 0; round < rounds; round++)
            {
                for (var s = 0; s < sizes.Count; s++)
                {
                    var before = Process.GetCurrentProcess().TotalProcessorTime;
                    var result = generators[s].Embed(texts);
                    (cpu[s] ??= []).Add((Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds);
                    vectors[s] ??= result;
                }
            }

            for (var s = 0; s < sizes.Count; s++)
            {
                var sorted = cpu[s].Order().ToList();
                var median = sorted[sorted.Count / 2];
                // The first setting is the reference; its distance to itself says nothing.
                var distance = string.Empty;
                if (s > 0)
                {
                    var error = 0.0;
                    for (var i = 0; i < texts.Count; i++)
                    {
                        error += 1 - TensorPrimitives.Dot(vectors[0]![i], vectors[s]![i]);
                    }

                    distance = string.Create(CultureInfo.InvariantCulture, $"; mean 1 - cos to {sizes[0]}: {error / texts.Count:E2}");
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"max batch tokens {sizes[s],5}: CPU {median:F2} s (median of {rounds}; {string.Join(" / ", cpu[s].Select(c => c.ToString("F2", CultureInfo.InvariantCulture)))}), {1000 * median / texts.Count:F2} ms per text, {tokens / median:F0} tokens per CPU second{distance}"));
            }
        }
        finally
        {
            foreach (var generator in generators)
            {
                generator.Dispose();
            }
        }

        return 0;
    }
}
