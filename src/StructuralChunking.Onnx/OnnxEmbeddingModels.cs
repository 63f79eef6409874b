namespace StructuralChunking.Onnx;

/// <summary>
/// Creates embedding generators by model id: the two models this package ships (<c>minilm</c>, <c>arctic-xs</c>) or
/// any model folder with a WordPiece or byte-level BPE tokenizer (<c>onnx:FOLDER</c>).
/// </summary>
/// <remarks>
/// The built-in models come in their own packages, so an app ships only the ones it chose (about 90 MB each):
/// StructuralChunking.Models.MiniLM copies <c>models/minilm/</c> (and its int8 variant <c>models/minilm-int8/</c>) and StructuralChunking.Models.ArcticXs
/// <c>models/arctic-xs/</c> into the application's output.
/// </remarks>
public static class OnnxEmbeddingModels
{
    /// <summary>all-MiniLM-L6-v2: 384 dimensions, mean pooling, no prefixes, 256 tokens.</summary>
    public const string MiniLM = "minilm";

    /// <summary>
    /// all-MiniLM-L6-v2 with its matrix weights quantized to int8 at build time (activations quantized per call by ONNX
    /// Runtime): the same conventions as <see cref="MiniLM"/>, faster on CPUs, and vectors close to but not equal to the
    /// float model's, so an index records it under its own id and never mixes the two.
    /// </summary>
    public const string MiniLMInt8 = "minilm-int8";

    /// <summary>
    /// snowflake-arctic-embed-xs: 384 dimensions, <c>[CLS]</c> pooling, the query prefix
    /// <c>Represent this sentence for searching relevant passages: </c> and none for documents, 512 tokens.
    /// </summary>
    public const string ArcticXs = "arctic-xs";

    /// <summary>The prefix of a folder model id: <c>onnx:</c> followed by the folder path.</summary>
    public const string FolderPrefix = "onnx:";

    /// <summary>The query prefix snowflake-arctic-embed models were trained with.</summary>
    public const string ArcticQueryPrefix = "Represent this sentence for searching relevant passages: ";

    /// <summary>The ids of the built-in models.</summary>
    public static IReadOnlyList<string> BuiltIn { get; } = [MiniLM, MiniLMInt8, ArcticXs];

    /// <summary>Where built-in models are looked for by default: <c>models/</c> under the application's base directory.</summary>
    public static string DefaultModelsDirectory => Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary>The conventions of a built-in model, to adjust (<c>with { BatchSize = 64 }</c>) and pass to <see cref="Create"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="modelId"/> is not a built-in model.</exception>
    public static OnnxEmbeddingOptions GetOptions(string modelId)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        return modelId switch
        {
            // Sentence-transformers' settings for all-MiniLM-L6-v2: mean pooling, normalized, max_seq_length 256.
            MiniLM => new OnnxEmbeddingOptions { ModelId = MiniLM, Pooling = EmbeddingPooling.Mean, MaxTokens = 256 },
            MiniLMInt8 => new OnnxEmbeddingOptions { ModelId = MiniLMInt8, Pooling = EmbeddingPooling.Mean, MaxTokens = 256 },

            // Snowflake's model card: CLS token, normalized, query prefix only, max_length 512.
            ArcticXs => new OnnxEmbeddingOptions
            {
                ModelId = ArcticXs,
                Pooling = EmbeddingPooling.Cls,
                MaxTokens = 512,
                QueryPrefix = ArcticQueryPrefix,
            },
            _ => throw new ArgumentException(
                $"'{modelId}' is not a built-in model; built-in: {string.Join(", ", BuiltIn)}.", nameof(modelId)),
        };
    }

    /// <summary>Creates a generator for <c>minilm</c>, <c>arctic-xs</c> or <c>onnx:FOLDER</c>.</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="options">
    /// Options; <c>null</c> for the model's own (built-in conventions, or the folder's <c>structchunk-model.json</c>).
    /// </param>
    /// <param name="modelsDirectory">Where built-in models live; <c>null</c> for <see cref="DefaultModelsDirectory"/>.</param>
    /// <exception cref="ArgumentException">The id is neither built-in nor <c>onnx:</c> followed by a folder.</exception>
    /// <exception cref="DirectoryNotFoundException">The model's folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A model file is missing.</exception>
    public static OnnxEmbeddingGenerator Create(string modelId, OnnxEmbeddingOptions? options = null, string? modelsDirectory = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        if (modelId.StartsWith(FolderPrefix, StringComparison.Ordinal))
        {
            var folder = modelId[FolderPrefix.Length..];
            if (folder.Length == 0)
            {
                throw new ArgumentException($"'{modelId}' names no folder; write {FolderPrefix}PATH.", nameof(modelId));
            }

            return OnnxEmbeddingGenerator.FromFolder(folder, options);
        }

        var builtIn = GetOptions(modelId);
        var directory = Path.Combine(modelsDirectory ?? DefaultModelsDirectory, modelId);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException(
                $"Built-in model '{modelId}' not found at {directory}. Add the package {PackageOf(modelId)}: it copies the model to models/{modelId}/ in the app's output.");
        }

        return OnnxEmbeddingGenerator.FromFolder(directory, options ?? builtIn);
    }

    /// <summary>The package that carries a built-in model.</summary>
    private static string PackageOf(string modelId) => modelId == ArcticXs ? "StructuralChunking.Models.ArcticXs" : "StructuralChunking.Models.MiniLM";
}
