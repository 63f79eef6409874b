using Microsoft.Extensions.AI;
using StructuralChunking.Onnx;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers an ONNX embedding model as the app's <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>.</summary>
public static class OnnxServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="OnnxEmbeddingGenerator"/> (opened on first use, disposed with the container) as
    /// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of strings.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="modelId">
    /// <c>minilm-int8</c> (the default: all-MiniLM-L6-v2 with int8 weights, about twice as fast as <c>minilm</c> and as
    /// good on the evaluation sets), <c>minilm</c> (both need StructuralChunking.Models.MiniLM), <c>arctic-xs</c> (needs
    /// StructuralChunking.Models.ArcticXs) or <c>onnx:FOLDER</c>.
    /// </param>
    /// <param name="options">Options; <c>null</c> for the model's own.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddOnnxEmbeddingGenerator(this IServiceCollection services, string modelId = OnnxEmbeddingModels.MiniLMInt8, OnnxEmbeddingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        services.AddSingleton(_ => OnnxEmbeddingModels.Create(modelId, options));
        return services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(provider => provider.GetRequiredService<OnnxEmbeddingGenerator>());
    }
}
