using Microsoft.Extensions.AI;
using StructuralChunking.Chunking;
using StructuralChunking.Embeddings;
using StructuralChunking.Indexing;
using StructuralChunking.Search;
using StructuralChunking.Tests.Chunking;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Indexing;

public sealed class CodeIndexTests(ChunkingFixture fixture) : IClassFixture<ChunkingFixture>
{
    private static readonly HashingEmbeddingGenerator Hashing = new();

    private List<CodeChunk> Chunks => ChunkingFixture.Chunk(fixture.Shop).Concat(ChunkingFixture.Chunk(fixture.Inventory)).ToList();

    private Task<CodeIndex> Build(CodeIndex? previous = null, IEmbeddingGenerator<string, Embedding<float>>? embedder = null) =>
        CodeIndexBuilder.BuildAsync(Chunks, embedder ?? Hashing, Hashing.Profile, "structural test", previous: previous);

    [Fact]
    public async Task Search_finds_the_seed_example_and_discriminates_admin_from_user()
    {
        var index = await Build();
        foreach (var mode in new[] { SearchMode.Dense, SearchMode.Lexical, SearchMode.Hybrid })
        {
            var admin = await index.SearchAsync("middleware validating an admin jwt token", Hashing, new SearchOptions { Mode = mode, Top = 3 });
            Assert.Equal("Shop.Web.Auth.Middleware.AdminJwtValidator", admin[0].Symbol);
            var user = await index.SearchAsync("middleware validating a user jwt token", Hashing, new SearchOptions { Mode = mode, Top = 3 });
            Assert.Equal("Shop.Web.Auth.Middleware.UserJwtValidator", user[0].Symbol);
        }
    }

    [Fact]
    public async Task Lexical_weight_zero_ranks_hybrid_like_dense_and_invalid_weights_are_refused()
    {
        var index = await Build();
        const string query = "compute the discounted price of an order";
        var dense = await index.SearchAsync(query, Hashing, new SearchOptions { Mode = SearchMode.Dense, Top = 5 });
        var hybrid = await index.SearchAsync(query, Hashing, new SearchOptions { Mode = SearchMode.Hybrid, Top = 5, LexicalWeight = 0 });

        // No identifier in the query, so no exact-name list: with BM25 weighted out only the dense order is left.
        Assert.Equal(dense.Select(r => r.Chunk.Id), hybrid.Select(r => r.Chunk.Id));
        Assert.Throws<ArgumentException>(() => new SearchOptions { LexicalWeight = -1 }.Validate());
        Assert.Throws<ArgumentException>(() => new SearchOptions { LexicalWeight = double.NaN }.Validate());
    }

    [Fact]
    public async Task A_query_naming_an_identifier_returns_that_definition_first()
    {
        var index = await Build();
        var results = await index.SearchAsync("where is ReadBearerToken", Hashing);
        Assert.Equal("Shop.Web.Auth.Middleware.TokenReader", results[0].Symbol);
        results = await index.SearchAsync("StatusOf", Hashing);
        Assert.Equal("Warehouse.Inventory.InventoryService.StatusOf", results[0].Symbol);
    }

    [Fact]
    public async Task Parts_of_a_split_definition_are_one_result_spanning_the_definition()
    {
        var index = await Build();
        var results = await index.SearchAsync("reconcile physical counts shrinkage surplus reorder dry run", Hashing, new SearchOptions { Top = 10 });
        var reconcile = Assert.Single(results, r => r.Symbol == "Warehouse.Inventory.InventoryService.Reconcile");
        var symbol = fixture.Inventory.Graph.Symbols.Single(s => s.QualifiedName == "Warehouse.Inventory.InventoryService.Reconcile");
        Assert.Equal((symbol.StartLine, symbol.EndLine), (reconcile.StartLine, reconcile.EndLine));
        Assert.Equal(Enumerable.Range(1, results.Count), results.Select(r => r.Rank));
    }

    [Fact]
    public async Task A_minimum_score_can_leave_nothing_and_filters_apply()
    {
        var index = await Build();
        Assert.Empty(await index.SearchAsync("quantum chromodynamics lattice gauge", Hashing, new SearchOptions { MinScore = 0.3f }));
        Assert.Empty(await index.SearchAsync("   ", Hashing));
        var onlyInventory = await index.SearchAsync("order", Hashing, new SearchOptions { PathGlob = "*Inventory*.cs" });
        Assert.NotEmpty(onlyInventory);
        Assert.All(onlyInventory, r => Assert.Contains("Inventory", r.Path, StringComparison.Ordinal));

        const string reader = "Shop.Web.Auth.Middleware.TokenReader";
        var tagged = Chunks.Select(c => c.SymbolName == reader ? c with { Traits = StructuralChunking.Graph.SymbolTraits.Test } : c).ToList();
        var withTestTag = await CodeIndexBuilder.BuildAsync(tagged, Hashing, Hashing.Profile, "structural test");
        // Test code is only ranked lower by default (a prior, not a filter): without the prior it is still first.
        Assert.Equal(reader, (await withTestTag.SearchAsync("read the bearer token", Hashing, new SearchOptions { TestCodeWeight = 1 }))[0].Symbol);
        Assert.Contains(await withTestTag.SearchAsync("read the bearer token", Hashing), r => r.Symbol == reader);
        Assert.DoesNotContain(await withTestTag.SearchAsync("read the bearer token", Hashing, new SearchOptions { ExcludeTests = true }), r => r.Symbol == reader);
    }

    [Fact]
    public async Task Save_and_load_round_trip_gives_the_same_answers()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "sub", "index.scidx");
        var index = (await Build()).WithMinScores(new Dictionary<string, float> { ["hybrid"] = 0.05f });
        index.Save(path);
        index.Save(path);
        var loaded = CodeIndex.Load(path);

        Assert.Equal(index.Chunks.Select(c => (c.Id, c.EmbeddingText, c.Location, c.Traits)), loaded.Chunks.Select(c => (c.Id, c.EmbeddingText, c.Location, c.Traits)));
        Assert.Equal(0.05f, loaded.Metadata.MinScores["hybrid"]);
        Assert.Equal("hash-512", loaded.Metadata.ModelId);
        foreach (var query in new[] { "read the bearer token", "reorder stock", "PlaceOrder" })
        {
            var before = await index.SearchAsync(query, Hashing);
            var after = await loaded.SearchAsync(query, Hashing);
            Assert.Equal(before.Select(r => (r.Chunk.Id, r.Score)), after.Select(r => (r.Chunk.Id, r.Score)));
        }

        Assert.Equal(["index.scidx"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Corrupt_truncated_and_foreign_files_fail_with_a_clear_message()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "index.scidx");
        (await Build()).Save(path);
        var bytes = File.ReadAllBytes(path);

        var corrupt = (byte[])bytes.Clone();
        corrupt[corrupt.Length / 2] ^= 0x5A;
        File.WriteAllBytes(path, corrupt);

        // Texts are verified when first read, every other section at load (IndexFileSectionTests has each case).
        Assert.Contains("corrupt", Assert.Throws<IndexFormatException>(() => CodeIndex.Load(path).Chunks.Select(c => c.DisplayText).ToList()).Message, StringComparison.Ordinal);

        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
        Assert.Throws<IndexFormatException>(() => CodeIndex.Load(path));

        File.WriteAllText(path, "not an index at all");
        Assert.Contains("not a structchunk index", Assert.Throws<IndexFormatException>(() => CodeIndex.Load(path)).Message, StringComparison.Ordinal);

        File.WriteAllBytes(path, []);
        Assert.Throws<IndexFormatException>(() => CodeIndex.Load(path));
        Assert.Throws<FileNotFoundException>(() => CodeIndex.Load(Path.Combine(folder.Path, "missing.scidx")));
    }

    [Fact]
    public async Task Searching_with_another_model_is_refused_with_directions()
    {
        var index = await Build();
        var other = new HashingEmbeddingGenerator(new HashingEmbeddingOptions { Dimensions = 256 });
        var error = await Assert.ThrowsAsync<IndexModelMismatchException>(() => index.SearchAsync("token", other));
        Assert.Contains("hash-512", error.Message, StringComparison.Ordinal);
        Assert.Contains("hash-256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rebuilding_reuses_embeddings_of_unchanged_chunks()
    {
        var first = await Build();
        var counting = new CountingEmbedder(Hashing);
        var changed = Chunks.Select((c, i) => i == 0 ? c with { EmbeddingText = c.EmbeddingText + "\n// edited", ContentHash = ContentHash.Of(c.EmbeddingText + "\n// edited") } : c).ToList();
        var second = await CodeIndexBuilder.BuildAsync(changed, counting, Hashing.Profile, "structural test", previous: first);

        Assert.Equal(1, counting.TextsEmbedded);
        Assert.Equal(first.Chunks.Length, second.Chunks.Length);
        var again = await CodeIndexBuilder.BuildAsync(changed, counting, new EmbeddingProfile("hash-512", 512, DocumentPrefix: "passage: "), "structural test", previous: second);
        Assert.Equal(1 + changed.Count, counting.TextsEmbedded);
        Assert.Equal(second.Chunks.Length, again.Chunks.Length);
    }

    [Fact]
    public async Task Empty_index_answers_nothing_and_duplicate_ids_are_rejected()
    {
        var empty = await CodeIndexBuilder.BuildAsync([], Hashing, Hashing.Profile, "none");
        Assert.Empty(await empty.SearchAsync("anything", Hashing));
        var chunk = Chunks[0];
        await Assert.ThrowsAsync<ArgumentException>(() => CodeIndexBuilder.BuildAsync([chunk, chunk], Hashing, Hashing.Profile, "dup"));
    }

    [Fact]
    public void A_second_concurrent_index_run_is_refused()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "index.scidx");
        using (IndexLock.Acquire(path))
        {
            var error = Assert.Throws<IOException>(() => IndexLock.Acquire(path));
            Assert.Contains("Another indexing run", error.Message, StringComparison.Ordinal);
        }

        using var again = IndexLock.Acquire(path);
    }

    [Theory]
    [InlineData("3f0c#2", "3f0c")]
    [InlineData("3f0c@1+members#0", "3f0c@1+members")]
    [InlineData("file:auth/m.py#0.1", "file:auth/m.py#0.1")]
    [InlineData("lines:a.cs:1-30", "lines:a.cs:1-30")]
    public void Group_keys_drop_the_part(string id, string group) => Assert.Equal(group, CodeIndex.GroupKey(id));

    private sealed class CountingEmbedder(IEmbeddingGenerator<string, Embedding<float>> inner) : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
    {
        public int TextsEmbedded { get; private set; }

        public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = values.ToList();
            TextsEmbedded += list.Count;
            return base.GenerateAsync(list, options, cancellationToken);
        }
    }
}
