using Microsoft.Extensions.AI;
using StructuralChunking.Embeddings;
using StructuralChunking.Onnx;

namespace StructuralChunking.Tests.Onnx;

/// <summary>The int8 variant of MiniLM that the model package generates at build time from the float model.</summary>
public sealed class QuantizedModelTests(BuiltInModelsFixture models) : IClassFixture<BuiltInModelsFixture>
{
    private static readonly string[] Texts =
    [
        "find the middleware that validates JWT tokens",
        "def use_admin_jwt_validation_middleware(request, next)",
        "public static string ReadBearerToken(HttpRequest request) => request.Headers[\"Authorization\"].ToString();",
        "path: Shop/Inventory.cs\nscope: Shop > Inventory > StatusOf (method)\nwords: status of, stock level\npublic StockStatus StatusOf(StockLevel level) { return level.Available > 0 ? StockStatus.InStock : StockStatus.Out; }",
    ];

    [Fact]
    public void Int8_IsItsOwnModel_SoAnIndexNeverMixesItsVectorsWithTheFloatModels()
    {
        using var quantized = OnnxEmbeddingModels.Create(OnnxEmbeddingModels.MiniLMInt8);

        Assert.Equal(new EmbeddingProfile("minilm-int8", 384), quantized.Profile);
        Assert.Equal("minilm-int8", quantized.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId);
        Assert.NotEqual(models.MiniLm.Profile.ModelId, quantized.Profile.ModelId);
        Assert.Equal(models.MiniLm.Options.MaxTokens, quantized.Options.MaxTokens);
        Assert.Equal(models.MiniLm.Options.Pooling, quantized.Options.Pooling);
    }

    [Fact]
    public void Int8_IsSmallerThanTheFloatModel_AndItsVectorsStayCloseToIt()
    {
        var floatModel = Path.Combine(OnnxEmbeddingModels.DefaultModelsDirectory, OnnxEmbeddingModels.MiniLM, "model.onnx");
        var int8Model = Path.Combine(OnnxEmbeddingModels.DefaultModelsDirectory, OnnxEmbeddingModels.MiniLMInt8, "model.onnx");
        using var quantized = OnnxEmbeddingModels.Create(OnnxEmbeddingModels.MiniLMInt8);

        var expected = models.MiniLm.Embed(Texts);
        var actual = quantized.Embed(Texts);

        // The matrix weights went from 4 bytes to 1; the word embeddings (about 47 MB) stay float.
        Assert.True(new FileInfo(int8Model).Length < new FileInfo(floatModel).Length * 0.7);
        for (var i = 0; i < Texts.Length; i++)
        {
            var cosine = System.Numerics.Tensors.TensorPrimitives.Dot(expected[i], actual[i]);
            Assert.InRange(cosine, 0.97f, 0.99999f);
        }

        // Ranking survives: the question is still closest to the code it asks about.
        Assert.True(Dot(actual[0], actual[1]) > Dot(actual[0], actual[3]));
    }

    private static float Dot(float[] a, float[] b) => System.Numerics.Tensors.TensorPrimitives.Dot(a, b);
}
