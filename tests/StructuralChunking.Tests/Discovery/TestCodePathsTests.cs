using StructuralChunking.Chunking;
using StructuralChunking.Discovery;
using StructuralChunking.Graph;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Discovery;

public sealed class TestCodePathsTests
{
    [Theory]
    [InlineData("src/widget.test.ts")]
    [InlineData("lib/parser.spec.js")]
    [InlineData("src/__tests__/widget.tsx")]
    [InlineData("pkg/server/handler_test.go")]
    [InlineData("tests/test_sessions.py")]
    [InlineData("requests/test_utils.py")]
    [InlineData("conftest.py")]
    [InlineData("spec/models/user_spec.rb")]
    [InlineData("src/Shop.Tests/OrderServiceTests.cs")]
    [InlineData("src/main/java/OrderServiceTest.java")]
    [InlineData("query/tests/cacheLifecycle.test.ts")]
    public void Test_code_is_recognised_by_the_conventions_of_each_language(string path) => Assert.True(TestCodePaths.IsTest(path), path);

    [Theory]
    [InlineData("src/widget.ts")]
    [InlineData("lib/latest.js")]
    [InlineData("src/Contest.cs")]
    [InlineData("pkg/testdata_loader.go")]
    [InlineData("requests/sessions.py")]
    [InlineData("src/attestation/verify.py")]
    public void Production_code_is_not_test_code(string path) => Assert.False(TestCodePaths.IsTest(path), path);

    [Fact]
    public void File_level_code_of_a_test_file_is_marked_as_test_code()
    {
        using var folder = new TempDirectory();
        const string code = "import { widget } from './widget'\ndescribe('widget', () => {\n  test('renders', () => {\n    expect(widget()).toBe(1)\n  })\n})\n";
        folder.Write("src/widget.test.js", code);
        folder.Write("src/setup.js", "const config = load()\nregister(config)\nstart(config)\n");
        var chunks = new StructuralChunker().Chunk(CodeGraph.Empty, SourceTexts.FromDirectory(folder.Path),
            [new ChunkSourceFile("src/widget.test.js", "javascript"), new ChunkSourceFile("src/setup.js", "javascript")]);

        Assert.All(chunks.Where(c => c.Path == "src/widget.test.js"), c => Assert.Equal(SymbolTraits.Test, c.Traits));
        Assert.Contains(chunks, c => c.Path == "src/widget.test.js");
        Assert.All(chunks.Where(c => c.Path == "src/setup.js"), c => Assert.Equal(SymbolTraits.None, c.Traits));
        Assert.Contains(chunks, c => c.Path == "src/setup.js");
    }
}
