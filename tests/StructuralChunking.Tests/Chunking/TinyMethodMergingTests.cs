using StructuralChunking.Chunking;
using StructuralChunking.Context;
using StructuralChunking.Embeddings;
using StructuralChunking.Evaluation;
using StructuralChunking.Graph;
using StructuralChunking.Indexing;
using StructuralChunking.Roslyn;
using StructuralChunking.Search;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Chunking;

/// <summary>
/// Short methods, constructors and properties merged into runs (<see cref="ChunkingOptions.TinyMethodMaxLines"/>):
/// fewer chunks, and every merged member still found by its name and its lines.
/// </summary>
public sealed class TinyMethodMergingTests : IAsyncLifetime, IDisposable
{
    // Allman style, as in KeePass: a one-statement method takes four lines.
    private const string Store = """
        using System.Collections.Generic;

        namespace Vault;

        /// <summary>Keeps the entries of one group, in order.</summary>
        public sealed class EntryStore
        {
            private readonly List<string> m_entries = new List<string>();

            public int Count
            {
                get { return m_entries.Count; }
            }

            public bool IsEmpty()
            {
                return m_entries.Count == 0;
            }

            public string GetAt(int index)
            {
                return m_entries[index];
            }

            /// <summary>Whether the store holds an entry with this exact title.</summary>
            public bool Contains(string entry)
            {
                return m_entries.Contains(entry);
            }

            public void Add(string entry)
            {
                InsertAt(m_entries.Count, entry);
            }

            /// <summary>Inserts an entry, moving the ones after it, and trims the titles of every entry it moved.</summary>
            public void InsertAt(int position, string entry)
            {
                if (position < 0 || position > m_entries.Count)
                {
                    throw new System.ArgumentOutOfRangeException(nameof(position));
                }

                m_entries.Insert(position, entry);
                for (var i = position + 1; i < m_entries.Count; i++)
                {
                    var title = m_entries[i];
                    if (title.StartsWith(" ", System.StringComparison.Ordinal) || title.EndsWith(" ", System.StringComparison.Ordinal))
                    {
                        m_entries[i] = title.Trim();
                    }

                    if (title.Length > 120)
                    {
                        m_entries[i] = title.Substring(0, 120);
                    }
                }

                System.Diagnostics.Debug.Assert(m_entries.Count > position);
            }

            public void ClearAll()
            {
                m_entries.Clear();
            }
        }
        """;

    private readonly TempDirectory _folder = new();
    private CSharpGraphResult _loaded = null!;

    public async Task InitializeAsync()
    {
        _folder.Write("EntryStore.cs", Store);
        _loaded = await CSharpGraphLoader.LoadAsync(_folder.Path);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _folder.Dispose();

    private IReadOnlyList<CodeChunk> Chunk(int tinyMethodMaxLines) =>
        new StructuralChunker(new ChunkingOptions { TinyMethodMaxLines = tinyMethodMaxLines })
            .Chunk(_loaded.Graph, SourceTexts.FromDirectory(_folder.Path), [new ChunkSourceFile("EntryStore.cs", "csharp")]);

    private CodeSymbol Symbol(string name) => _loaded.Graph.Symbols.Single(s => s.QualifiedName == "Vault.EntryStore." + name);

    [Fact]
    public void Adjacent_short_members_share_one_chunk_and_a_lone_one_keeps_its_own()
    {
        var separate = Chunk(0);
        var merged = Chunk(5);

        Assert.True(merged.Count < separate.Count, $"{merged.Count} chunks merged, {separate.Count} without");
        var run = Assert.Single(merged, c => c.Id.Contains("+members", StringComparison.Ordinal));
        Assert.Contains("scope: Vault > EntryStore (members m_entries, Count, IsEmpty, GetAt)", run.EmbeddingText, StringComparison.Ordinal);
        Assert.Equal((Symbol("m_entries").StartLine, Symbol("GetAt").EndLine), (run.StartLine, run.EndLine));
        Assert.Contains("get at", run.EmbeddingText, StringComparison.Ordinal);
        Assert.Contains("GetAt", run.LexicalText, StringComparison.Ordinal);

        // A documented member keeps its own chunk, headed by its doc sentence; that leaves Add alone before the long
        // InsertAt, and ClearAll after it. Alone, each keeps the chunk it has without merging.
        foreach (var name in new[] { "Contains", "Add", "ClearAll" })
        {
            var symbol = Symbol(name);
            Assert.Equal(Assert.Single(separate, c => c.SymbolId == symbol.Id), Assert.Single(merged, c => c.SymbolId == symbol.Id));
        }

        Assert.Contains("doc: Whether the store holds an entry with this exact title.", Assert.Single(merged, c => c.SymbolId == Symbol("Contains").Id).EmbeddingText, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_merging_every_short_method_has_a_chunk_of_its_own()
    {
        var chunks = Chunk(0);
        foreach (var name in new[] { "IsEmpty", "GetAt", "Add", "ClearAll" })
        {
            var symbol = Symbol(name);
            var chunk = Assert.Single(chunks, c => c.SymbolId == symbol.Id);
            Assert.Contains($"> {name} (method)", chunk.EmbeddingText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_run_ends_before_it_outgrows_one_chunk()
    {
        // A small budget: the five short members cannot share one chunk, so they form several runs, none split in parts.
        var options = new ChunkingOptions { TinyMethodMaxLines = 5, TokenBudget = 64 };
        var chunks = new StructuralChunker(options)
            .Chunk(_loaded.Graph, SourceTexts.FromDirectory(_folder.Path), [new ChunkSourceFile("EntryStore.cs", "csharp")]);
        var runs = chunks.Where(c => c.Id.Contains("+members", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(runs);
        Assert.All(runs, r => Assert.Equal(1, r.PartCount));
        foreach (var name in new[] { "Count", "IsEmpty", "GetAt", "Add" })
        {
            var symbol = Symbol(name);
            Assert.Contains(chunks, c => c.StartLine <= symbol.StartLine && symbol.EndLine <= c.EndLine);
        }
    }

    [Fact]
    public async Task Every_merged_member_is_found_by_name_and_span_in_the_index()
    {
        var chunks = Chunk(5);
        var index = await CodeIndexBuilder.BuildAsync(chunks, _loaded.Graph, new HashingEmbeddingGenerator(), new HashingEmbeddingGenerator().Profile, "test", null);
        var navigator = SymbolNavigator.For(index);
        var embedder = new HashingEmbeddingGenerator();
        foreach (var name in new[] { "m_entries", "Count", "IsEmpty", "GetAt", "Add" })
        {
            var symbol = Symbol(name);

            // By name: the run that holds it, by its simple and its qualified name.
            var found = Assert.Single(navigator.Find(name));
            Assert.InRange(symbol.StartLine, found.StartLine, found.EndLine);
            Assert.InRange(symbol.EndLine, found.StartLine, found.EndLine);
            Assert.Equal(found.Id, Assert.Single(navigator.Find("EntryStore." + name)).Id);

            // By span, as the evaluation matches answers: a search for its name ranks the run that contains its lines first.
            var hits = await index.SearchAsync(name, embedder, new SearchOptions { Mode = SearchMode.Lexical });
            Assert.Equal(1, RetrievalEvaluator.FirstHit([.. hits.Select(h => new RankedAnswer(h.Path, h.StartLine, h.EndLine, h.Score))],
                [new RelevantLocation("EntryStore.cs", symbol.StartLine)], symbolLevel: true));
        }

        // The graph still reaches a merged member: Add calls InsertAt, so the run holding Add is among InsertAt's callers.
        var insertAt = Assert.Single(navigator.Find("InsertAt"));
        var callers = navigator.Related(insertAt, SymbolRelation.Callers);
        Assert.Contains(callers, c => c.StartLine <= Symbol("Add").StartLine && Symbol("Add").EndLine <= c.EndLine);
    }
}
