using StructuralChunking.Discovery;
using StructuralChunking.Graph;
using StructuralChunking.Roslyn;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Roslyn;

public sealed class CSharpBadInputTests
{
    [Fact]
    public async Task Broken_binary_oversized_and_non_csharp_files_never_crash_the_load()
    {
        using var folder = new TempDirectory();
        folder.Write("Good.cs", "namespace N; public class Good { public void Run() => Helper(); void Helper() { } }");
        folder.Write("Broken.cs", "namespace N; public class Broken { public void M( { int x = ; } ");
        folder.Write("NotCSharp.cs", "This is a README that happens to end in .cs\nIt has no code at all.");
        folder.WriteBytes("Binary.cs", [0x4D, 0x5A, 0x00, 0x00, 0x03, 0x00, 0xFF, 0xFE]);
        folder.Write("Huge.cs", "namespace N; public class Huge { " + new string(' ', 5000) + " }");

        var result = await CSharpGraphLoader.LoadAsync(folder.Path, new CSharpGraphOptions { MaxFileBytes = 4096 });

        Assert.Equal(CSharpLoadMode.AdHoc, result.Mode);
        result.Graph.AssertEdge("N.Good.Run", "N.Good.Helper", EdgeKind.Calls);
        // Indexed as far as possible, with the reason recorded.
        Assert.Equal(SymbolKind.Method, result.Graph.Symbol("N.Broken.M").Kind);
        Assert.Contains(result.Diagnostics, d => d.Path == "Broken.cs" && d.Message.Contains("syntax error", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Path == "NotCSharp.cs");
        Assert.Contains(result.SkippedFiles, s => s.RelativePath == "Binary.cs" && s.Reason == SkipReason.Binary);
        Assert.Contains(result.SkippedFiles, s => s.RelativePath == "Huge.cs" && s.Reason == SkipReason.TooLarge);
    }

    [Fact]
    public async Task Local_functions_of_top_level_statements_have_no_parent_and_do_not_break_the_graph()
    {
        // Found by the fuzz suite: their container is the compiler's Main, which is never a symbol of the graph.
        using var folder = new TempDirectory();
        folder.Write("Program.cs", "Hello();\nvoid Hello() => System.Console.WriteLine(\"hi\");\n");
        folder.Write("Broken.cs", "t u<");

        var result = await CSharpGraphLoader.LoadAsync(folder.Path);

        var hello = Assert.Single(result.Graph.Symbols, s => s.Name == "Hello");
        Assert.Null(hello.ParentId);
    }

    [Fact]
    public async Task Missing_path_and_wrong_file_kind_are_clear_errors()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() => CSharpGraphLoader.LoadAsync("/nonexistent/structchunk/path"));
        using var folder = new TempDirectory();
        var text = folder.Write("notes.txt", "hello");
        var error = await Assert.ThrowsAsync<ArgumentException>(() => CSharpGraphLoader.LoadAsync(text));
        Assert.Contains(".sln, .slnx or .csproj", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            CSharpGraphLoader.LoadAsync(RepositoryPaths.Fixture("CSharp", "Shop", "src"), cancellationToken: cts.Token));
    }
}
