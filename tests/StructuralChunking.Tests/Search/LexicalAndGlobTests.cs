using StructuralChunking.Search;

namespace StructuralChunking.Tests.Search;

public sealed class LexicalAndGlobTests
{
    [Fact]
    public void Bm25_ranks_the_document_with_the_query_terms_and_splits_query_identifiers()
    {
        var index = Bm25Index.Build([
            "PlaceOrder place order Order order Validate",
            "CancelOrder cancel order Order order",
            "ReadBearerToken read bearer token header",
        ]);

        Assert.Equal(0, index.Search("PlaceOrder", 3)[0].Ordinal);
        Assert.Equal(0, index.Search("where are orders placed? place order", 3)[0].Ordinal);
        Assert.Equal(2, index.Search("bearer token", 3)[0].Ordinal);
        Assert.Empty(index.Search("completely unrelated words", 3));
        Assert.Equal([1], index.Search("order", 3, filter: d => d == 1).Select(r => r.Ordinal));
    }

    [Fact]
    public void Query_terms_keep_whole_identifiers_and_their_words()
    {
        Assert.Equal(["where", "is", "placeorder", "place", "order", "validated"], LexicalTokenizer.QueryTerms("where is PlaceOrder validated?"));
    }

    [Theory]
    [InlineData("*.cs", "src/Orders/OrderService.cs", true)]
    [InlineData("*.cs", "src/Orders/order.py", false)]
    [InlineData("src/**/*.cs", "src/Orders/OrderService.cs", true)]
    [InlineData("src/**/*.cs", "src/OrderService.cs", true)]
    [InlineData("src/*.cs", "src/Orders/OrderService.cs", false)]
    [InlineData("tests/**", "tests/a/b/c.cs", true)]
    [InlineData("Serialization/Json?erializer*.cs", "Serialization/JsonSerializerInternalWriter.cs", true)]
    [InlineData("auth/**/admin_*", "auth/middleware/admin_jwt_validator.py", true)]
    [InlineData("auth/**/admin_*", "auth/middleware/user_jwt_validator.py", false)]
    public void Path_globs_match_like_a_shell(string glob, string path, bool expected) => Assert.Equal(expected, PathGlob.IsMatch(glob, path));
}
