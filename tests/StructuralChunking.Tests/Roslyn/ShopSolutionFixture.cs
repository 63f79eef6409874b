using StructuralChunking.Roslyn;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Roslyn;

/// <summary>
/// Loads the Shop fixture three ways: read statically (the default), through MSBuild (opted in) and ad hoc as a folder;
/// loading takes seconds, so tests share it.
/// </summary>
public sealed class ShopSolutionFixture : IAsyncLifetime, IDisposable
{
    // MSBuild writes obj/ next to the projects it evaluates: the trusted load works on a copy, so the checked-in
    // fixture stays as committed.
    private readonly TempDirectory _trustedCopy = new();

    public CSharpGraphResult Solution { get; private set; } = null!;

    public CSharpGraphResult AdHoc { get; private set; } = null!;

    public CSharpGraphResult TrustedSolution { get; private set; } = null!;

    public static string SolutionPath => RepositoryPaths.Fixture("CSharp", "Shop", "Shop.sln");

    public async Task InitializeAsync()
    {
        Solution = await CSharpGraphLoader.LoadAsync(SolutionPath);
        var source = RepositoryPaths.Fixture("CSharp", "Shop");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (!relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            {
                _trustedCopy.Write(relative, File.ReadAllText(file));
            }
        }

        TrustedSolution = await CSharpGraphLoader.LoadAsync(Path.Combine(_trustedCopy.Path, "Shop.sln"), new CSharpGraphOptions { TrustProjectBuild = true });
        AdHoc = await CSharpGraphLoader.LoadAsync(RepositoryPaths.Fixture("CSharp", "Shop", "src"));
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _trustedCopy.Dispose();
}
