using StructuralChunking.Chunking;
using StructuralChunking.Graph;
using StructuralChunking.Indexing;
using StructuralChunking.Tests.Support;
using StructuralChunking.Tests.TreeSitter;

namespace StructuralChunking.Tests.Indexing;

/// <summary>
/// Graph ranking through the members of a TypeScript options interface, which the tree-sitter graph has no symbols for:
/// the part of the interface whose doc comment matched hands score to the function that reads that option.
/// </summary>
public sealed class MemberReaderTests
{
    private static readonly string[] OptionNames =
    [
        "baseUrl", "reducerPath", "tagTypes", "refetchOnFocus", "refetchOnReconnect", "invalidationBehavior",
        "serializeQueryArgs", "extractRehydrationInfo", "onQueryStarted", "maxRetries", "keepUnusedDataFor",
    ];

    private static string Options() =>
        "export interface ApiOptions {\n" + string.Concat(OptionNames.Select(name => $$"""
              /**
               * Controls {{name}} for every endpoint of the api. The value is read once when the api is created and then
               * applies to each request, subscription and cache entry that the api manages on behalf of the application.
               */
              {{name}}?: number

            """)) + "}\n";

    private const string Collector = """
        import { ApiOptions } from './options'

        export function collectUnused(state, options: ApiOptions) {
          const removed = []
          for (const key of Object.keys(state.queries)) {
            const entry = state.queries[key]
            if (entry.subscribers > 0) {
              continue
            }
            const age = Date.now() - entry.lastUsed
            if (age > options.keepUnusedDataFor * 1000) {
              delete state.queries[key]
              removed.push(key)
            }
          }
          if (removed.length > 0) {
            state.version += 1
          }
          return removed
        }

        export function countEntries(state) {
          let count = 0
          for (const key of Object.keys(state.queries)) {
            count += state.queries[key].subscribers
          }
          return count
        }
        """;

    private const string CollectorTest = """
        import { collectUnused } from './collector'

        test('drops entries after keepUnusedDataFor', () => {
          const state = { queries: { a: { subscribers: 0, lastUsed: 0 } } }
          expect(collectUnused(state, { keepUnusedDataFor: 1 })).toEqual(['a'])
        })
        """;

    private static (List<CodeChunk> Chunks, ChunkRelations Relations) Build()
    {
        using var folder = new TempDirectory();
        folder.Write("src/options.ts", Options());
        folder.Write("src/collector.ts", Collector);
        folder.Write("src/collector.test.ts", CollectorTest);
        var result = TreeSitterTestSupport.Load(folder.Path, "typescript");
        var chunks = new StructuralChunker(new ChunkingOptions { TokenBudget = 128 })
            .Chunk(result.Graph, SourceTexts.FromDirectory(result.RootDirectory),
                [new ChunkSourceFile("src/options.ts", "typescript"), new ChunkSourceFile("src/collector.ts", "typescript"), new ChunkSourceFile("src/collector.test.ts", "typescript")])
            .OrderBy(c => c.Id, StringComparer.Ordinal)
            .ToList();
        return (chunks, ChunkRelations.Build(chunks, result.Graph));
    }

    [Fact]
    public void Declared_members_are_the_property_signatures_of_two_or_more_words()
    {
        Assert.Equal(["keepUnusedDataFor", "onError", "retryCount"],
            DeclaredMemberNames.Find("""
                /** How long unused data stays. */
                keepUnusedDataFor?: number
                readonly onError(error: Error): void
                retryCount: number
                data: unknown
                // notThis: number
                 * norThis: number
                """));
    }

    [Fact]
    public void The_part_declaring_an_option_links_to_the_function_that_reads_it_and_not_to_tests()
    {
        var (chunks, relations) = Build();
        var declaring = chunks.FindIndex(c => c.SymbolName?.EndsWith("ApiOptions", StringComparison.Ordinal) == true
            && c.DisplayText.Contains("keepUnusedDataFor?: number", StringComparison.Ordinal));
        Assert.True(declaring >= 0, "a part of ApiOptions declares keepUnusedDataFor");
        Assert.True(chunks.Count(c => c.SymbolName?.EndsWith("ApiOptions", StringComparison.Ordinal) == true) > 2, "the interface is split into parts");

        var reader = chunks.FindIndex(c => c.SymbolName?.EndsWith("collectUnused", StringComparison.Ordinal) == true);
        var counter = chunks.FindIndex(c => c.SymbolName?.EndsWith("countEntries", StringComparison.Ordinal) == true);
        var test = chunks.FindIndex(c => (c.Traits & SymbolTraits.Test) != 0);
        Assert.True(test >= 0, "the test block is a chunk");

        var links = Pairs(relations, declaring);
        Assert.Contains((reader, ChunkRelationKind.MemberReader), links);
        Assert.DoesNotContain(links, l => l.Target == counter || l.Target == test);

        // Every part of the interface declares, so each can pass score on and step back.
        Assert.All(Enumerable.Range(0, chunks.Count).Where(i => chunks[i].SymbolName?.EndsWith("ApiOptions", StringComparison.Ordinal) == true && chunks[i].PartIndex > 0),
            i => Assert.NotEqual(ChunkRole.None, relations.Role(HeadOf(chunks, i))));
    }

    [Fact]
    public void The_matched_part_hands_score_to_the_reader_with_the_member_as_the_reason()
    {
        var (chunks, relations) = Build();
        var groupHead = Enumerable.Range(0, chunks.Count).Select(i => HeadOf(chunks, i)).ToArray();
        var propagation = new GraphPropagation(ChunkRecords.FromChunks([.. chunks], groupHead), relations, head => Span(chunks, head));
        var declaring = chunks.FindIndex(c => c.DisplayText.Contains("keepUnusedDataFor?: number", StringComparison.Ordinal));
        var reader = chunks.FindIndex(c => c.SymbolName?.EndsWith("collectUnused", StringComparison.Ordinal) == true);
        var counter = chunks.FindIndex(c => c.SymbolName?.EndsWith("countEntries", StringComparison.Ordinal) == true);

        // The option's part matched best, the reader barely, an unrelated function in between; the test last.
        var test = chunks.FindIndex(c => (c.Traits & SymbolTraits.Test) != 0);
        var fused = new Dictionary<int, double> { [declaring] = 0.05, [counter] = 0.02, [reader] = 0.015, [test] = 0.001 };
        var ranked = propagation.Apply(fused, weight: 0.5, declarationWeight: 0.8);

        var received = Assert.Single(ranked, r => r.Ordinal == reader);
        Assert.Equal("reads ApiOptions.keepUnusedDataFor", received.Via);
        Assert.True(ranked.FindIndex(r => r.Ordinal == reader) < ranked.FindIndex(r => r.Ordinal == counter), "the reader rises above the unrelated function");
        Assert.Equal(0.05 * 0.8, Assert.Single(ranked, r => r.Ordinal == declaring).Score, 9);
    }

    private static int HeadOf(List<CodeChunk> chunks, int ordinal)
    {
        var key = CodeIndex.GroupKey(chunks[ordinal].Id);
        return chunks.FindIndex(c => CodeIndex.GroupKey(c.Id) == key);
    }

    private static (int Start, int End) Span(List<CodeChunk> chunks, int head)
    {
        var key = CodeIndex.GroupKey(chunks[head].Id);
        var group = chunks.Where(c => CodeIndex.GroupKey(c.Id) == key).ToList();
        return (group.Min(c => c.StartLine), group.Max(c => c.EndLine));
    }

    private static List<(int Target, ChunkRelationKind Kind)> Pairs(ChunkRelations relations, int ordinal)
    {
        var targets = relations.Targets(ordinal).ToArray();
        var kinds = relations.Kinds(ordinal).ToArray();
        return Enumerable.Range(0, targets.Length).Select(i => (targets[i], kinds[i])).ToList();
    }
}
