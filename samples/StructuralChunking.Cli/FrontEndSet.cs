using StructuralChunking.Discovery;
using StructuralChunking.FrontEnds;
using StructuralChunking.Roslyn;
using StructuralChunking.TreeSitter;

namespace StructuralChunking.Cli;

/// <summary>The front ends every command uses: C# through Roslyn first, every other language through tree-sitter.</summary>
internal static class FrontEndSet
{
    /// <param name="trustBuild">Let MSBuild evaluate C# projects (running their targets): <c>--trust-build</c>.</param>
    public static IReadOnlyList<ICodeFrontEnd> Create(bool trustBuild = false) =>
        [new CSharpFrontEnd(new CSharpGraphOptions { TrustProjectBuild = trustBuild }), new TreeSitterFrontEnd()];

    /// <summary>Loads PATH with every front end; a path that does not exist is the user's error, not a crash.</summary>
    public static async Task<CodeBase> LoadAsync(string path, long maxFileBytes, CancellationToken cancellationToken, bool trustBuild = false)
    {
        var loader = new CodeBaseLoader(Create(trustBuild), new SourceDiscoveryOptions { MaxFileBytes = maxFileBytes });
        try
        {
            return await loader.LoadAsync(path, progress: null, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            throw new CliUserException(ex.Message);
        }
    }
}
