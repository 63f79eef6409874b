using StructuralChunking.Onnx;

namespace StructuralChunking.Models;

/// <summary>
/// all-MiniLM-L6-v2, the default model: 384 dimensions, mean pooling, no prefixes, 256 tokens. This package copies it
/// to <c>models/minilm/</c> in the app's output.
/// </summary>
public static class MiniLMModel
{
    /// <summary>The model id indexes record: <c>minilm</c>.</summary>
    public const string Id = OnnxEmbeddingModels.MiniLM;

    /// <summary>Where the model files are: <c>models/minilm/</c> under the application's base directory.</summary>
    public static string Directory => Path.Combine(OnnxEmbeddingModels.DefaultModelsDirectory, Id);

    /// <summary>The id of the int8 variant, generated at build time from the float model: <c>minilm-int8</c>.</summary>
    public const string QuantizedId = OnnxEmbeddingModels.MiniLMInt8;

    /// <summary>Where the int8 variant is: <c>models/minilm-int8/</c> under the application's base directory.</summary>
    public static string QuantizedDirectory => Path.Combine(OnnxEmbeddingModels.DefaultModelsDirectory, QuantizedId);

    /// <summary>Opens the int8 variant: faster on CPUs, its vectors close to the float model's (an index records which).</summary>
    /// <param name="options">Options; <c>null</c> for the model's own conventions.</param>
    /// <exception cref="DirectoryNotFoundException">The model files are not in the app's output.</exception>
    public static OnnxEmbeddingGenerator CreateQuantized(OnnxEmbeddingOptions? options = null) => OnnxEmbeddingModels.Create(QuantizedId, options);

    /// <summary>Opens the model.</summary>
    /// <param name="options">Options; <c>null</c> for the model's own conventions (<see cref="OnnxEmbeddingModels.GetOptions"/>).</param>
    /// <exception cref="DirectoryNotFoundException">The model files are not in the app's output.</exception>
    public static OnnxEmbeddingGenerator Create(OnnxEmbeddingOptions? options = null) => OnnxEmbeddingModels.Create(Id, options);
}
