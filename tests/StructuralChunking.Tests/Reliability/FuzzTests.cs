using System.Diagnostics;
using System.Globalization;
using StructuralChunking.Chunking;
using StructuralChunking.Discovery;
using StructuralChunking.Graph;
using StructuralChunking.Roslyn;
using StructuralChunking.Tests.Support;
using StructuralChunking.TreeSitter;
using Xunit.Abstractions;

namespace StructuralChunking.Tests.Reliability;

/// <summary>
/// The whole pipeline (discovery, front end, chunker) over <see cref="HostileInputs.Count"/> hostile files per language:
/// nothing may throw, every input is either a document or skipped with a reason, and no chunk stores unbounded text.
/// Set <c>STRUCTCHUNK_FUZZ_INPUTS</c> (for example 20000) for a longer run; figures go to docs/RELIABILITY.md.
/// </summary>
[Collection(FuzzRuns.Name)]
public sealed class FuzzTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> Extensions = new(StringComparer.Ordinal)
    {
        [LanguageIds.Python] = ".py", [LanguageIds.JavaScript] = ".js", [LanguageIds.TypeScript] = ".ts", [LanguageIds.Tsx] = ".tsx",
        [LanguageIds.Go] = ".go", [LanguageIds.Java] = ".java", [LanguageIds.Rust] = ".rs", [LanguageIds.C] = ".c",
        [LanguageIds.Cpp] = ".cpp", [LanguageIds.Ruby] = ".rb", [LanguageIds.Php] = ".php", [LanguageIds.CSharp] = ".cs",
    };

    public static TheoryData<string> TreeSitterLanguages() => [.. TreeSitterGraphOptions.DefaultLanguages.Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(TreeSitterLanguages))]
    public async Task Tree_sitter_front_end_survives_hostile_files(string language)
    {
        using var folder = WriteInputs(language, out var count);
        var stopwatch = Stopwatch.StartNew();
        var result = await TreeSitterGraphLoader.LoadAsync(folder.Path, new TreeSitterGraphOptions
        {
            Languages = new HashSet<string>(StringComparer.Ordinal) { language },
            FileTimeout = TimeSpan.FromSeconds(2),
        });

        var chunks = Chunk(folder.Path, result.Graph, language);
        Report(language, count, result.DocumentCount, result.SkippedFiles, chunks, stopwatch.Elapsed);
        Assert.Equal(count, result.DocumentCount + result.SkippedFiles.Count(s => !s.IsDirectory));
    }

    [Fact]
    public async Task CSharp_front_end_survives_hostile_files()
    {
        using var folder = WriteInputs(LanguageIds.CSharp, out var count);
        var stopwatch = Stopwatch.StartNew();
        var result = await CSharpGraphLoader.LoadAsync(folder.Path, new CSharpGraphOptions { DocumentTimeout = TimeSpan.FromSeconds(10) });

        var chunks = Chunk(folder.Path, result.Graph, LanguageIds.CSharp);
        Report(LanguageIds.CSharp, count, result.DocumentCount, result.SkippedFiles, chunks, stopwatch.Elapsed);
        Assert.Equal(count, result.DocumentCount + result.SkippedFiles.Count(s => !s.IsDirectory));
    }

    private static TempDirectory WriteInputs(string language, out int count)
    {
        count = HostileInputs.Count;
        var folder = new TempDirectory();
        var random = new Random(20261202 + language.GetHashCode(StringComparison.Ordinal) % 1000);
        var samples = HostileInputs.Samples(language);
        for (var i = 0; i < count; i++)
        {
            folder.WriteBytes(string.Create(CultureInfo.InvariantCulture, $"f{i / 100}/input{i}{Extensions[language]}"), HostileInputs.Make(random, i, samples));
        }

        return folder;
    }

    private static IReadOnlyList<CodeChunk> Chunk(string root, CodeGraph graph, string language)
    {
        var files = graph.Symbols.Where(s => s.Path is not null && !s.IsExternal).Select(s => s.Path!).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal).Select(p => new ChunkSourceFile(p, language)).ToList();
        var chunks = new StructuralChunker().Chunk(graph, SourceTexts.FromDirectory(root), files);
        foreach (var chunk in chunks)
        {
            // Each displayed line is cut at 1,000 characters plus a short note; the whole near 32 KiB plus one line.
            Assert.True(chunk.DisplayText.Length <= 32_768 + 1_100, $"{chunk.Path}: display text of {chunk.DisplayText.Length} characters");
            Assert.True(chunk.EmbeddingText.Length <= 64_000, $"{chunk.Path}: embedding text of {chunk.EmbeddingText.Length} characters");
        }

        return chunks;
    }

    private void Report(string language, int count, int documents, IEnumerable<SkippedPath> skipped, IReadOnlyList<CodeChunk> chunks, TimeSpan elapsed)
    {
        var reasons = skipped.Where(s => !s.IsDirectory).GroupBy(s => s.Reason).OrderBy(g => g.Key)
            .Select(g => $"{g.Count()} {g.Key}");
        var timeouts = skipped.Count(s => s.Detail.Contains("within", StringComparison.Ordinal));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"FUZZ {language}: {count} inputs, {documents} parsed, skipped: {string.Join(", ", reasons)}; {timeouts} time-limited; {chunks.Count} chunks; 0 crashes; {elapsed.TotalSeconds:F1} s"));
    }
}

/// <summary>The fuzz runs use every core: alone, they neither slow other tests down nor are slowed by them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzRuns
{
    public const string Name = "Fuzz";
}
