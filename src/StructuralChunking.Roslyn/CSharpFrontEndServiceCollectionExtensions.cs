using StructuralChunking.FrontEnds;
using StructuralChunking.Roslyn;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the C# front end for <c>AddStructuralChunking()</c>.</summary>
public static class CSharpFrontEndServiceCollectionExtensions
{
    /// <summary>Registers a <see cref="CSharpFrontEnd"/> as an <see cref="ICodeFrontEnd"/>; front ends registered earlier take precedence.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">Loader options; <c>null</c> for the defaults.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddCSharpFrontEnd(this IServiceCollection services, CSharpGraphOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddSingleton<ICodeFrontEnd>(new CSharpFrontEnd(options));
    }
}
