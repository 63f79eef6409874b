using System.Globalization;
using Microsoft.Extensions.AI;
using StructuralChunking.Chunking;
using StructuralChunking.Embeddings;
using StructuralChunking.Onnx;

namespace StructuralChunking.Cli;

/// <summary>An embedder chosen on the command line, with the profile an index records and the token counter chunks use.</summary>
internal sealed record EmbedderChoice(IEmbeddingGenerator<string, Embedding<float>> Generator, EmbeddingProfile Profile, ITokenCounter? TokenCounter) : IDisposable
{
    public void Dispose() => Generator.Dispose();
}

/// <summary>The embedders the CLI can use, by name (<c>--embedder</c>) or by the model id an index records.</summary>
internal static class Embedders
{
    /// <summary>
    /// The shipped all-MiniLM-L6-v2 model with int8 weights and its outlier channels kept float: real semantic
    /// embeddings, offline, about twice as fast as the float model and within 0.01 symbol MRR@10 of it on every shared
    /// evaluation set (docs/PERFORMANCE.md).
    /// </summary>
    public const string DefaultName = OnnxEmbeddingModels.MiniLMInt8;

    public static string Names => "minilm-int8 (all-MiniLM-L6-v2 with int8 weights, the default: about twice as fast as minilm, vectors within about 0.004 of its), minilm (all-MiniLM-L6-v2, float), arctic-xs (snowflake-arctic-embed-xs), onnx:FOLDER (model.onnx + vocab.txt, vocab.json + merges.txt or tokenizer.json), hash (model-free feature hashing, 512 dimensions; hash-N for N)";

    /// <summary>
    /// Where built-in models keep their optimized copy (a fresh process loads it in a third of the time; see
    /// docs/PERFORMANCE.md): <c>STRUCTCHUNK_MODEL_CACHE</c> if set (<c>off</c> turns the copy off), else the per-user
    /// cache folder.
    /// </summary>
    public static string? ModelCacheDirectory => Environment.GetEnvironmentVariable("STRUCTCHUNK_MODEL_CACHE") switch
    {
        "off" or "0" => null,
        { Length: > 0 } folder => folder,
        _ => OnnxEmbeddingOptions.DefaultOptimizedModelCacheDirectory,
    };

    public static EmbedderChoice Create(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name == "hash")
        {
            var generator = new HashingEmbeddingGenerator();
            return new EmbedderChoice(generator, generator.Profile, null);
        }

        if (name.StartsWith("hash-", StringComparison.Ordinal) && int.TryParse(name.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var dimensions))
        {
            try
            {
                var generator = new HashingEmbeddingGenerator(new HashingEmbeddingOptions { Dimensions = dimensions });
                return new EmbedderChoice(generator, generator.Profile, null);
            }
            catch (ArgumentException ex)
            {
                throw new CliUserException(ex.Message);
            }
        }

        if (OnnxEmbeddingModels.BuiltIn.Contains(name) || name.StartsWith(OnnxEmbeddingModels.FolderPrefix, StringComparison.Ordinal))
        {
            try
            {
                var generator = OnnxEmbeddingModels.BuiltIn.Contains(name) && ModelCacheDirectory is { } cache
                    ? OnnxEmbeddingModels.Create(name, OnnxEmbeddingModels.GetOptions(name) with { OptimizedModelCacheDirectory = cache })
                    : OnnxEmbeddingModels.Create(name);
                return new EmbedderChoice(generator, generator.Profile, generator.Tokenizer);
            }
            catch (Exception ex) when (ex is ArgumentException or IOException or NotSupportedException or InvalidOperationException)
            {
                var hint = name.StartsWith(OnnxEmbeddingModels.FolderPrefix, StringComparison.Ordinal) && !name.Contains('/', StringComparison.Ordinal)
                    ? $" An index built with a folder model records only the folder's name: pass --embedder {OnnxEmbeddingModels.FolderPrefix}PATH."
                    : string.Empty;
                throw new CliUserException($"Cannot load embedding model '{name}': {ex.Message}{hint}");
            }
        }

        throw new CliUserException($"Unknown embedder '{name}'. Available: {Names}.");
    }
}
