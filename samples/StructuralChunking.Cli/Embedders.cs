using System.Globalization;
using Microsoft.Extensions.AI;
using StructuralChunking.Embeddings;

namespace StructuralChunking.Cli;

/// <summary>The embedders the CLI can use, by name (<c>--embedder</c>) or by the model id an index records.</summary>
internal static class Embedders
{
    public const string DefaultName = "hash";

    public static string Names => "hash (model-free feature hashing, 512 dimensions; hash-N for N dimensions)";

    public static (IEmbeddingGenerator<string, Embedding<float>> Generator, EmbeddingProfile Profile) Create(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name == "hash")
        {
            var generator = new HashingEmbeddingGenerator();
            return (generator, generator.Profile);
        }

        if (name.StartsWith("hash-", StringComparison.Ordinal) && int.TryParse(name.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var dimensions))
        {
            try
            {
                var generator = new HashingEmbeddingGenerator(new HashingEmbeddingOptions { Dimensions = dimensions });
                return (generator, generator.Profile);
            }
            catch (ArgumentException ex)
            {
                throw new CliUserException(ex.Message);
            }
        }

        throw new CliUserException($"Unknown embedder '{name}'. Available: {Names}.");
    }
}
