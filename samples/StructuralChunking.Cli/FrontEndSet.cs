using StructuralChunking.Discovery;
using StructuralChunking.FrontEnds;
using StructuralChunking.Roslyn;
using StructuralChunking.TreeSitter;

namespace StructuralChunking.Cli;

/// <summary>The front ends every command uses: C# through Roslyn first, every other language through tree-sitter.</summary>
internal static class FrontEndSet
{
    public static IReadOnlyList<ICodeFrontEnd> Create() => [new CSharpFrontEnd(), new TreeSitterFrontEnd()];

    /// <summary>Loads PATH with every front end; a path that does not exist is the user's error, not a crash.</summary>
    public static async Task<CodeBase> LoadAsync(string path, long maxFileBytes, CancellationToken cancellationToken)
    {
        var loader = new CodeBaseLoader(Create(), new SourceDiscoveryOptions { MaxFileBytes = maxFileBytes });
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
