using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using StructuralChunking.Embeddings;

namespace StructuralChunking.Tests.Search;

public sealed class HashingEmbeddingGeneratorTests
{
    private static readonly HashingEmbeddingGenerator Generator = new();

    private static float[] Embed(string text, HashingEmbeddingGenerator? generator = null)
    {
        var vector = new float[512];
        (generator ?? Generator).Embed(text, vector);
        return vector;
    }

    private static float Cosine(string a, string b) => TensorPrimitives.CosineSimilarity(Embed(a), Embed(b));

    [Fact]
    public void Vectors_are_deterministic_normalised_and_sized()
    {
        var first = Embed("public bool UseAdminJwtValidationMiddleware(string header)");
        var second = Embed("public bool UseAdminJwtValidationMiddleware(string header)", new HashingEmbeddingGenerator());
        Assert.Equal(512, first.Length);
        Assert.Equal(first, second);
        Assert.Equal(1f, TensorPrimitives.Norm(first), 4);
        Assert.All(Embed(""), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Split_identifiers_make_the_discriminating_word_count()
    {
        const string admin = "def useAdminJwtValidationMiddleware(request, next): token = read_bearer_token(request)";
        const string user = "def useUserJwtValidationMiddleware(request, next): token = read_bearer_token(request)";
        var query = "middleware that validates the admin jwt";
        Assert.True(Cosine(query, admin) > Cosine(query, user) + 0.05f, $"admin {Cosine(query, admin)} user {Cosine(query, user)}");
        query = "user jwt validation";
        Assert.True(Cosine(query, user) > Cosine(query, admin) + 0.05f);
    }

    [Fact]
    public void Related_word_forms_share_features_through_trigrams()
    {
        Assert.True(Cosine("validation", "Validate") > Cosine("validation", "Serialize"));
    }

    [Fact]
    public async Task The_interface_returns_the_same_vectors()
    {
        var embeddings = await Generator.GenerateAsync(["ReadBearerToken", "PlaceOrder"]);
        Assert.Equal(Embed("ReadBearerToken"), embeddings[0].Vector.ToArray());
        Assert.Equal(Embed("PlaceOrder"), embeddings[1].Vector.ToArray());
        Assert.Equal("hash-512", embeddings[0].ModelId);
    }

    [Fact]
    public void Metadata_reports_model_and_dimensions()
    {
        var metadata = Generator.GetService<EmbeddingGeneratorMetadata>();
        Assert.NotNull(metadata);
        Assert.Equal("hash-512", metadata.DefaultModelId);
        Assert.Equal(512, metadata.DefaultModelDimensions);
        Assert.Equal("hash-64", new HashingEmbeddingGenerator(new HashingEmbeddingOptions { Dimensions = 64 }).Profile.ModelId);
        Assert.Throws<ArgumentException>(() => new HashingEmbeddingGenerator(new HashingEmbeddingOptions { Dimensions = 2, WordWeight = float.NaN }));
    }
}
