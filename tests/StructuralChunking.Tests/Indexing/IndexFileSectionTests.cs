using StructuralChunking.Chunking;
using StructuralChunking.Embeddings;
using StructuralChunking.Graph;
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

    [Fact]
    public async Task A_version_3_file_is_still_read_and_answers_the_same()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "v3.scidx");
        var built = await Build();
        IndexFile.WriteVersion3(built, path);

        var loaded = CodeIndex.Load(path);

        Assert.Equal(3, loaded.Metadata.FormatVersion);
        Assert.Equal(3, CodeIndex.ReadMetadata(path)!.FormatVersion);
        Assert.Equal(built.Chunks.Select(Properties), loaded.Chunks.Select(Properties));
        foreach (var mode in new[] { SearchMode.Lexical, SearchMode.Hybrid })
        {
            foreach (var query in Queries)
            {
                var options = new SearchOptions { Mode = mode };
                Assert.Equal(
                    (await built.SearchAsync(query, Hashing, options)).Select(r => (r.Chunk.Id, r.Score, r.Confidence, r.Via)),
                    (await loaded.SearchAsync(query, Hashing, options)).Select(r => (r.Chunk.Id, r.Score, r.Confidence, r.Via)));
            }
        }

        // Saved again, it is in the current format with the same content.
        var upgraded = Path.Combine(folder.Path, "v4.scidx");
        loaded.Save(upgraded);
        var current = Path.Combine(folder.Path, "current.scidx");
        built.Save(current);
        Assert.Equal(File.ReadAllBytes(current), File.ReadAllBytes(upgraded));
    }

    [Fact]
    public async Task Loading_decodes_no_chunk_and_a_search_decodes_about_the_chunks_it_returns()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "index.scidx");
        var built = await Build();
        built.Save(path);

        var loaded = CodeIndex.Load(path);
        Assert.Equal(0, loaded.Records.DecodedCount);

        var results = await loaded.SearchAsync("compute the discounted price of an order", Hashing, new SearchOptions { Top = 2, MinScore = -1 });

        // The results, and the few chunks the graph ranking names as reasons; not every chunk.
        Assert.Equal(2, results.Count);
        Assert.InRange(loaded.Records.DecodedCount, 2, loaded.Records.Count / 2);
        Assert.All(results, r => Assert.Same(r.Chunk, loaded.Records[built.Chunks.IndexOf(built.Chunks.Single(c => c.Id == r.Chunk.Id))]));
    }

    [Fact]
    public async Task Names_in_a_query_find_their_definitions_in_a_loaded_index_as_in_memory()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "index.scidx");
        var built = await Build();
        built.Save(path);
        var loaded = CodeIndex.Load(path);
        var named = built.Chunks.First(c => c.SymbolName is not null && c.SymbolKind.IsCallable());
        var query = $"where is {CodeIndex.SimpleName(named.SymbolName!)} called";

        var options = new SearchOptions { Mode = SearchMode.Lexical, Top = 5 };
        var expected = await built.SearchAsync(query, Hashing, new SearchOptions { Top = 5 });
        var actual = await loaded.SearchAsync(query, Hashing, new SearchOptions { Top = 5 });

        Assert.Equal(expected.Select(r => (r.Chunk.Id, r.Score, r.StartLine, r.EndLine)), actual.Select(r => (r.Chunk.Id, r.Score, r.StartLine, r.EndLine)));
        Assert.Equal(
            (await built.SearchAsync(query, Hashing, options)).Select(r => (r.Chunk.Id, r.Score)),
            (await loaded.SearchAsync(query, Hashing, options)).Select(r => (r.Chunk.Id, r.Score)));
    }

    [Fact]
    public async Task Chunk_records_pointing_outside_their_section_are_refused_even_with_valid_checksums()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "index.scidx");
        var built = await Build();
        var count = built.Chunks.Length;
        built.Save(path);
        var original = File.ReadAllBytes(path);

        // The first chunk's definition said to start at a chunk past the last (the group head column is the tenth).
        IndexFileSections.Rewrite(path, IndexFileSections.Chunks, chunks => With(chunks, 4 + (9 * 4 * count), count));
        Assert.Throws<IndexFormatException>(() => CodeIndex.Load(path));

        // A string said to end past the section's strings (the starts follow the fourteen columns).
        File.WriteAllBytes(path, original);
        IndexFileSections.Rewrite(path, IndexFileSections.Chunks, chunks => With(chunks, 4 + (14 * 4 * count) + 4, chunks.Length));
        Assert.Throws<IndexFormatException>(() => CodeIndex.Load(path));

        // More chunks than the section holds.
        File.WriteAllBytes(path, original);
        IndexFileSections.Rewrite(path, IndexFileSections.Chunks, chunks => With(chunks, 0, int.MaxValue / 8));
        Assert.Throws<IndexFormatException>(() => CodeIndex.Load(path));

        // Records a search would fail to decode fail the load instead: an end line before the start line (the third
        // column), and a symbol id that is not hex (the second string of the first chunk).
        File.WriteAllBytes(path, original);
        IndexFileSections.Rewrite(path, IndexFileSections.Chunks, chunks => With(chunks, 4 + (2 * 4 * count), 0));
        Assert.Contains("span", Assert.Throws<IndexFormatException>(() => CodeIndex.Load(path)).Message, StringComparison.Ordinal);

        File.WriteAllBytes(path, original);
        var withSymbol = built.Chunks.Select((c, i) => (c, i)).First(p => p.c.SymbolId is not null).i;
        IndexFileSections.Rewrite(path, IndexFileSections.Chunks, chunks =>
        {
            var startsAt = 4 + (14 * 4 * count);
            var utf8At = startsAt + (4 * ((6 * count) + 1));
            var symbolStart = BitConverter.ToInt32(chunks, startsAt + (4 * ((6 * withSymbol) + 1)));
            var copy = chunks.ToArray();
            copy[utf8At + symbolStart] = (byte)'z';
            return copy;
        });
        Assert.Contains("symbol id", Assert.Throws<IndexFormatException>(() => CodeIndex.Load(path)).Message, StringComparison.Ordinal);

        // The untouched file still loads.
        File.WriteAllBytes(path, original);
        Assert.Equal(count, CodeIndex.Load(path).Chunks.Length);
    }

    [Fact]
    public async Task Postings_pointing_outside_their_section_or_out_of_order_are_refused_even_with_valid_checksums()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "index.scidx");
        var built = await Build();
        var count = built.Chunks.Length;
        built.Save(path);
        var original = File.ReadAllBytes(path);
        var terms = built.Lexical.TermCount;
        var termsAt = 4 + (4 * count);
        var termStartsAt = termsAt + 8;
        var documentsAt = termStartsAt + (8 * (terms + 1));

        // A posting of a chunk that does not exist.
        IndexFileSections.Rewrite(path, IndexFileSections.Lexical, postings => With(postings, documentsAt, count));
        Assert.Throws<IndexFormatException>(() => CodeIndex.Load(path));

        // The first two terms out of order: the first said to run on over the second, which is left empty.
        File.WriteAllBytes(path, original);
        IndexFileSections.Rewrite(path, IndexFileSections.Lexical, postings => With(postings, termStartsAt + 4, BitConverter.ToInt32(postings, termStartsAt + 8)));
        Assert.Throws<IndexFormatException>(() => CodeIndex.Load(path));

        // More terms than the section holds.
        File.WriteAllBytes(path, original);
        IndexFileSections.Rewrite(path, IndexFileSections.Lexical, postings => With(postings, termsAt, int.MaxValue));
        Assert.Throws<IndexFormatException>(() => CodeIndex.Load(path));
    }

    private static byte[] With(byte[] section, int at, int value)
    {
        var copy = section.ToArray();
        BitConverter.TryWriteBytes(copy.AsSpan(at), value);
        return copy;
    }

    [Fact]
    public void Metadata_read_with_the_generated_reader_is_the_metadata_the_reflection_based_writer_wrote()
    {
        var metadata = new IndexMetadata
        {
            ModelId = "minilm",
            Dimensions = 384,
            QueryPrefix = "query: ",
            DocumentPrefix = "passage: ",
            Chunker = "structural budget=256",
            CreatedUtc = new DateTimeOffset(2026, 12, 2, 11, 0, 0, TimeSpan.FromHours(1)),
            FileHashes = new Dictionary<string, string> { ["src/a.cs"] = "ab12", ["src/\u00e9.py"] = "cd34" },
            SourceFingerprint = "f00d",
            MinScores = new Dictionary<string, float> { ["dense"] = 0.31f, ["hybrid"] = 0.0123456789f },
            Confidence = new ConfidenceModel(-3.5, 7.25, 1.5, -0.125, 2, 3, 4, 0.4061234567890123),
            ConfidenceSource = ConfidenceSource.Questions,
            Redactions = [new StructuralChunking.Security.SecretRedaction("src/a.cs", 12, "aws-key")],
        };
        var written = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(metadata);

        var read = System.Text.Json.JsonSerializer.Deserialize(written, IndexMetadataJson.Default.IndexMetadata)!;

        // Every property, through the writer again: the generated reader lost or changed nothing.
        Assert.Equal(written, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(read));
        Assert.Equal(metadata.Confidence, read.Confidence);
        Assert.Equal(metadata.Redactions, read.Redactions);
        Assert.Equal(metadata.CreatedUtc, read.CreatedUtc);
        Assert.Equal(metadata.MinScores["hybrid"], read.MinScores["hybrid"]);
    }
}
