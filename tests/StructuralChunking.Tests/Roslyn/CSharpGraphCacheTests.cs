using StructuralChunking.Graph;
using StructuralChunking.Roslyn;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Roslyn;

/// <summary>
/// <see cref="CSharpGraphCache"/>: a load with the cache gives exactly the graph of a load without it, while binding
/// only the documents whose text or visible declarations changed.
/// </summary>
public sealed class CSharpGraphCacheTests
{
    [Fact]
    public async Task Unchanged_and_body_only_edits_reuse_documents_and_give_the_same_graph()
    {
        using var folder = CopyOfShop();
        var cachePath = Path.Combine(folder.Path, "graph.cache");

        var first = await LoadWithCache(folder.Path, cachePath);
        Assert.Equal(0, first.ReusedDocumentCount);
        Assert.True(first.DocumentCount >= 5);

        var second = await LoadWithCache(folder.Path, cachePath);
        Assert.Equal(second.DocumentCount, second.ReusedDocumentCount);
        AssertSameGraph(first.Graph, second.Graph);

        // A body and a comment change: one document is bound again, and the graph is what a cold load gives.
        var calculator = Path.Combine(folder.Path, "Shop.Core", "Pricing", "PriceCalculator.cs");
        var source = File.ReadAllText(calculator);
        var edited = source.Replace("gross - ApplyDiscount(gross);", "gross - (ApplyDiscount(gross) * 1m); // the discount applies once", StringComparison.Ordinal);
        Assert.NotEqual(source, edited);
        File.WriteAllText(calculator, edited);

        var third = await LoadWithCache(folder.Path, cachePath);
        Assert.Equal(third.DocumentCount - 1, third.ReusedDocumentCount);
        AssertSameGraph((await CSharpGraphLoader.LoadAsync(folder.Path)).Graph, third.Graph);
    }

    [Fact]
    public async Task A_new_declaration_binds_every_document_again()
    {
        using var folder = CopyOfShop();
        var cachePath = Path.Combine(folder.Path, "graph.cache");
        await LoadWithCache(folder.Path, cachePath);

        folder.Write("Shop.Core/Pricing/Rounding.cs", "namespace Shop.Core.Pricing;\n\npublic static class Rounding\n{\n    public static decimal ToCents(decimal value) => decimal.Round(value, 2);\n}\n");
        var after = await LoadWithCache(folder.Path, cachePath);

        Assert.Equal(0, after.ReusedDocumentCount);
        AssertSameGraph((await CSharpGraphLoader.LoadAsync(folder.Path)).Graph, after.Graph);
    }

    [Fact]
    public void Corrupt_or_missing_cache_files_are_empty_caches_with_a_reason()
    {
        using var folder = new TempDirectory();
        var missing = CSharpGraphCache.Load(Path.Combine(folder.Path, "none.cache"), out var noProblem);
        Assert.Equal(0, missing.Count);
        Assert.Null(noProblem);

        var corrupt = CSharpGraphCache.Load(folder.Write("bad.cache", "not a cache at all, but long enough to have a trailer"), out var problem);
        Assert.Equal(0, corrupt.Count);
        Assert.Contains("corrupt", problem, StringComparison.Ordinal);
    }

    private static async Task<CSharpGraphResult> LoadWithCache(string root, string cachePath)
    {
        var cache = CSharpGraphCache.Load(cachePath, out var problem);
        Assert.Null(problem);
        var result = await CSharpGraphLoader.LoadAsync(root, new CSharpGraphOptions { Cache = cache });
        cache.Save(cachePath);
        return result;
    }

    private static TempDirectory CopyOfShop()
    {
        var folder = new TempDirectory();
        var source = RepositoryPaths.Fixture("CSharp", "Shop", "src");
        foreach (var file in Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (!relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            {
                folder.Write(relative, File.ReadAllText(file));
            }
        }

        return folder;
    }

    private static void AssertSameGraph(CodeGraph expected, CodeGraph actual)
    {
        Assert.Equal(expected.Symbols.Select(Describe), actual.Symbols.Select(Describe));
        // As arrays: ImmutableArray's own equality compares the underlying array references.
        Assert.Equal(expected.Edges.ToArray(), actual.Edges.ToArray());
    }

    private static string Describe(CodeSymbol symbol) =>
        string.Join(" | ", symbol.Id, symbol.QualifiedName, symbol.Kind, symbol.Location, string.Join(";", symbol.AdditionalLocations),
            symbol.Signature, symbol.Documentation, symbol.ParentId, symbol.Traits);
}
