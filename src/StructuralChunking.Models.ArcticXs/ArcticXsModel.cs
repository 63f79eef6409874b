using StructuralChunking.Onnx;

namespace StructuralChunking.Models;

/// <summary>
/// snowflake-arctic-embed-xs: 384 dimensions, <c>[CLS]</c> pooling, a query prefix, 512 tokens. This package copies it
/// to <c>models/arctic-xs/</c> in the app's output.
/// </summary>
public static class ArcticXsModel
{
    /// <summary>The model id indexes record: <c>arctic-xs</c>.</summary>
    public const string Id = OnnxEmbeddingModels.ArcticXs;

    /// <summary>Where the model files are: <c>models/arctic-xs/</c> under the application's base directory.</summary>
    public static string Directory => Path.Combine(OnnxEmbeddingModels.DefaultModelsDirectory, Id);

    /// <summary>Opens the model.</summary>
    /// <param name="options">Options; <c>null</c> for the model's own conventions (<see cref="OnnxEmbeddingModels.GetOptions"/>).</param>
    /// <exception cref="DirectoryNotFoundException">The model files are not in the app's output.</exception>
    public static OnnxEmbeddingGenerator Create(OnnxEmbeddingOptions? options = null) => OnnxEmbeddingModels.Create(Id, options);
}
