using StructuralChunking.Roslyn;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Roslyn;

/// <summary>Loads the Shop fixture once through MSBuild and once ad hoc; loading takes seconds, so tests share it.</summary>
public sealed class ShopSolutionFixture : IAsyncLifetime
{
    public CSharpGraphResult Solution { get; private set; } = null!;

    public CSharpGraphResult AdHoc { get; private set; } = null!;

    public static string SolutionPath => RepositoryPaths.Fixture("CSharp", "Shop", "Shop.sln");

    public async Task InitializeAsync()
    {
        Solution = await CSharpGraphLoader.LoadAsync(SolutionPath);
        AdHoc = await CSharpGraphLoader.LoadAsync(RepositoryPaths.Fixture("CSharp", "Shop", "src"));
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
