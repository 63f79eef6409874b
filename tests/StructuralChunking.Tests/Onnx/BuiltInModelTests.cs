using System.Text.Json;
using Microsoft.Extensions.AI;
using StructuralChunking.Chunking;
using StructuralChunking.Embeddings;
using StructuralChunking.Onnx;

namespace StructuralChunking.Tests.Onnx;

/// <summary>Loads each shipped model once for every test class that uses it (about a second each).</summary>
public sealed class BuiltInModelsFixture : IDisposable
{
    private readonly Lazy<OnnxEmbeddingGenerator> _miniLm = new(() => OnnxEmbeddingModels.Create(OnnxEmbeddingModels.MiniLM));
    private readonly Lazy<OnnxEmbeddingGenerator> _arcticXs = new(() => OnnxEmbeddingModels.Create(OnnxEmbeddingModels.ArcticXs));

    public OnnxEmbeddingGenerator MiniLm => _miniLm.Value;

    public OnnxEmbeddingGenerator ArcticXs => _arcticXs.Value;

    public void Dispose()
    {
        if (_miniLm.IsValueCreated)
        {
            _miniLm.Value.Dispose();
        }

        if (_arcticXs.IsValueCreated)
        {
            _arcticXs.Value.Dispose();
        }
    }
}

public sealed class BuiltInModelTests(BuiltInModelsFixture models) : IClassFixture<BuiltInModelsFixture>
{
    private const string Query = "find the middleware that validates JWT tokens";
    private const string Code = "def use_admin_jwt_validation_middleware(request, next)";

    [Fact]
    public void MiniLm_FindsTheJwtMiddlewareForTheQuestion()
    {
        var vectors = models.MiniLm.Embed([Query, Code]);

        // FACTS: the package's own API gives 0.7068 for this pair.
        var cosine = Cosine(vectors[0], vectors[1]);
        Assert.True(cosine > 0.6, $"cosine {cosine}");
        Assert.InRange(cosine, 0.69, 0.72);
    }

    [Fact]
    public void MiniLm_MatchesTheSentenceTransformersPackage()
    {
        // Produced once with the package's SentenceEncoder; see the file's "command" for how to regenerate it.
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Onnx", "TestData", "minilm-reference-vectors.json")));
        var items = document.RootElement.GetProperty("items").EnumerateArray().ToList();
        var texts = items.Select(item => item.GetProperty("text").GetString()!).ToList();

        var vectors = models.MiniLm.Embed(texts);

        Assert.True(items.Count >= 5);
        for (var i = 0; i < items.Count; i++)
        {
            var expected = items[i].GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            var cosine = Cosine(expected, vectors[i]);
            Assert.True(cosine >= 0.99, $"'{texts[i]}': cosine {cosine}");
        }
    }

    [Fact]
    public void MiniLm_ReportsItsMetadataAndProfile()
    {
        var generator = models.MiniLm;
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal(OnnxEmbeddingGenerator.ProviderName, metadata.ProviderName);
        Assert.Equal("minilm", metadata.DefaultModelId);
        Assert.Equal(384, metadata.DefaultModelDimensions);
        Assert.Equal(new EmbeddingProfile("minilm", 384), generator.Profile);
        Assert.Equal(256, generator.Options.MaxTokens);
        Assert.Same(generator.Profile, generator.GetService<EmbeddingProfile>());
        Assert.Same(generator.Tokenizer, generator.GetService<ITokenCounter>());
        Assert.Null(generator.GetService<EmbeddingGeneratorMetadata>("some key"));
        Assert.Equal(EmbeddingPooling.Mean, generator.Options.Pooling);
    }

    [Fact]
    public async Task MiniLm_GenerateAsync_ReturnsUnitVectorsInOrder_WithUsageAndProgress()
    {
        string[] texts = ["alpha", "a much longer text about parsing JSON tokens from a reader", "beta"];
        var reported = new List<int>();
        var options = new EmbeddingGenerationOptions { AdditionalProperties = new() { [OnnxEmbeddingGenerator.ProgressPropertyName] = new SyncProgress(reported) } };

        var embeddings = await models.MiniLm.GenerateAsync(texts, options);

        Assert.Equal(3, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(384, e.Dimensions));
        Assert.All(embeddings, e => Assert.Equal("minilm", e.ModelId));
        Assert.All(embeddings, e => Assert.InRange(Norm(e.Vector.Span), 0.9999, 1.0001));
        Assert.Equal(models.MiniLm.Embed("beta"), embeddings[2].Vector.ToArray());
        Assert.Equal(texts.Sum(t => models.MiniLm.Tokenizer.CountTokens(t) + 2), embeddings.Usage!.InputTokenCount);
        Assert.Equal(3, reported[^1]);
    }

    [Fact]
    public void MiniLm_EmbeddingDoesNotDependOnBatchMates()
    {
        const string text = "public int Count => _items.Count;";
        var alone = models.MiniLm.Embed(text);
        var longer = Enumerable.Range(0, 40)
            .Select(i => string.Join(' ', Enumerable.Repeat($"var item{i} = reader.ReadAsString() ?? throw new InvalidOperationException();", 1 + (i % 5))))
            .ToList();
        longer.Insert(17, text);

        var batched = models.MiniLm.Embed(longer)[17];

        Assert.True(Cosine(alone, batched) >= 0.9999, $"cosine {Cosine(alone, batched)}");
    }

    [Fact]
    public void MiniLm_CutsLongInputsAt256Tokens()
    {
        var text = string.Join(' ', Enumerable.Range(0, 200).Select(i => $"field{i} = value{i};"));
        var tokenizer = models.MiniLm.Tokenizer;
        var cut = text[..tokenizer.GetIndexByTokenCount(text, 254, out _)];

        Assert.True(tokenizer.CountTokens(text) > 1000);
        Assert.True(Cosine(models.MiniLm.Embed(text), models.MiniLm.Embed(cut)) >= 0.9999);
    }

    [Fact]
    public void MiniLm_StopsWhenCancelled()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => models.MiniLm.Embed(["a", "b"], null, cancellation.Token));
    }

    [Fact]
    public async Task MiniLm_RefusesOtherDimensionsOrModels()
    {
        await Assert.ThrowsAsync<NotSupportedException>(() => models.MiniLm.GenerateAsync(["a"], new EmbeddingGenerationOptions { Dimensions = 128 }));
        await Assert.ThrowsAsync<ArgumentException>(() => models.MiniLm.GenerateAsync(["a"], new EmbeddingGenerationOptions { ModelId = "arctic-xs" }));
        Assert.Empty(await models.MiniLm.GenerateAsync([]));
    }

    [Fact]
    public void ArcticXs_UsesClsPoolingAndTheQueryPrefix_AndRanksTheRightCodeFirst()
    {
        var generator = models.ArcticXs;
        var profile = generator.Profile;

        Assert.Equal(new EmbeddingProfile("arctic-xs", 384, OnnxEmbeddingModels.ArcticQueryPrefix, ""), profile);
        Assert.Equal(EmbeddingPooling.Cls, generator.Options.Pooling);

        var query = generator.Embed(profile.ForQuery("how do I validate a JWT token in middleware"));
        var documents = generator.Embed([
            profile.ForDocument("def use_admin_jwt_validation_middleware(request, next): token = request.headers['Authorization']; verify_jwt(token)"),
            profile.ForDocument("def render_invoice_pdf(invoice, template): return pdf.render(template, invoice.lines)"),
        ]);

        Assert.True(Cosine(query, documents[0]) > Cosine(query, documents[1]) + 0.05);
    }

    [Fact]
    public void UnknownModelId_ListsTheBuiltInModels()
    {
        var error = Assert.Throws<ArgumentException>(() => OnnxEmbeddingModels.Create("bert-huge"));

        Assert.Contains("minilm", error.Message, StringComparison.Ordinal);
        Assert.Contains("arctic-xs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BuiltInModelMissing_SaysWhereItWasExpected()
    {
        var directory = Path.Combine(Path.GetTempPath(), "structchunk-empty-models-" + Guid.NewGuid().ToString("N"));

        var error = Assert.Throws<DirectoryNotFoundException>(() => OnnxEmbeddingModels.Create("minilm", modelsDirectory: directory));

        Assert.Contains(Path.Combine(directory, "minilm"), error.Message, StringComparison.Ordinal);
    }

    internal static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }

    internal static double Norm(ReadOnlySpan<float> vector)
    {
        double sum = 0;
        foreach (var v in vector)
        {
            sum += v * v;
        }

        return Math.Sqrt(sum);
    }

    // Progress<T> posts to the thread pool; the test needs the reports before the call returns.
    private sealed class SyncProgress(List<int> reports) : IProgress<int>
    {
        public void Report(int value) => reports.Add(value);
    }
}
