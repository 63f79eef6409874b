using StructuralChunking.Chunking;
using StructuralChunking.Indexing;
using StructuralChunking.Tests.Support;
using StructuralChunking.Tests.TreeSitter;

namespace StructuralChunking.Tests.Indexing;

/// <summary>
/// A class too large to embed whole is cut into an outline and its members: when the outline matches a question, the
/// member that matched best takes its place.
/// </summary>
public sealed class OutlineMemberTests
{
    private static string HelpClass() =>
        "/** Formats the help of a command: usage line, arguments, options and subcommands. */\nexport class Help {\n"
        + string.Concat(new[] { "formatHelp", "commandUsage", "visibleOptions", "visibleArguments", "optionTerm", "argumentTerm" }.Select(name => $$"""
              {{name}}(cmd, helper) {
                const lines = []
                for (const item of cmd.items) {
                  if (item.hidden) {
                    continue
                  }
                  lines.push(helper.pad(item.name, 20) + ' ' + item.description)
                }
                if (lines.length === 0) {
                  return ''
                }
                return lines.join('\n') + '\n'
              }

            """))
        + "}\n\nexport function small(value) {\n  return value\n}\n";

    private static (List<CodeChunk> Chunks, ChunkRelations Relations, GraphPropagation Propagation) Build()
    {
        using var folder = new TempDirectory();
        folder.Write("lib/help.js", HelpClass());
        var result = TreeSitterTestSupport.Load(folder.Path, "javascript");
        var chunks = new StructuralChunker()
            .Chunk(result.Graph, SourceTexts.FromDirectory(result.RootDirectory), [new ChunkSourceFile("lib/help.js", "javascript")])
            .OrderBy(c => c.Id, StringComparer.Ordinal)
            .ToList();
        var relations = ChunkRelations.Build(chunks, result.Graph);
        var heads = Enumerable.Range(0, chunks.Count)
            .Select(i => chunks.FindIndex(c => CodeIndex.GroupKey(c.Id) == CodeIndex.GroupKey(chunks[i].Id)))
            .ToArray();
        return (chunks, relations, new GraphPropagation(ChunkRecords.FromChunks([.. chunks], heads), relations, head => (chunks[head].StartLine, chunks[head].EndLine)));
    }

    private static int Find(List<CodeChunk> chunks, string name) => chunks.FindIndex(c => c.SymbolName == name);

    [Fact]
    public void The_outline_of_a_split_class_leads_to_its_members()
    {
        var (chunks, relations, _) = Build();
        var outline = Find(chunks, "lib/help.Help");
        Assert.True(outline >= 0 && Find(chunks, "lib/help.Help.formatHelp") >= 0, "the class is cut into an outline and members");
        Assert.Equal(ChunkRole.Outline, relations.Role(outline));
        var targets = relations.Targets(outline).ToArray();
        var kinds = relations.Kinds(outline).ToArray();
        Assert.Equal(6, Enumerable.Range(0, targets.Length).Count(i => kinds[i] == ChunkRelationKind.Member));
        Assert.DoesNotContain(Find(chunks, "lib/help.small"), targets);
    }

    [Fact]
    public void The_best_matching_member_takes_the_place_of_the_outline()
    {
        var (chunks, _, propagation) = Build();
        var outline = Find(chunks, "lib/help.Help");
        var formatHelp = Find(chunks, "lib/help.Help.formatHelp");
        var optionTerm = Find(chunks, "lib/help.Help.optionTerm");
        var small = Find(chunks, "lib/help.small");

        var fused = new Dictionary<int, double> { [outline] = 0.05, [small] = 0.045, [formatHelp] = 0.03, [optionTerm] = 0.02 };
        var ranked = propagation.Apply(fused, weight: 0.5, declarationWeight: 0.8);

        Assert.Equal([formatHelp, small, outline, optionTerm], ranked.Select(r => r.Ordinal));
        Assert.Equal("member of lib/help.Help", ranked[0].Via);
        Assert.True(ranked[0].Score > 0.05);

        // It took the outline's place, so search gives it the outline's confidence if that is higher than its own;
        // nothing else inherited anything.
        Assert.Equal(outline, ranked[0].InheritedFrom);
        Assert.All(ranked.Skip(1), r => Assert.Equal(-1, r.InheritedFrom));

        // No member among the candidates: the outline keeps its place.
        var alone = propagation.Apply(new Dictionary<int, double> { [outline] = 0.05, [small] = 0.04 }, weight: 0.5, declarationWeight: 0.8);
        Assert.Equal([outline, small], alone.Select(r => r.Ordinal));
    }
}
