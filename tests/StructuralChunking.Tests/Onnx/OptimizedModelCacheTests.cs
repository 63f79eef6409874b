using StructuralChunking.Onnx;

namespace StructuralChunking.Tests.Onnx;

public sealed class OptimizedModelCacheTests(BuiltInModelsFixture models) : IClassFixture<BuiltInModelsFixture>, IDisposable
{
    private static readonly string[] Texts =
    [
        "find the middleware that validates JWT tokens",
        "def use_admin_jwt_validation_middleware(request, next)",
        "public sealed class InventoryService { public StockStatus StatusOf(StockLevel level) => level.Available > 0 ? StockStatus.InStock : StockStatus.Out; }",
        "x",
    ];

    private readonly string _cache = Path.Combine(Path.GetTempPath(), "structchunk-model-cache-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_cache))
        {
            Directory.Delete(_cache, recursive: true);
        }
    }

    [Fact]
    public void Embeddings_AreTheSameToTheBit_WhenWrittenAndWhenReadFromTheCache()
    {
        var expected = models.MiniLm.Embed(Texts);

        using (var writing = Create())
        {
            AssertSame(expected, writing.Embed(Texts));
        }

        var entry = Assert.Single(Directory.GetDirectories(_cache));
        Assert.True(new FileInfo(Path.Combine(entry, "model.onnx.data")).Length > 80_000_000, "the weights are stored beside the graph");

        using var reading = Create();
        AssertSame(expected, reading.Embed(Texts));
    }

    [Fact]
    public void DamagedEntry_IsNotUsed_AndIsReplaced()
    {
        var expected = models.MiniLm.Embed(Texts);
        using (Create())
        {
        }

        var entry = Assert.Single(Directory.GetDirectories(_cache));
        var weights = Path.Combine(entry, "model.onnx.data");
        using (var stream = new FileStream(weights, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        using (var afterDamage = Create())
        {
            AssertSame(expected, afterDamage.Embed(Texts));
        }

        Assert.True(new FileInfo(weights).Length > 80_000_000, "the damaged copy was written again");
        using var reading = Create();
        AssertSame(expected, reading.Embed(Texts));
    }

    [Fact]
    public void UnwritableCacheFolder_FallsBackToTheModel()
    {
        // A file where the folder should be: nothing can be created under it.
        var blocker = Path.GetTempFileName();
        try
        {
            using var generator = OnnxEmbeddingModels.Create(OnnxEmbeddingModels.MiniLM,
                OnnxEmbeddingModels.GetOptions(OnnxEmbeddingModels.MiniLM) with { OptimizedModelCacheDirectory = Path.Combine(blocker, "cache") });
            AssertSame(models.MiniLm.Embed(Texts), generator.Embed(Texts));
        }
        finally
        {
            File.Delete(blocker);
        }
    }

    [Fact]
    public void WritingAnEntry_KeepsOnlyTheMostRecentlyUsedOnes()
    {
        // Entries of other copies of models, used one day apart, the oldest first.
        for (var i = 0; i < 6; i++)
        {
            var old = Directory.CreateDirectory(Path.Combine(_cache, $"old{i}")).FullName;
            File.WriteAllText(Path.Combine(old, "manifest.txt"), "x");
            File.SetLastWriteTimeUtc(Path.Combine(old, "manifest.txt"), DateTime.UtcNow.AddDays(i - 10));
        }

        using (Create())
        {
        }

        // The new entry and the three used last are kept: disk use stays bounded however many copies come and go.
        var kept = Directory.GetDirectories(_cache).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(4, kept.Count);
        Assert.Equal(["old3", "old4", "old5"], kept.Where(k => k!.StartsWith("old", StringComparison.Ordinal)));
    }

    [Fact]
    public void QuantizedModel_IsTheSameToTheBit_ThroughTheCache()
    {
        var options = OnnxEmbeddingModels.GetOptions(OnnxEmbeddingModels.MiniLMInt8);
        using var uncached = OnnxEmbeddingModels.Create(OnnxEmbeddingModels.MiniLMInt8, options);
        var expected = uncached.Embed(Texts);
        using (var writing = OnnxEmbeddingModels.Create(OnnxEmbeddingModels.MiniLMInt8, options with { OptimizedModelCacheDirectory = _cache }))
        {
            AssertSame(expected, writing.Embed(Texts));
        }

        using var reading = OnnxEmbeddingModels.Create(OnnxEmbeddingModels.MiniLMInt8, options with { OptimizedModelCacheDirectory = _cache });
        AssertSame(expected, reading.Embed(Texts));
    }

    private OnnxEmbeddingGenerator Create() => OnnxEmbeddingModels.Create(OnnxEmbeddingModels.MiniLM,
        OnnxEmbeddingModels.GetOptions(OnnxEmbeddingModels.MiniLM) with { OptimizedModelCacheDirectory = _cache });

    private static void AssertSame(float[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }
}
