using StructuralChunking.Chunking;
using StructuralChunking.Embeddings;
using StructuralChunking.Indexing;
using StructuralChunking.Search;
using StructuralChunking.Tests.Chunking;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Indexing;

/// <summary>The sectioned index file: what a search reads at load, what it reads later, and that every byte is verified before use.</summary>
public sealed class IndexFileSectionTests(ChunkingFixture fixture) : IClassFixture<ChunkingFixture>
{
    private static readonly HashingEmbeddingGenerator Hashing = new();

    private static readonly string[] Queries =
    [
        "middleware validating an admin jwt token",
        "where is ReadBearerToken",
        "compute the discounted price of an order",
        "StatusOf",
    ];

    private static string Properties(CodeChunk chunk) =>
        string.Join("\u0001", typeof(CodeChunk).GetProperties().Where(p => p.GetIndexParameters().Length == 0).OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.GetValue(chunk)}"));

    private Task<CodeIndex> Build() => CodeIndexBuilder.BuildAsync(
        ChunkingFixture.Chunk(fixture.Shop).Concat(ChunkingFixture.Chunk(fixture.Inventory)).ToList(), Hashing, Hashing.Profile, "structural test");

    [Fact]
    public async Task A_loaded_index_answers_exactly_as_the_index_in_memory_and_its_chunks_are_equal()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "index.scidx");
        var built = await Build();
        built.Save(path);

        var loaded = CodeIndex.Load(path);

        Assert.Equal(IndexMetadata.CurrentFormatVersion, loaded.Metadata.FormatVersion);
        foreach (var mode in new[] { SearchMode.Dense, SearchMode.Lexical, SearchMode.Hybrid })
        {
            foreach (var query in Queries)
            {
                var options = new SearchOptions { Mode = mode, Top = 10 };
                var expected = await built.SearchAsync(query, Hashing, options);
                var actual = await loaded.SearchAsync(query, Hashing, options);
                Assert.Equal(
                    expected.Select(r => (r.Chunk.Id, r.Score, r.ThresholdScore, r.Confidence, r.StartLine, r.EndLine, r.Via, r.Chunk.DisplayText)),
                    actual.Select(r => (r.Chunk.Id, r.Score, r.ThresholdScore, r.Confidence, r.StartLine, r.EndLine, r.Via, r.Chunk.DisplayText)));
            }
        }

        // Every public property of every chunk, the texts read on demand included.
        Assert.Equal(built.Chunks.Select(Properties), loaded.Chunks.Select(Properties));
        Assert.Equal(built.Vectors.Data.ToArray(), loaded.Vectors.Data.ToArray());
    }

    [Fact]
    public async Task Metadata_alone_is_read_and_verified_without_the_rest()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "index.scidx");
        var built = await Build();
        built.Save(path);
        IndexFileSections.Damage(path, IndexFileSections.Vectors);

        // The metadata is all a caller needs to start the model; the damaged vectors still fail the load itself.
        var metadata = CodeIndex.ReadMetadata(path);
        Assert.NotNull(metadata);
        Assert.Equal(built.Metadata.ModelId, metadata.ModelId);
        Assert.Equal(built.Metadata.Dimensions, metadata.Dimensions);
        Assert.Equal(IndexMetadata.CurrentFormatVersion, metadata.FormatVersion);
        Assert.Throws<IndexFormatException>(() => CodeIndex.Load(path));

        IndexFileSections.Damage(path, IndexFileSections.Metadata);
        Assert.Contains("corrupt", Assert.Throws<IndexFormatException>(() => CodeIndex.ReadMetadata(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saving_a_loaded_index_writes_the_same_bytes()
    {
        using var folder = new TempDirectory();
        var first = Path.Combine(folder.Path, "first.scidx");
        var second = Path.Combine(folder.Path, "second.scidx");
        (await Build()).Save(first);

        CodeIndex.Load(first).Save(second);

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [Theory]
    [InlineData(IndexFileSections.Metadata)]
    [InlineData(IndexFileSections.Chunks)]
    [InlineData(IndexFileSections.Vectors)]
    [InlineData(IndexFileSections.Lexical)]
    [InlineData(IndexFileSections.Relations)]
    [InlineData(IndexFileSections.TextBlocks)]
    public async Task A_damaged_section_that_search_reads_fails_the_load(int section)
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "index.scidx");
        (await Build()).Save(path);
        IndexFileSections.Damage(path, section);

        var error = Assert.Throws<IndexFormatException>(() => CodeIndex.Load(path));
        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Damaged_texts_load_and_search_but_fail_the_read_of_a_text_in_the_damaged_block()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "index.scidx");
        var built = await Build();

        // Small blocks, so the first chunk's texts and the last one's are in different blocks.
        IndexFile.Write(built, path, textBlockBytes: 256);
        IndexFileSections.Damage(path, IndexFileSections.Texts, length => length - 1);

        // Search does not read the texts, so it still answers from the verified sections...
        var loaded = CodeIndex.Load(path);
        Assert.NotEmpty(await loaded.SearchAsync("where is ReadBearerToken", Hashing));

        // ...a text in an intact block reads as it was written...
        Assert.Equal(built.Chunks[0].EmbeddingText, loaded.Chunks[0].EmbeddingText);

        // ...and one in the damaged block is checked before it is used: the damage is reported, never shown.
        var error = Assert.Throws<IndexFormatException>(() => loaded.Chunks[^1].DisplayText);
        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
        Assert.Contains("texts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Texts_read_in_small_blocks_are_the_texts_written()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "index.scidx");
        var built = await Build();
        IndexFile.Write(built, path, textBlockBytes: 256);

        // Most texts cross a block boundary at this size; read from the end so no block is cached by a neighbour first.
        var loaded = CodeIndex.Load(path);
        for (var i = built.Chunks.Length - 1; i >= 0; i--)
        {
            Assert.Equal(built.Chunks[i].DisplayText, loaded.Chunks[i].DisplayText);
            Assert.Equal(built.Chunks[i].LexicalText, loaded.Chunks[i].LexicalText);
            Assert.Equal(built.Chunks[i].EmbeddingText, loaded.Chunks[i].EmbeddingText);
        }
    }

    [Fact]
    public async Task Texts_come_from_the_file_that_was_loaded_even_when_another_index_replaces_it()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "index.scidx");
        var built = await Build();
        built.Save(path);
        var loaded = CodeIndex.Load(path);

        // Saving replaces the file by renaming a new one over it; the loaded index still reads its own.
        var other = await CodeIndexBuilder.BuildAsync(ChunkingFixture.Chunk(fixture.Inventory).ToList(), Hashing, Hashing.Profile, "structural test");
        other.Save(path);

        Assert.Equal(built.Chunks.Select(c => c.DisplayText), loaded.Chunks.Select(c => c.DisplayText));
    }

    [Fact]
    public async Task Texts_whose_lengths_do_not_add_up_are_refused_even_with_valid_checksums()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "index.scidx");
        (await Build()).Save(path);
        IndexFileSections.Rewrite(path, IndexFileSections.Texts, texts => texts[..^1]);

        Assert.Throws<IndexFormatException>(() => CodeIndex.Load(path));
    }

    [Fact]
    public async Task A_section_table_pointing_outside_the_file_is_refused()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "index.scidx");
        (await Build()).Save(path);
        var bytes = File.ReadAllBytes(path);

        File.WriteAllBytes(path, bytes[..(bytes.Length - 10)]);
        Assert.Throws<IndexFormatException>(() => CodeIndex.Load(path));

        // The header's own checksum covers the section table.
        bytes[16 + 4] ^= 1;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("corrupt", Assert.Throws<IndexFormatException>(() => CodeIndex.Load(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_2_file_is_still_read_and_answers_the_same()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "v2.scidx");
        var built = await Build();
        IndexFile.WriteVersion2(built, path);

        var loaded = CodeIndex.Load(path);

        Assert.Equal(2, loaded.Metadata.FormatVersion);
        Assert.Null(CodeIndex.ReadMetadata(path));
        Assert.Equal(built.Chunks.Select(Properties), loaded.Chunks.Select(Properties));
        foreach (var query in Queries)
        {
            Assert.Equal(
                (await built.SearchAsync(query, Hashing)).Select(r => (r.Chunk.Id, r.Score)),
                (await loaded.SearchAsync(query, Hashing)).Select(r => (r.Chunk.Id, r.Score)));
        }
    }
}
