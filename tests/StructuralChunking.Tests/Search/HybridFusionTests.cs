using Microsoft.Extensions.AI;
using StructuralChunking.Chunking;
using StructuralChunking.Embeddings;
using StructuralChunking.Graph;
using StructuralChunking.Indexing;
using StructuralChunking.Search;

namespace StructuralChunking.Tests.Search;

/// <summary>
/// Hybrid fusion on hand-built ranked lists: four chunks whose dense order is fixed by their vectors (cosine 1, 0.8,
/// 0.6, 0 to the query) and whose BM25 order is fixed by their words. Expected orders and scores are computed by hand
/// from reciprocal rank fusion, Σ weight / (60 + rank); graph ranking and the test prior are off unless a test turns
/// them on.
/// </summary>
public sealed class HybridFusionTests
{
    private static readonly SearchOptions Plain = new() { GraphWeight = 0, TestCodeWeight = 1 };

    private static CodeChunk Chunk(string name, string folder, string words, SymbolTraits traits = SymbolTraits.None) => new()
    {
        Id = name + "#0",
        SymbolName = "Demo." + name,
        SymbolKind = SymbolKind.Method,
        Language = "csharp",
        Location = new SourceLocation(folder + name + ".cs", 1, 3, 0, 10),
        EmbeddingText = name,
        LexicalText = words,
        DisplayText = name,
        ContentHash = name,
        Traits = traits,
    };

    // Dense: A (1.0) > B (0.8) > C (0.6) > D (0.0). Lexical for "ledger": D (two occurrences) > C (one); A and B none.
    private static Task<CodeIndex> BuildAsync(SymbolTraits dTraits = SymbolTraits.None) =>
        CodeIndexBuilder.BuildAsync(
            [Chunk("A", "", "alpha"), Chunk("B", "", "beta"), Chunk("C", "books/", "gamma ledger"), Chunk("D", "books/", "ledger ledger delta", dTraits)],
            Fixed, Fixed.Profile, "hand-built");

    private static readonly FixedEmbedder Fixed = new();

    [Fact]
    public async Task Reciprocal_rank_fusion_orders_and_scores_as_computed_by_hand()
    {
        var index = await BuildAsync();

        var results = await index.SearchAsync("ledger", Fixed, Plain);

        // D: 1/(60+4) + 1/(60+1); C: 1/(60+3) + 1/(60+2); A: 1/(60+1); B: 1/(60+2).
        Assert.Equal(["Demo.D", "Demo.C", "Demo.A", "Demo.B"], results.Select(r => r.Symbol));
        Assert.Equal(1.0 / 64 + 1.0 / 61, results[0].Score, 5);
        Assert.Equal(1.0 / 63 + 1.0 / 62, results[1].Score, 5);
        Assert.Equal(1.0 / 61, results[2].Score, 5);
        Assert.Equal([1.0f, 0.8f, 0.6f, 0.0f], results.OrderBy(r => r.Symbol, StringComparer.Ordinal).Select(r => MathF.Round(r.DenseScore!.Value, 3)));
    }

    [Fact]
    public async Task The_lexical_weight_scales_only_the_bm25_list()
    {
        var index = await BuildAsync();

        // Weight 0: dense order alone. Weight 0.5: D = 1/64 + 0.5/61 = 0.02382, C = 1/63 + 0.5/62 = 0.02394, so C > D.
        var denseOnly = await index.SearchAsync("ledger", Fixed, new SearchOptions { GraphWeight = 0, TestCodeWeight = 1, LexicalWeight = 0 });
        Assert.Equal(["Demo.A", "Demo.B", "Demo.C", "Demo.D"], denseOnly.Select(r => r.Symbol));
        var half = await index.SearchAsync("ledger", Fixed, new SearchOptions { GraphWeight = 0, TestCodeWeight = 1, LexicalWeight = 0.5 });
        Assert.Equal(["Demo.C", "Demo.D", "Demo.A", "Demo.B"], half.Select(r => r.Symbol));
    }

    [Fact]
    public async Task An_exact_name_in_the_query_adds_a_list_and_bypasses_the_minimum_score()
    {
        var index = await BuildAsync();

        // "Demo.B" written as an identifier: B gets 1/(60+1) from the exact-name list on top of its dense 1/(60+2).
        var results = await index.SearchAsync("where is Demo.B", Fixed, Plain);
        Assert.Equal("Demo.B", results[0].Symbol);
        Assert.Equal(1.0 / 62 + 1.0 / 61, results[0].Score, 5);

        // A minimum score above every cosine leaves only the exact match; without the name, nothing.
        var strict = new SearchOptions { GraphWeight = 0, TestCodeWeight = 1, MinScore = 0.95f };
        Assert.Equal(["Demo.A"], (await index.SearchAsync("ledger", Fixed, strict)).Select(r => r.Symbol));
        var exactOnly = await index.SearchAsync("where is Demo.D", Fixed, strict);
        Assert.Contains(exactOnly, r => r.Symbol == "Demo.D");
        Assert.Empty(await index.SearchAsync("ledger", Fixed, new SearchOptions { GraphWeight = 0, TestCodeWeight = 1, MinScore = 1.5f }));
    }

    [Fact]
    public async Task Ties_break_by_chunk_order_and_filters_apply_before_fusion()
    {
        var index = await BuildAsync();

        // Only C and D (in books/) match the glob: ranks are taken within the filtered lists (D: 1/62 + 1/61, C: 1/61 + 1/62),
        // an exact tie broken by chunk order (ids, ordinal): C before D.
        var filtered = await index.SearchAsync("ledger", Fixed, new SearchOptions { GraphWeight = 0, TestCodeWeight = 1, PathGlob = "books/*.cs" });
        Assert.Equal(["Demo.C", "Demo.D"], filtered.Select(r => r.Symbol));
        Assert.Equal(filtered[0].Score, filtered[1].Score, 6);

        var kinds = await index.SearchAsync("ledger", Fixed, new SearchOptions { GraphWeight = 0, TestCodeWeight = 1, Kinds = new HashSet<SymbolKind> { SymbolKind.Class } });
        Assert.Empty(kinds);
        var languages = await index.SearchAsync("ledger", Fixed, new SearchOptions { GraphWeight = 0, TestCodeWeight = 1, Languages = new HashSet<string> { "python" } });
        Assert.Empty(languages);
    }

    [Fact]
    public async Task Test_code_is_ranked_down_by_the_prior_and_can_be_excluded_or_kept_alone()
    {
        var index = await BuildAsync(dTraits: SymbolTraits.Test);

        // Prior 0.6: D = 0.6 × (1/64 + 1/61) = 0.01921 < C = 1/63 + 1/62 = 0.03200.
        var ranked = await index.SearchAsync("ledger", Fixed, new SearchOptions { GraphWeight = 0 });
        Assert.Equal(["Demo.C", "Demo.D", "Demo.A", "Demo.B"], ranked.Select(r => r.Symbol));
        Assert.Equal(0.6 * (1.0 / 64 + 1.0 / 61), ranked[1].Score, 5);

        Assert.DoesNotContain(await index.SearchAsync("ledger", Fixed, new SearchOptions { GraphWeight = 0, Tests = TestCodeInclusion.Exclude }), r => r.Symbol == "Demo.D");
        Assert.Equal(["Demo.D"], (await index.SearchAsync("ledger", Fixed, new SearchOptions { GraphWeight = 0, Tests = TestCodeInclusion.Only })).Select(r => r.Symbol));
    }

    /// <summary>Returns the vector a chunk's name stands for; any query is (1, 0).</summary>
    private sealed class FixedEmbedder : IEmbeddingGenerator<string, Embedding<float>>
    {
        public EmbeddingProfile Profile { get; } = new("fixed-2", 2);

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var result = new GeneratedEmbeddings<Embedding<float>>();
            foreach (var value in values)
            {
                float[] vector = value switch
                {
                    "A" => [1f, 0f],
                    "B" => [0.8f, 0.6f],
                    "C" => [0.6f, 0.8f],
                    "D" => [0f, 1f],
                    _ => [1f, 0f],
                };
                result.Add(new Embedding<float>(vector));
            }

            return Task.FromResult(result);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(EmbeddingProfile) ? Profile : serviceType.IsInstanceOfType(this) ? this : null;

        public void Dispose()
        {
        }
    }
}
