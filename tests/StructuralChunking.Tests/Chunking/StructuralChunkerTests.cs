using StructuralChunking.Chunking;
using StructuralChunking.Graph;
using StructuralChunking.Roslyn;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Chunking;

/// <summary>Loads the Inventory and Shop fixtures once; chunking itself is fast and runs per test.</summary>
public sealed class ChunkingFixture : IAsyncLifetime
{
    public CSharpGraphResult Inventory { get; private set; } = null!;

    public CSharpGraphResult Shop { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Inventory = await CSharpGraphLoader.LoadAsync(RepositoryPaths.Fixture("CSharp", "Inventory"));
        Shop = await CSharpGraphLoader.LoadAsync(RepositoryPaths.Fixture("CSharp", "Shop", "src"));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static IReadOnlyList<CodeChunk> Chunk(CSharpGraphResult result, ChunkingOptions? options = null)
    {
        var files = result.Graph.Symbols.Where(s => !s.IsExternal).SelectMany(s => s.AllLocations).Select(l => l.Path)
            .Distinct().Order(StringComparer.Ordinal).Select(p => new ChunkSourceFile(p, "csharp")).ToList();
        return new StructuralChunker(options).Chunk(result.Graph, SourceTexts.FromDirectory(result.RootDirectory), files);
    }
}

public sealed class StructuralChunkerTests(ChunkingFixture fixture) : IClassFixture<ChunkingFixture>
{
    private IReadOnlyList<CodeChunk> InventoryChunks(ChunkingOptions? options = null) => ChunkingFixture.Chunk(fixture.Inventory, options);

    private CodeSymbol InventorySymbol(string name) => fixture.Inventory.Graph.Symbols.Single(s => s.QualifiedName == "Warehouse.Inventory." + name);

    [Fact]
    public void Every_symbol_is_covered_by_a_chunk()
    {
        foreach (var result in new[] { fixture.Inventory, fixture.Shop })
        {
            var chunks = ChunkingFixture.Chunk(result);
            foreach (var symbol in result.Graph.Symbols.Where(s => !s.IsExternal && s.Kind != SymbolKind.Namespace))
            {
                foreach (var location in symbol.AllLocations)
                {
                    var covered = chunks.Any(c => c.SymbolId == symbol.Id && c.Path == location.Path) ||
                        chunks.Any(c => c.Path == location.Path && c.StartLine <= location.StartLine && location.EndLine <= c.EndLine);
                    Assert.True(covered, $"{symbol.QualifiedName} at {location} is not covered by any chunk.");
                }
            }
        }
    }

    [Fact]
    public void Every_chunk_fits_the_budget()
    {
        foreach (var budget in new[] { 128, 256, 512 })
        {
            var chunks = InventoryChunks(new ChunkingOptions { TokenBudget = budget });
            Assert.All(chunks, c => Assert.InRange(ApproximateTokenCounter.Instance.CountTokens(c.EmbeddingText), 1, budget));
            Assert.All(chunks, c => Assert.Equal(c.TokenCount, ApproximateTokenCounter.Instance.CountTokens(c.EmbeddingText)));
        }
    }

    [Fact]
    public void A_long_method_is_split_into_parts_that_repeat_breadcrumb_and_signature()
    {
        var reconcile = InventorySymbol("InventoryService.Reconcile");
        var parts = InventoryChunks().Where(c => c.SymbolId == reconcile.Id).OrderBy(c => c.PartIndex).ToList();

        Assert.True(parts.Count >= 3, $"expected at least 3 parts, got {parts.Count}");
        Assert.Equal(reconcile.StartLine, parts[0].StartLine);
        Assert.Equal(reconcile.EndLine, parts[^1].EndLine);
        for (var i = 0; i < parts.Count; i++)
        {
            Assert.Equal(i, parts[i].PartIndex);
            Assert.Equal(parts.Count, parts[i].PartCount);
            Assert.Equal($"{reconcile.Id}#{i}", parts[i].Id);
            Assert.Contains($"scope: Warehouse.Inventory > InventoryService > Reconcile (method, part {i + 1} of {parts.Count})", parts[i].EmbeddingText, StringComparison.Ordinal);
            if (i > 0)
            {
                Assert.Equal(parts[i - 1].EndLine + 1, parts[i].StartLine);
                Assert.Contains("signature: public string Reconcile(IReadOnlyDictionary<string, int> physicalCounts, string warehouse", parts[i].EmbeddingText, StringComparison.Ordinal);
                // Cut between statements: no part starts with a closing brace or an else.
                var firstCodeLine = parts[i].DisplayText.Split('\n')[0].TrimStart();
                Assert.False(firstCodeLine.StartsWith('}') || firstCodeLine.StartsWith("else", StringComparison.Ordinal), $"part {i} starts with '{firstCodeLine}'");
            }
        }

        Assert.StartsWith("    /// <summary>", File.ReadAllLines(RepositoryPaths.Fixture("CSharp", "Inventory", "InventoryService.cs"))[reconcile.StartLine - 2], StringComparison.Ordinal);
        Assert.StartsWith("public string Reconcile(", parts[0].DisplayText.TrimStart(), StringComparison.Ordinal);
    }

    [Fact]
    public void Header_names_path_scope_doc_words_and_graph_neighbours()
    {
        var statusOf = InventorySymbol("InventoryService.StatusOf");
        var chunk = Assert.Single(InventoryChunks(), c => c.SymbolId == statusOf.Id);
        var lines = chunk.EmbeddingText.Split('\n');

        Assert.Equal("path: InventoryService.cs", lines[0]);
        Assert.Equal("scope: Warehouse.Inventory > InventoryService > StatusOf (method)", lines[1]);
        Assert.Equal("doc: Classifies a level as in stock, low or out of stock.", lines[2]);
        Assert.Equal("words: status of, stock status, stock level | inventory service", lines[3]);
        Assert.Equal("calls: available", lines[4]);
        Assert.Equal("called by: reconcile", lines[5]);
        Assert.Equal("public StockStatus StatusOf(StockLevel level)", lines[6].Trim());
        Assert.Equal(statusOf.StartLine, chunk.StartLine);
        Assert.Equal(statusOf.EndLine, chunk.EndLine);
        Assert.Equal(SymbolKind.Method, chunk.SymbolKind);
        Assert.Equal("Warehouse.Inventory.InventoryService.StatusOf", chunk.SymbolName);
    }

    [Fact]
    public void Callees_are_ranked_by_the_documented_rule()
    {
        var reconcile = InventorySymbol("InventoryService.Reconcile");
        var first = InventoryChunks().Single(c => c.SymbolId == reconcile.Id && c.PartIndex == 0);
        var calls = first.EmbeddingText.Split('\n').Single(l => l.StartsWith("calls: ", StringComparison.Ordinal));
        // Our own methods first (fewer callers first), then property reads, then framework calls.
        Assert.StartsWith("calls: status of, key, on order, available", calls, StringComparison.Ordinal);
    }

    [Fact]
    public void Tiny_members_merge_into_one_chunk_and_large_types_get_a_skeleton()
    {
        var chunks = InventoryChunks();
        var service = InventorySymbol("InventoryService");
        var skeleton = Assert.Single(chunks, c => c.SymbolId == service.Id);
        Assert.Equal(service.StartLine, skeleton.StartLine);
        Assert.Equal(service.StartLine + 1, skeleton.EndLine); // the declaration and its opening brace
        Assert.Contains("public string Reconcile(IReadOnlyDictionary<string, int> physicalCounts, string warehouse, bool dryRun) …", skeleton.EmbeddingText, StringComparison.Ordinal);
        Assert.Contains("private int _reconciliations;", skeleton.EmbeddingText, StringComparison.Ordinal);

        var fields = Assert.Single(chunks, c => c.Id.Contains("+members", StringComparison.Ordinal) && c.DisplayText.Contains("DefaultReorderPoint", StringComparison.Ordinal));
        Assert.Contains("_reconciliations", fields.DisplayText, StringComparison.Ordinal);
        Assert.Equal(4, fields.DisplayText.Split('\n').Length);
        Assert.Contains("scope: Warehouse.Inventory > InventoryService (members DefaultReorderPoint, _levels", fields.EmbeddingText, StringComparison.Ordinal);
        Assert.Contains("words: default reorder point, levels, audit log, reconciliations", fields.EmbeddingText, StringComparison.Ordinal);
        Assert.Contains("calls: new dictionary", fields.EmbeddingText, StringComparison.Ordinal);

        // A type that fits the budget is embedded whole, with its members' names as words.
        var stockLevel = InventorySymbol("StockLevel");
        var whole = Assert.Single(chunks, c => c.SymbolId == stockLevel.Id);
        Assert.Equal((stockLevel.StartLine, stockLevel.EndLine), (whole.StartLine, whole.EndLine));
        Assert.Contains("on hand", whole.EmbeddingText, StringComparison.Ordinal);
        Assert.DoesNotContain(chunks, c => c.SymbolName == "Warehouse.Inventory.StockLevel.OnHand");
    }

    [Fact]
    public void Seed_example_middleware_chunks_show_admin_and_user_and_the_shared_reader()
    {
        var chunks = ChunkingFixture.Chunk(fixture.Shop);
        var admin = Assert.Single(chunks, c => c.SymbolName == "Shop.Web.Auth.Middleware.AdminJwtValidator");
        var user = Assert.Single(chunks, c => c.SymbolName == "Shop.Web.Auth.Middleware.UserJwtValidator");

        Assert.Contains("use admin jwt validation middleware", admin.EmbeddingText, StringComparison.Ordinal);
        Assert.Contains("use user jwt validation middleware", user.EmbeddingText, StringComparison.Ordinal);
        Assert.Contains("calls: read bearer token", admin.EmbeddingText, StringComparison.Ordinal);
        Assert.Contains("calls: read bearer token", user.EmbeddingText, StringComparison.Ordinal);
        Assert.Contains("path: Shop.Web/auth/middleware/admin_jwt_validator.cs", admin.EmbeddingText, StringComparison.Ordinal);
        Assert.Contains("UseAdminJwtValidationMiddleware use admin jwt validation middleware", admin.LexicalText, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_parts_switch_off_one_by_one()
    {
        var statusOf = InventorySymbol("InventoryService.StatusOf");
        string TextWith(ChunkingOptions options) => InventoryChunks(options).Single(c => c.SymbolId == statusOf.Id).EmbeddingText;

        var noGraph = TextWith(new ChunkingOptions { IncludeGraphContext = false });
        Assert.DoesNotContain("called by:", noGraph, StringComparison.Ordinal);
        Assert.Contains("words:", noGraph, StringComparison.Ordinal);

        var noSplit = InventoryChunks(new ChunkingOptions { SplitIdentifiers = false }).Single(c => c.SymbolId == statusOf.Id);
        Assert.DoesNotContain("words:", noSplit.EmbeddingText, StringComparison.Ordinal);
        Assert.Contains("called by: Reconcile", noSplit.EmbeddingText, StringComparison.Ordinal);
        Assert.DoesNotContain("status of", noSplit.LexicalText, StringComparison.Ordinal);

        var hidden = TextWith(new ChunkingOptions { HideDocumentation = true });
        Assert.DoesNotContain("doc:", hidden, StringComparison.Ordinal);
        Assert.DoesNotContain("Classifies", hidden, StringComparison.Ordinal);
        var wholeEnum = InventoryChunks(new ChunkingOptions { HideDocumentation = true })
            .Single(c => c.SymbolName == "Warehouse.Inventory.StockLevel");
        Assert.DoesNotContain("///", wholeEnum.EmbeddingText, StringComparison.Ordinal);
        Assert.DoesNotContain("promised", wholeEnum.EmbeddingText, StringComparison.Ordinal);
    }

    [Fact]
    public void Chunking_is_deterministic()
    {
        var first = InventoryChunks();
        var second = InventoryChunks();
        Assert.Equal(first.Select(c => (c.Id, c.EmbeddingText, c.LexicalText, c.ContentHash)), second.Select(c => (c.Id, c.EmbeddingText, c.LexicalText, c.ContentHash)));
        Assert.Equal(first.Count, first.Select(c => c.Id).Distinct().Count());
    }

    [Fact]
    public async Task Content_hash_follows_the_code_not_its_position_and_an_edit_changes_only_its_definition()
    {
        using var copy = new TempDirectory();
        var source = RepositoryPaths.Fixture("CSharp", "Inventory");
        foreach (var file in Directory.EnumerateFiles(source, "*.cs"))
        {
            copy.Write(Path.GetFileName(file), File.ReadAllText(file));
        }

        var before = await ChunkFolder(copy.Path);
        var service = Path.Combine(copy.Path, "InventoryService.cs");
        var original = File.ReadAllText(service);

        // Moving code down (a blank line and a comment above everything) changes lines, not what gets embedded.
        File.WriteAllText(service, "// moved\n\n" + original);
        var moved = await ChunkFolder(copy.Path);
        Assert.Equal(before.Select(c => (c.Id, c.ContentHash)), moved.Select(c => (c.Id, c.ContentHash)));
        Assert.All(moved.Where(c => c.Path == "InventoryService.cs"), c => Assert.Equal(before.Single(b => b.Id == c.Id).StartLine + 2, c.StartLine));

        // Editing one method's body changes that method's chunks and no other chunk.
        var edited = original.Replace("level.Available <= 0", "level.Available <= -1", StringComparison.Ordinal);
        Assert.NotEqual(original, edited);
        File.WriteAllText(service, edited);
        var after = await ChunkFolder(copy.Path);
        var changed = after.Where(c => before.Single(b => b.Id == c.Id).ContentHash != c.ContentHash).Select(c => c.SymbolName).Distinct().ToList();
        Assert.Equal(["Warehouse.Inventory.InventoryService.StatusOf"], changed);
    }

    [Fact]
    public void Chunk_ids_are_stable_across_processes()
    {
        // Written once from this fixture; ids derive from symbol ids (pinned independently in CodeGraphTests), so any
        // change here orphans the embeddings of every stored index and must be deliberate.
        var golden = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "tests", "StructuralChunking.Tests", "Chunking", "TestData", "inventory-chunk-ids.txt"));
        Assert.Equal(golden, InventoryChunks().Select(c => $"{c.Id} {c.SymbolName}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Generated_code_is_embedded_by_its_header_and_found_by_the_words_of_its_body()
    {
        static CodeChunk Dto(IReadOnlyList<CodeChunk> chunks) => Assert.Single(chunks, c => c.SymbolName == "Shop.Web.Orders.OrderDto");
        var byHeader = Dto(ChunkingFixture.Chunk(fixture.Shop));
        var embedded = Dto(ChunkingFixture.Chunk(fixture.Shop, new ChunkingOptions { EmbedGeneratedCode = true }));

        Assert.Equal(SymbolTraits.Generated, byHeader.Traits);
        Assert.Contains("scope: Shop.Web.Orders > OrderDto", byHeader.EmbeddingText, StringComparison.Ordinal);
        Assert.DoesNotContain("public int Id", byHeader.EmbeddingText, StringComparison.Ordinal);
        Assert.Contains("public int Id", byHeader.LexicalText, StringComparison.Ordinal);
        Assert.Contains("public int Id", byHeader.DisplayText, StringComparison.Ordinal);
        Assert.Contains("public int Id", embedded.EmbeddingText, StringComparison.Ordinal);
        Assert.Equal(embedded.LexicalText, byHeader.LexicalText);
        Assert.True(byHeader.TokenCount < embedded.TokenCount);
        Assert.NotEqual(embedded.ContentHash, byHeader.ContentHash);

        // Hand-written code is embedded whole either way.
        var service = Assert.Single(ChunkingFixture.Chunk(fixture.Shop), c => c.SymbolName == "Shop.Web.Auth.Middleware.AdminJwtValidator");
        Assert.Contains("UseAdminJwtValidationMiddleware(", service.EmbeddingText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parts_of_generated_code_share_one_embedding_text_and_keep_their_own_code()
    {
        // A forms designer's InitializeComponent, long enough to be cut into parts, beside a hand-written method as long.
        using var folder = new TempDirectory();
        static string Body(string prefix) => string.Concat(Enumerable.Range(0, 60).Select(i =>
            $"            this.{prefix}{i}.Text = \"{prefix} label {i}\";\n            this.{prefix}{i}.TabIndex = {i};\n"));
        folder.Write("OptionsForm.Designer.cs",
            "namespace App.Forms\n{\n    partial class OptionsForm\n    {\n        private void InitializeComponent()\n        {\n" + Body("designerLabel") + "        }\n    }\n}\n");
        folder.Write("OptionsForm.cs",
            "namespace App.Forms\n{\n    partial class OptionsForm\n    {\n        public void ApplySettings()\n        {\n" + Body("settingLabel") + "        }\n    }\n}\n");
        var graph = await CSharpGraphLoader.LoadAsync(folder.Path);

        var chunks = ChunkingFixture.Chunk(graph);
        var generated = chunks.Where(c => c.SymbolName == "App.Forms.OptionsForm.InitializeComponent").OrderBy(c => c.PartIndex).ToList();
        var handWritten = chunks.Where(c => c.SymbolName == "App.Forms.OptionsForm.ApplySettings").OrderBy(c => c.PartIndex).ToList();

        Assert.True(generated.Count >= 3, $"expected InitializeComponent in at least 3 parts, got {generated.Count}");
        Assert.All(generated, c => Assert.Equal(SymbolTraits.Generated, c.Traits & SymbolTraits.Generated));
        // One text (the definition's header as one chunk would have it), one content hash, so one embedding ...
        Assert.Single(generated.Select(c => c.EmbeddingText).Distinct());
        Assert.Single(generated.Select(c => c.ContentHash).Distinct());
        Assert.Contains("scope: App.Forms > OptionsForm > InitializeComponent (method)", generated[0].EmbeddingText, StringComparison.Ordinal);
        Assert.DoesNotContain("designerLabel", generated[0].EmbeddingText, StringComparison.Ordinal);
        // ... while each part keeps its own lines and the words of its own code.
        for (var i = 0; i < generated.Count; i++)
        {
            Assert.Equal((i, generated.Count), (generated[i].PartIndex, generated[i].PartCount));
            Assert.Contains("designer label", generated[i].LexicalText, StringComparison.Ordinal);
            if (i > 0)
            {
                Assert.Equal(generated[i - 1].Location.EndLine + 1, generated[i].Location.StartLine);
            }
        }

        Assert.Equal(generated.Count, generated.Select(c => c.LexicalText).Distinct().Count());

        // Hand-written parts say which part they are, and embed their code.
        Assert.True(handWritten.Count >= 3);
        Assert.Equal(handWritten.Count, handWritten.Select(c => c.ContentHash).Distinct().Count());
        Assert.Contains($"part 2 of {handWritten.Count})", handWritten[1].EmbeddingText, StringComparison.Ordinal);

        // Embedded whole on request, generated parts are told apart again.
        var whole = ChunkingFixture.Chunk(graph, new ChunkingOptions { EmbedGeneratedCode = true })
            .Where(c => c.SymbolName == "App.Forms.OptionsForm.InitializeComponent").ToList();
        Assert.Equal(whole.Count, whole.Select(c => c.ContentHash).Distinct().Count());
    }

    private static async Task<IReadOnlyList<CodeChunk>> ChunkFolder(string folder) =>
        ChunkingFixture.Chunk(await CSharpGraphLoader.LoadAsync(folder));
}
