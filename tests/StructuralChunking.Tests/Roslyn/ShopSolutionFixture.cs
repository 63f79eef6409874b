using StructuralChunking.Roslyn;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Roslyn;

/// <summary>
/// Loads the Shop fixture three ways: read statically (the default), through MSBuild (opted in) and ad hoc as a folder;
/// loading takes seconds, so tests share it.
/// </summary>
public sealed class ShopSolutionFixture : IAsyncLifetime
{
    public CSharpGraphResult Solution { get; private set; } = null!;

    public CSharpGraphResult AdHoc { get; private set; } = null!;

    public CSharpGraphResult TrustedSolution { get; private set; } = null!;

    public static string SolutionPath => RepositoryPaths.Fixture("CSharp", "Shop", "Shop.sln");

    public async Task InitializeAsync()
    {
        Solution = await CSharpGraphLoader.LoadAsync(SolutionPath);
        TrustedSolution = await CSharpGraphLoader.LoadAsync(SolutionPath, new CSharpGraphOptions { TrustProjectBuild = true });
        AdHoc = await CSharpGraphLoader.LoadAsync(RepositoryPaths.Fixture("CSharp", "Shop", "src"));
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
