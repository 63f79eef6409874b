using StructuralChunking.Evaluation;
using StructuralChunking.Tests.Chunking;

namespace StructuralChunking.Tests.Evaluation;

public sealed class DocCommentQueriesTests(ChunkingFixture fixture) : IClassFixture<ChunkingFixture>
{
    [Fact]
    public void Queries_come_from_first_sentences_of_documented_definitions()
    {
        var queries = DocCommentQueries.FromGraph(fixture.Inventory.Graph);

        var statusOf = Assert.Single(queries, q => q.Query == "Classifies a level as in stock, low or out of stock");
        Assert.Equal("InventoryService.cs", statusOf.Relevant[0].Path);
        Assert.Equal("Warehouse.Inventory.InventoryService.StatusOf", statusOf.Relevant[0].Symbol);
        Assert.All(queries, q => Assert.True(q.Query.Split(' ').Length >= DocCommentQueries.MinimumWords));
        Assert.Equal(queries.Select(q => q.Id), DocCommentQueries.FromGraph(fixture.Inventory.Graph).Select(q => q.Id));
        Assert.Equal(2, DocCommentQueries.FromGraph(fixture.Inventory.Graph, maxQueries: 2).Count);
    }
}
