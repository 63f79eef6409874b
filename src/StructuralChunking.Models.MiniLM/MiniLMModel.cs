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

    /// <summary>Opens the model.</summary>
    /// <param name="options">Options; <c>null</c> for the model's own conventions (<see cref="OnnxEmbeddingModels.GetOptions"/>).</param>
    /// <exception cref="DirectoryNotFoundException">The model files are not in the app's output.</exception>
    public static OnnxEmbeddingGenerator Create(OnnxEmbeddingOptions? options = null) => OnnxEmbeddingModels.Create(Id, options);
}
