using System.Text;
using StructuralChunking.Discovery;
using StructuralChunking.Graph;
using StructuralChunking.Roslyn;
using StructuralChunking.Tests.Roslyn;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Reliability;

public sealed class CSharpPathologicalTests
{
    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    [Fact]
    public async Task Deep_nesting_and_long_chains_never_overflow_the_stack()
    {
        using var folder = new TempDirectory();
        folder.Write("Good.cs", "namespace N; public class Good { public void Run() => Helper(); void Helper() { } }");
        folder.Write("Parens.cs", "class P { int x = " + Repeat("(", 50_000) + "1" + Repeat(")", 50_000) + "; }");
        var classes = new StringBuilder();
        for (var i = 0; i < 5_000; i++)
        {
            classes.Append("class C").Append(i).Append(" {\n");
        }

        folder.Write("Classes.cs", classes.Append(Repeat("}\n", 5_000)).ToString());
        // Shapes Roslyn handles without recursion on depth, kept to prove that: long else-if chains and binary chains.
        folder.Write("ElseIf.cs", "class E { int F(int x) { " + Repeat("if (x == 1) return 1; else\n", 1_000) + "return 0; } }");
        folder.Write("Binary.cs", "class B { int F(int a) => " + Repeat("a +\n", 2_000) + "a; }");

        var result = await CSharpGraphLoader.LoadAsync(folder.Path);

        result.Graph.AssertEdge("N.Good.Run", "N.Good.Helper", EdgeKind.Calls);
        Assert.Contains(result.SkippedFiles, s => s.RelativePath == "Parens.cs" && s.Reason == SkipReason.Pathological);
        Assert.Contains(result.SkippedFiles, s => s.RelativePath == "Classes.cs" && s.Reason == SkipReason.Pathological);
        foreach (var name in new[] { "ElseIf.cs", "Binary.cs" })
        {
            Assert.Contains(result.Graph.Symbols, s => s.Path == name);
        }
    }

    [Fact]
    public async Task A_binding_over_its_time_budget_is_skipped_with_a_reason()
    {
        using var folder = new TempDirectory();
        // Many flat statements, not one deep expression: binding a deep tree may run out of stack first, and the test
        // would then see the nesting guard instead of the time budget.
        folder.Write("Slow.cs", "class S { int F(int a) { " + Repeat("a = a + 1;\n", 20_000) + "return a; } }");
        var result = await CSharpGraphLoader.LoadAsync(folder.Path, new CSharpGraphOptions { DocumentTimeout = TimeSpan.FromTicks(1) });
        var skipped = Assert.Single(result.SkippedFiles, s => s.RelativePath == "Slow.cs");
        Assert.Equal(SkipReason.Unparsable, skipped.Reason);
        Assert.Contains("within", skipped.Detail, StringComparison.Ordinal);
    }
}
