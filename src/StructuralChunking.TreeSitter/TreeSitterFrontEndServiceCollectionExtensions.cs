using StructuralChunking.FrontEnds;
using StructuralChunking.TreeSitter;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the tree-sitter front end for <c>AddStructuralChunking()</c>.</summary>
public static class TreeSitterFrontEndServiceCollectionExtensions
{
    /// <summary>Registers a <see cref="TreeSitterFrontEnd"/> as an <see cref="ICodeFrontEnd"/>; front ends registered earlier take precedence.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">Loader options; <c>null</c> for the defaults.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddTreeSitterFrontEnd(this IServiceCollection services, TreeSitterGraphOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddSingleton<ICodeFrontEnd>(new TreeSitterFrontEnd(options));
    }
}
