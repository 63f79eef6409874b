using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StructuralChunking;
using StructuralChunking.FrontEnds;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="CodeSearchEngine"/> in a service collection.</summary>
public static class StructuralChunkingServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="CodeSearchEngine"/>. Its front ends are every registered
    /// <see cref="ICodeFrontEnd"/>, in registration order (<c>AddCSharpFrontEnd()</c>, <c>AddTreeSitterFrontEnd()</c>);
    /// its embedder is the registered <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of strings
    /// (<c>AddOnnxEmbeddingGenerator()</c>). <paramref name="configure"/> runs last and may change either.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adjusts the options (chunking, discovery, a different embedder); may be <c>null</c>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddStructuralChunking(this IServiceCollection services, Action<CodeSearchEngineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(provider =>
        {
            var options = new CodeSearchEngineOptions
            {
                Embedder = provider.GetService<IEmbeddingGenerator<string, Embedding<float>>>(),
            };
            foreach (var frontEnd in provider.GetServices<ICodeFrontEnd>())
            {
                options.FrontEnds.Add(frontEnd);
            }

            configure?.Invoke(options);
            return new CodeSearchEngine(options);
        });
        return services;
    }
}
