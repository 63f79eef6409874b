using StructuralChunking.Chunking;
using StructuralChunking.Graph;

namespace StructuralChunking.Tests.Chunking;

/// <summary>Chunking on a hand-built graph, as a tree-sitter front end would produce for Python.</summary>
public sealed class ModuleLevelChunkingTests
{
    private const string Source = """
        import os
        import sys

        DEFAULT_TIMEOUT = 30
        RETRY_STATUSES = {429, 502, 503}
        session_cache = {}


        def use_admin_jwt_validation_middleware(request, next):
            token = read_bearer_token(request)
            if token is None or "admin" not in token:
                raise PermissionError("admin token required")
            return next(request)


        def read_bearer_token(request):
            header = request.headers.get("Authorization", "")
            return header[7:] if header.startswith("Bearer ") else None


        if __name__ == "__main__":
            print(use_admin_jwt_validation_middleware(None, None))
            sys.exit(0)
        """;

    private static (CodeGraph Graph, SourceTexts Sources) Build()
    {
        var lines = Source.Split('\n');
        var offsets = new StructuralChunking.Text.Utf8OffsetMap(Source);
        int Line(string text) => Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal)) + 1;
        CodeSymbol Function(string name, int start, int end) => new()
        {
            Id = SymbolId.Create("python", "auth.middleware." + name),
            Name = name,
            QualifiedName = "auth.middleware." + name,
            Kind = SymbolKind.Function,
            Language = "python",
            Location = new SourceLocation("auth/middleware.py", start, end, offsets.LineStartChar(start), offsets.LineEndChar(end)),
            Signature = lines[start - 1].Trim(),
        };

        var middleware = Function("use_admin_jwt_validation_middleware", Line("def use_admin"), Line("return next(request)"));
        var reader = Function("read_bearer_token", Line("def read_bearer"), Line("return header[7:]"));
        var builder = new CodeGraphBuilder();
        builder.AddSymbol(middleware);
        builder.AddSymbol(reader);
        builder.AddEdge(middleware.Id, reader.Id, EdgeKind.Calls);
        return (builder.Build(), SourceTexts.FromMemory([new("auth/middleware.py", Source)]));
    }

    [Fact]
    public void Module_level_code_becomes_file_chunks_and_imports_alone_do_not()
    {
        var (graph, sources) = Build();
        var chunks = new StructuralChunker().Chunk(graph, sources, [new ChunkSourceFile("auth/middleware.py", "python")]);

        Assert.True(4 == chunks.Count, string.Join("\n", chunks.Select(c => c.Id + " " + c.StartLine + "-" + c.EndLine)));
        var constants = chunks.Single(c => c.DisplayText.Contains("DEFAULT_TIMEOUT", StringComparison.Ordinal));
        Assert.Equal(SymbolKind.File, constants.SymbolKind);
        Assert.Null(constants.SymbolId);
        Assert.DoesNotContain("import os", constants.DisplayText, StringComparison.Ordinal);
        Assert.Equal("file:auth/middleware.py#0.0", constants.Id);
        Assert.Contains(chunks, c => c.DisplayText.Contains("__main__", StringComparison.Ordinal));

        var middleware = chunks.Single(c => c.SymbolName == "auth.middleware.use_admin_jwt_validation_middleware");
        Assert.Contains("words: use admin jwt validation middleware, request, next", middleware.EmbeddingText, StringComparison.Ordinal);
        Assert.Contains("calls: read bearer token", middleware.EmbeddingText, StringComparison.Ordinal);
        Assert.Contains("called by: use admin jwt validation middleware", chunks.Single(c => c.SymbolName == "auth.middleware.read_bearer_token").EmbeddingText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_licence_in_a_block_comment_is_not_code_but_code_after_a_closed_comment_is()
    {
        const string source = """
            /*
              Shop - an example
              Copyright (C) 2003-2021 Someone

              This program is free software; you can redistribute it and/or modify
              it under the terms of the GNU General Public License.
            */

            /* settings */ const retries = 3;
            const timeout = retries * 1000;
            """;
        var sources = SourceTexts.FromMemory([new("shop/settings.js", source)]);

        var chunks = new StructuralChunker().Chunk(new CodeGraphBuilder().Build(), sources, [new ChunkSourceFile("shop/settings.js", "javascript")]);

        var chunk = Assert.Single(chunks);
        Assert.Equal(SymbolKind.File, chunk.SymbolKind);
        Assert.Equal(9, chunk.StartLine);
        Assert.DoesNotContain("General Public License", chunk.EmbeddingText, StringComparison.Ordinal);
        Assert.Contains("const timeout", chunk.DisplayText, StringComparison.Ordinal);
    }

    [Fact]
    public void Line_windows_overlap_and_carry_no_context()
    {
        var (graph, sources) = Build();
        var chunks = new LineWindowChunker(windowLines: 10, strideLines: 5).Chunk(graph, sources, [new ChunkSourceFile("auth/middleware.py", "python")]);

        Assert.Equal(["lines:auth/middleware.py:1-10", "lines:auth/middleware.py:6-15", "lines:auth/middleware.py:11-20", "lines:auth/middleware.py:16-23"],
            chunks.Select(c => c.Id));
        Assert.All(chunks, c => Assert.DoesNotContain("path:", c.EmbeddingText, StringComparison.Ordinal));
        Assert.All(chunks, c => Assert.Null(c.SymbolId));
    }

    [Fact]
    public void Display_text_keeps_a_bounded_slice_of_long_lines()
    {
        // One 15,000-character line (under the minified limit) and 3,000 ordinary lines: both cut, each cut marked.
        var longLine = "x = [" + string.Join(",", Enumerable.Range(0, 2_500).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
        var manyLines = string.Concat(Enumerable.Range(0, 3_000).Select(i => $"y{i} = {i}  # a line of ordinary length\n"));
        var sources = SourceTexts.FromMemory([new("long.py", longLine + "\n"), new("many.py", manyLines)]);
        var chunks = new LineWindowChunker(windowLines: 4_000, strideLines: 4_000).Chunk(
            new CodeGraphBuilder().Build(), sources, [new ChunkSourceFile("long.py", "python"), new ChunkSourceFile("many.py", "python")]);

        var longChunk = chunks.Single(c => c.Path == "long.py");
        Assert.True(longLine.Length > 10_000);
        Assert.True(longChunk.DisplayText.Length < 1_100, longChunk.DisplayText.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.EndsWith("more characters)", longChunk.DisplayText.TrimEnd(), StringComparison.Ordinal);

        var manyChunk = chunks.Single(c => c.Path == "many.py");
        Assert.True(manyChunk.DisplayText.Length <= 32_768 + 1_100);
        Assert.EndsWith("more lines)", manyChunk.DisplayText, StringComparison.Ordinal);
        Assert.StartsWith("y0 = 0", manyChunk.DisplayText, StringComparison.Ordinal);
    }

    [Fact]
    public void Docstrings_are_hidden_when_asked()
    {
        const string code = "def f(x):\n    \"\"\"Return x doubled.\n\n    Longer text.\n    \"\"\"\n    return 2 * x\n";
        Assert.Equal("def f(x):\n    return 2 * x\n", DocCommentFilter.Strip(code));
        Assert.Equal("int F() => 1;", DocCommentFilter.Strip("/// <summary>One.</summary>\nint F() => 1;"));
        Assert.Equal("function g() {}", DocCommentFilter.Strip("/**\n * Does g.\n */\nfunction g() {}"));
    }
}
