namespace StructuralChunking.Tests.Support;

/// <summary>Finds the repository's fixture folders from the test binary's location.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "StructuralChunking.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with StructuralChunking.sln) was not found above " + AppContext.BaseDirectory);
    });

    public static string Root => RootPath.Value;

    public static string Fixture(params string[] parts) => Path.Combine([Root, "tests", "Fixtures", .. parts]);
}
