using System.Collections.Immutable;
using System.Security.Cryptography;
using StructuralChunking.Chunking;
using StructuralChunking.Embeddings;
using StructuralChunking.Graph;
using StructuralChunking.Indexing;
using StructuralChunking.Search;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Indexing;

/// <summary>
/// Graph-aware ranking on a hand-built code base: a settings type with a documented property, the writer method that
/// reads it, an interface member and its implementation, an overload that forwards, and a test.
/// </summary>
public sealed class GraphRankingTests
{
    private static readonly HashingEmbeddingGenerator Hashing = new();

    private static readonly CodeSymbol Settings = Symbol("Json.Settings", SymbolKind.Class, "Settings.cs", 1, 12);
    private static readonly CodeSymbol LoopHandling = Symbol("Json.Settings.LoopHandling", SymbolKind.Property, "Settings.cs", 3, 3, Settings);
    private static readonly CodeSymbol Writer = Symbol("Json.Writer", SymbolKind.Class, "Writer.cs", 1, 80);
    private static readonly CodeSymbol CheckLoop = Symbol("Json.Writer.CheckLoop", SymbolKind.Method, "Writer.cs", 3, 22, Writer);
    private static readonly CodeSymbol WriteValue = Symbol("Json.Writer.WriteValue", SymbolKind.Method, "Writer.cs", 24, 44, Writer);
    private static readonly CodeSymbol Serialize = Symbol("Json.Writer.Serialize", SymbolKind.Method, "Writer.cs", 46, 49, Writer);
    private static readonly CodeSymbol SerializeInternal = Symbol("Json.Writer.SerializeInternal", SymbolKind.Method, "Writer.cs", 51, 78, Writer);
    private static readonly CodeSymbol Resolver = Symbol("Json.IResolver", SymbolKind.Interface, "IResolver.cs", 1, 5);
    private static readonly CodeSymbol Resolve = Symbol("Json.IResolver.Resolve", SymbolKind.Method, "IResolver.cs", 3, 3, Resolver);
    private static readonly CodeSymbol DefaultResolver = Symbol("Json.DefaultResolver", SymbolKind.Class, "DefaultResolver.cs", 1, 30);
    private static readonly CodeSymbol DefaultResolve = Symbol("Json.DefaultResolver.Resolve", SymbolKind.Method, "DefaultResolver.cs", 3, 28, DefaultResolver);
    private static readonly CodeSymbol LoopTest = Symbol("Json.Tests.WriterTests.DetectsLoops", SymbolKind.Method, "tests/WriterTests.cs", 3, 25, traits: SymbolTraits.Test);

    private static readonly (CodeSymbol Symbol, string Text)[] Units =
    [
        (LoopHandling, "property loop handling: what to do when an object refers back to itself, error ignore or serialize"),
        (CheckLoop, "method check loop: if seen contains value then throw or skip the member"),
        (WriteValue, "method write value: write the token for a primitive number string or boolean"),
        (Serialize, "method serialize: serialize the object graph into json text"),
        (SerializeInternal, "method serialize internal: walk members, write start object, write property names"),
        (Resolve, "interface method resolve: find the contract describing how a clr type maps to json"),
        (DefaultResolve, "method default resolve: cache lookup, create contract, reflect members"),
        (LoopTest, "test detects loops: object refers back to itself, serializer throws"),
    ];

    private static CodeGraph Graph()
    {
        var builder = new CodeGraphBuilder();
        foreach (var symbol in new[] { Settings, LoopHandling, Writer, CheckLoop, WriteValue, Serialize, SerializeInternal, Resolver, Resolve, DefaultResolver, DefaultResolve, LoopTest })
        {
            builder.AddSymbol(symbol);
        }

        builder.AddEdge(CheckLoop.Id, LoopHandling.Id, EdgeKind.Calls);
        builder.AddEdge(LoopTest.Id, LoopHandling.Id, EdgeKind.Calls);
        builder.AddEdge(Serialize.Id, SerializeInternal.Id, EdgeKind.Calls);
        builder.AddEdge(DefaultResolve.Id, Resolve.Id, EdgeKind.Implements);
        return builder.Build();
    }

    private static List<CodeChunk> Chunks() => Units.Select(u => Chunk(u.Symbol, u.Text)).ToList();

    private static Task<CodeIndex> BuildIndex(CodeGraph? graph) =>
        CodeIndexBuilder.BuildAsync(Chunks(), graph, Hashing, Hashing.Profile, "hand-built");

    [Fact]
    public void Relations_map_graph_edges_to_chunks_and_roles_follow_the_kind_and_the_body()
    {
        var chunks = Chunks().OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
        var relations = ChunkRelations.Build(chunks, Graph());
        int Ordinal(CodeSymbol symbol) => chunks.FindIndex(c => c.SymbolId == symbol.Id);

        Assert.Equal(ChunkRole.Declaration, relations.Role(Ordinal(LoopHandling)));
        Assert.Equal(ChunkRole.Declaration, relations.Role(Ordinal(Resolve)));
        Assert.Equal(ChunkRole.Forwarder, relations.Role(Ordinal(Serialize)));
        Assert.Equal(ChunkRole.None, relations.Role(Ordinal(CheckLoop)));

        var readers = Pairs(relations, Ordinal(LoopHandling));
        Assert.Contains((Ordinal(CheckLoop), ChunkRelationKind.Caller), readers);
        Assert.Contains((Ordinal(LoopTest), ChunkRelationKind.Caller), readers);
        Assert.Equal([(Ordinal(DefaultResolve), ChunkRelationKind.Implementation)], Pairs(relations, Ordinal(Resolve)));
        Assert.Contains((Ordinal(SerializeInternal), ChunkRelationKind.ForwardsTo), Pairs(relations, Ordinal(Serialize)));
        Assert.Empty(Pairs(relations, Ordinal(WriteValue)));
    }

    // The settings property LoopHandling matched best; WriteValue, its reader CheckLoop and a test follow.
    private static (GraphPropagation Propagation, Dictionary<int, double> Fused, Func<CodeSymbol, int> Ordinal) PropertyHitScenario()
    {
        var chunks = Chunks().OrderBy(c => c.Id, StringComparer.Ordinal).ToImmutableArray();
        var relations = ChunkRelations.Build(chunks, Graph());
        int Ordinal(CodeSymbol symbol) => chunks.IndexOf(chunks.Single(c => c.SymbolId == symbol.Id));
        var propagation = new GraphPropagation(ChunkRecords.FromChunks(chunks, Enumerable.Range(0, chunks.Length).ToArray()), relations, i => (chunks[i].StartLine, chunks[i].EndLine));
        var fused = new Dictionary<int, double>
        {
            [Ordinal(LoopHandling)] = 0.06,
            [Ordinal(WriteValue)] = 0.04,
            [Ordinal(CheckLoop)] = 0.03,
            [Ordinal(LoopTest)] = 0.035,
        };
        return (propagation, fused, Ordinal);
    }

    [Fact]
    public void A_property_hit_promotes_its_reader_by_the_share_derived_by_hand()
    {
        var (propagation, fused, Ordinal) = PropertyHitScenario();

        // Fewer definitions than seeds, so the floor is the lowest score, 0.03. CheckLoop has 20 lines (≥ 16: full work
        // prior) and is the only reader that does work (the test receives nothing): 0.03 + 0.5 × (0.06 − 0.03) = 0.045,
        // above WriteValue's 0.04 that outranked it.
        var ranked = propagation.Apply(fused, weight: 0.5);
        Assert.Equal([Ordinal(LoopHandling), Ordinal(CheckLoop), Ordinal(WriteValue), Ordinal(LoopTest)], ranked.Select(r => r.Ordinal));
        Assert.Equal(0.045, ranked[1].Score, 9);
        Assert.Equal("reads Settings.LoopHandling", ranked[1].Via);
        Assert.All(ranked.Where(r => r.Ordinal != Ordinal(CheckLoop)), r => Assert.Null(r.Via));

        // A reader receives a share, not the property's place: it inherits nothing (nor its confidence).
        Assert.All(ranked, r => Assert.Equal(-1, r.InheritedFrom));

        // Weight 0 is the first-stage order.
        Assert.Equal([Ordinal(LoopHandling), Ordinal(WriteValue), Ordinal(LoopTest), Ordinal(CheckLoop)], propagation.Apply(fused, weight: 0).Select(r => r.Ordinal));
    }

    [Fact]
    public void A_declaration_that_passed_score_on_steps_back_behind_the_code_it_describes()
    {
        var (propagation, fused, Ordinal) = PropertyHitScenario();

        // The property passed 0.015 to CheckLoop (0.045, as above); at declaration weight 0.7 it keeps 0.7 × 0.06 = 0.042,
        // below its reader. Definitions that passed nothing keep their scores.
        var ranked = propagation.Apply(fused, weight: 0.5, declarationWeight: 0.7);
        Assert.Equal([Ordinal(CheckLoop), Ordinal(LoopHandling), Ordinal(WriteValue), Ordinal(LoopTest)], ranked.Select(r => r.Ordinal));
        Assert.Equal(0.042, ranked[1].Score, 9);
        Assert.Equal(0.04, ranked[2].Score, 9);

        // Without graph ranking nothing passes, so nothing steps back.
        Assert.Equal(0.06, propagation.Apply(fused, weight: 0, declarationWeight: 0.7)[0].Score, 9);
    }

    [Fact]
    public void A_declaration_that_only_describes_steps_back_even_when_nothing_acts_on_it_but_a_small_class_keeps_its_place()
    {
        // MaxDepth is a setting nothing reads; ProxyAuth is a class whose only member is a three-line method, so it
        // declares (no member does work) but its chunk shows that code.
        var maxDepth = Symbol("Json.Settings.MaxDepth", SymbolKind.Property, "Settings.cs", 5, 5, Settings);
        var proxyAuth = Symbol("Json.ProxyAuth", SymbolKind.Class, "ProxyAuth.cs", 1, 7);
        var call = Symbol("Json.ProxyAuth.Call", SymbolKind.Method, "ProxyAuth.cs", 3, 5, proxyAuth);
        var builder = new CodeGraphBuilder();
        foreach (var symbol in new[] { Settings, maxDepth, Writer, WriteValue, proxyAuth, call })
        {
            builder.AddSymbol(symbol);
        }

        var chunks = new[]
        {
            Chunk(maxDepth, "property max depth: how deeply nested objects may go before reading fails"),
            Chunk(proxyAuth, "class proxy auth: call sets the proxy authorization header of the request"),
            Chunk(WriteValue, "method write value: write the token for a primitive number string or boolean"),
        }.OrderBy(c => c.Id, StringComparer.Ordinal).ToImmutableArray();
        var relations = ChunkRelations.Build(chunks, builder.Build());
        int Ordinal(CodeSymbol symbol) => chunks.IndexOf(chunks.Single(c => c.SymbolId == symbol.Id));
        Assert.Equal(ChunkRole.Declaration, relations.Role(Ordinal(maxDepth)));
        Assert.Equal(ChunkRole.Declaration, relations.Role(Ordinal(proxyAuth)));
        var propagation = new GraphPropagation(ChunkRecords.FromChunks(chunks, Enumerable.Range(0, chunks.Length).ToArray()), relations, i => (chunks[i].StartLine, chunks[i].EndLine));
        var fused = new Dictionary<int, double>
        {
            [Ordinal(maxDepth)] = 0.05,
            [Ordinal(proxyAuth)] = 0.048,
            [Ordinal(WriteValue)] = 0.045,
        };

        // The setting keeps 0.8 × 0.05 = 0.04 and falls behind the method; the class passed nothing on and keeps 0.048.
        var ranked = propagation.Apply(fused, weight: 0.5, declarationWeight: 0.8);
        Assert.Equal([Ordinal(proxyAuth), Ordinal(WriteValue), Ordinal(maxDepth)], ranked.Select(r => r.Ordinal));
        Assert.Equal(0.04, ranked[2].Score, 9);
        Assert.All(ranked, r => Assert.Null(r.Via));

        // Declaration weight 1 leaves the first-stage order.
        Assert.Equal([Ordinal(maxDepth), Ordinal(proxyAuth), Ordinal(WriteValue)], propagation.Apply(fused, weight: 0.5, declarationWeight: 1).Select(r => r.Ordinal));
    }

    [Fact]
    public void An_implementation_and_a_forwarding_target_take_the_place_of_what_led_to_them()
    {
        var chunks = Chunks().OrderBy(c => c.Id, StringComparer.Ordinal).ToImmutableArray();
        var relations = ChunkRelations.Build(chunks, Graph());
        int Ordinal(CodeSymbol symbol) => chunks.IndexOf(chunks.Single(c => c.SymbolId == symbol.Id));
        var propagation = new GraphPropagation(ChunkRecords.FromChunks(chunks, Enumerable.Range(0, chunks.Length).ToArray()), relations, i => (chunks[i].StartLine, chunks[i].EndLine));
        var fused = new Dictionary<int, double>
        {
            [Ordinal(Resolve)] = 0.05,
            [Ordinal(Serialize)] = 0.045,
            [Ordinal(WriteValue)] = 0.04,
        };

        // DefaultResolve (26 lines, one implementation) inherits 0.05 and lands just above the interface member; the
        // overload's body inherits 0.045 (28 lines): neither was in the first-stage list.
        var ranked = propagation.Apply(fused, weight: 0.5);
        Assert.Equal([Ordinal(DefaultResolve), Ordinal(Resolve), Ordinal(SerializeInternal), Ordinal(Serialize), Ordinal(WriteValue)], ranked.Select(r => r.Ordinal));
        Assert.Equal("implements IResolver.Resolve", ranked[0].Via);
        Assert.Equal("Writer.Serialize forwards to it", ranked[2].Via);

        // Each took the place of what led to it, and search lends it that definition's confidence.
        Assert.Equal(Ordinal(Resolve), ranked[0].InheritedFrom);
        Assert.Equal(Ordinal(Serialize), ranked[2].InheritedFrom);
        Assert.Equal([-1, -1, -1], new[] { ranked[1], ranked[3], ranked[4] }.Select(r => r.InheritedFrom));
    }

    [Fact]
    public async Task An_implementation_that_takes_its_declarations_place_takes_its_confidence_too()
    {
        // Confidence from the cosine alone, so the interface member, which the question's words match, is the more
        // confident of the two.
        var model = new ConfidenceModel(Intercept: -2, Cosine: 4, TopCosine: 0, CosineSpread: 0, QueryWordsKnown: 0, QueryWordsMatched: 0, ExactName: 0, Threshold: 0.5);
        var index = (await BuildIndex(Graph())).WithConfidence(model);
        const string query = "find the contract describing how a clr type maps to json";

        var flat = await index.SearchAsync(query, Hashing, new SearchOptions { GraphWeight = 0, MinConfidence = 0 });
        var declaration = flat.Single(r => r.Symbol == Resolve.QualifiedName).Confidence!.Value;
        var own = flat.Single(r => r.Symbol == DefaultResolve.QualifiedName);
        Assert.True(own.Confidence < declaration);
        Assert.Equal(model.Probability(own.Signals!), own.Confidence!.Value, 10);

        var ranked = await index.SearchAsync(query, Hashing, new SearchOptions { MinConfidence = 0 });
        var implementation = ranked.Single(r => r.Symbol == DefaultResolve.QualifiedName);
        Assert.Equal("implements IResolver.Resolve", implementation.Via);
        Assert.Equal(declaration, implementation.Confidence!.Value, 10);
    }

    [Fact]
    public async Task Hybrid_search_promotes_the_reader_of_a_matching_property_and_says_why()
    {
        const string query = "what happens when an object refers back to itself";
        var index = await BuildIndex(Graph());
        Assert.True(index.HasGraph);

        var flat = await index.SearchAsync(query, Hashing, new SearchOptions { GraphWeight = 0 });
        Assert.Equal(LoopHandling.QualifiedName, flat[0].Symbol);
        var flatRank = flat.First(r => r.Symbol == CheckLoop.QualifiedName).Rank;

        var ranked = await index.SearchAsync(query, Hashing, new SearchOptions { GraphWeight = 1 });
        var reader = ranked.First(r => r.Symbol == CheckLoop.QualifiedName);
        Assert.True(reader.Rank < flatRank, $"rank {reader.Rank} with the graph, {flatRank} without");
        Assert.Equal("reads Settings.LoopHandling", reader.Via);

        // The listed score is the one the results are ordered by.
        Assert.Equal(ranked.Select(r => r.Score).OrderByDescending(s => s), ranked.Select(r => r.Score));

        // Without a graph the option changes nothing.
        var noGraph = await BuildIndex(null);
        Assert.False(noGraph.HasGraph);
        Assert.Equal(
            (await noGraph.SearchAsync(query, Hashing, new SearchOptions { GraphWeight = 0 })).Select(r => r.Chunk.Id),
            (await noGraph.SearchAsync(query, Hashing, new SearchOptions { GraphWeight = 1 })).Select(r => r.Chunk.Id));
    }

    [Fact]
    public async Task Test_code_ranks_below_production_code_and_can_be_excluded_or_chosen_alone()
    {
        var index = await BuildIndex(Graph());
        const string query = "object refers back to itself";
        var neutral = await index.SearchAsync(query, Hashing, new SearchOptions { GraphWeight = 0, TestCodeWeight = 1 });
        var withPrior = await index.SearchAsync(query, Hashing, new SearchOptions { GraphWeight = 0 });
        int RankOfTest(IReadOnlyList<SearchResult> results) => results.First(r => r.Symbol == LoopTest.QualifiedName).Rank;
        Assert.True(RankOfTest(withPrior) > RankOfTest(neutral), $"test at {RankOfTest(withPrior)} with the prior, {RankOfTest(neutral)} without");

        Assert.DoesNotContain(await index.SearchAsync(query, Hashing, new SearchOptions { Tests = TestCodeInclusion.Exclude }), r => r.Symbol == LoopTest.QualifiedName);
        var only = await index.SearchAsync(query, Hashing, new SearchOptions { Tests = TestCodeInclusion.Only });
        Assert.Equal([LoopTest.QualifiedName], only.Select(r => r.Symbol));
        Assert.Throws<ArgumentException>(() => new SearchOptions { ExcludeTests = true, Tests = TestCodeInclusion.Only }.Validate());
        Assert.Throws<ArgumentException>(() => new SearchOptions { TestCodeWeight = 1.5 }.Validate());
        Assert.Throws<ArgumentException>(() => new SearchOptions { GraphWeight = -1 }.Validate());
    }

    [Fact]
    public async Task Relations_survive_saving_and_an_older_format_is_refused_for_search_but_read_for_reindexing()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "index.scidx");
        var index = await BuildIndex(Graph());
        index.Save(path);
        var loaded = CodeIndex.Load(path);
        Assert.Equal(index.Relations.Count, loaded.Relations.Count);
        const string query = "what happens when an object refers back to itself";
        var options = new SearchOptions { GraphWeight = 1 };
        Assert.Equal(
            (await index.SearchAsync(query, Hashing, options)).Select(r => (r.Chunk.Id, r.Score, r.Via)),
            (await loaded.SearchAsync(query, Hashing, options)).Select(r => (r.Chunk.Id, r.Score, r.Via)));

        // A version 1 file is the same body without the relations section.
        var withoutGraph = Path.Combine(folder.Path, "v1.scidx");
        IndexFile.WriteVersion2(await BuildIndex(null), withoutGraph);
        var bytes = File.ReadAllBytes(withoutGraph);
        var chunkCount = index.Chunks.Length;
        var body = bytes[..(bytes.Length - SHA256.HashSizeInBytes - (4 + 4 + chunkCount + ((chunkCount + 1) * 4)))];
        BitConverter.GetBytes(1).CopyTo(body, 8);
        File.WriteAllBytes(withoutGraph, [.. body, .. SHA256.HashData(body)]);

        var error = Assert.Throws<IndexFormatException>(() => CodeIndex.Load(withoutGraph));
        Assert.Contains("format version 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("reuses its embeddings", error.Message, StringComparison.Ordinal);
        var old = CodeIndex.LoadForReindexing(withoutGraph);
        Assert.Equal(1, old.Metadata.FormatVersion);
        Assert.False(old.HasGraph);
        Assert.Equal(index.Chunks.Length, old.Chunks.Length);

        var rebuilt = await CodeIndexBuilder.BuildAsync(Chunks(), Graph(), new CountingGenerator(Hashing), Hashing.Profile, "hand-built", previous: old);
        Assert.True(rebuilt.HasGraph);
    }

    private static List<(int, ChunkRelationKind)> Pairs(ChunkRelations relations, int ordinal)
    {
        var targets = relations.Targets(ordinal).ToArray();
        var kinds = relations.Kinds(ordinal).ToArray();
        return targets.Zip(kinds).Select(p => (p.First, p.Second)).ToList();
    }

    private static CodeSymbol Symbol(string qualifiedName, SymbolKind kind, string path, int start, int end, CodeSymbol? parent = null, SymbolTraits traits = SymbolTraits.None) => new()
    {
        Id = SymbolId.Create("csharp", qualifiedName),
        Name = qualifiedName[(qualifiedName.LastIndexOf('.') + 1)..],
        QualifiedName = qualifiedName,
        Kind = kind,
        Language = "csharp",
        Location = new SourceLocation(path, start, end, start * 100, (end * 100) + 99),
        ParentId = parent?.Id,
        Traits = traits,
    };

    private static CodeChunk Chunk(CodeSymbol symbol, string text) => new()
    {
        Id = symbol.Id + "#0",
        SymbolId = symbol.Id,
        SymbolName = symbol.QualifiedName,
        SymbolKind = symbol.Kind,
        Language = symbol.Language,
        Location = symbol.Location!.Value,
        Traits = symbol.Traits,
        EmbeddingText = text,
        LexicalText = ChunkText.Lexical(text, split: true),
        DisplayText = text,
        ContentHash = ContentHash.Of(text),
    };

    /// <summary>Fails the test if re-indexing embeds anything: every embedding must come from the previous index.</summary>
    private sealed class CountingGenerator(HashingEmbeddingGenerator inner) : Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>
    {
        public Task<Microsoft.Extensions.AI.GeneratedEmbeddings<Microsoft.Extensions.AI.Embedding<float>>> GenerateAsync(IEnumerable<string> values,
            Microsoft.Extensions.AI.EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            values.Any() ? throw new InvalidOperationException("nothing should need embedding") : inner.GenerateAsync(values, options, cancellationToken);

        public object? GetService(Type serviceType, object? serviceKey = null) => inner.GetService(serviceType, serviceKey);

        public void Dispose()
        {
        }
    }
}
