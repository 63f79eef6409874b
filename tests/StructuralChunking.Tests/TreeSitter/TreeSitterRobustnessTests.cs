using System.Diagnostics;
using System.Text;
using StructuralChunking.Discovery;
using StructuralChunking.Graph;
using StructuralChunking.Tests.Support;
using StructuralChunking.TreeSitter;
using StructuralChunking.TreeSitter.Internal;

namespace StructuralChunking.Tests.TreeSitter;

// Its hostile-input test has a time bound: it runs with the fuzz runs, alone, not beside the heavy loader tests.
[Collection(Reliability.FuzzRuns.Name)]
public sealed class TreeSitterRobustnessTests
{
    [Fact]
    public void Self_check_loads_every_grammar_and_query()
    {
        var check = TreeSitterLanguages.Check();
        Assert.True(check.IsHealthy, string.Join("\n", check.Problems));
        Assert.Equal(12, check.Languages.Length);
        foreach (var language in check.Languages)
        {
            Assert.InRange(language.AbiVersion, TreeSitterLanguages.MinimumAbiVersion, TreeSitterLanguages.MaximumAbiVersion);
            Assert.True(language.QueryPatternCount > 0, language.Language);
            Assert.StartsWith("tree_sitter_", language.ExportSymbol, StringComparison.Ordinal);
            Assert.Empty(language.IgnoredPredicates);
        }

        Assert.Equal("0.25.0", check.Languages.Single(l => l.Language == "python").PackageVersion);
        Assert.Equal("tree-sitter-typescript", check.Languages.Single(l => l.Language == "tsx").Package);
    }

    /// <summary>Every grammar gets 1,000+ hostile inputs: random bytes, truncated real files, deep nesting.</summary>
    [Fact]
    public void Every_grammar_survives_hostile_input_quickly()
    {
        var random = new Random(20261125);
        var samples = Directory.GetFiles(RepositoryPaths.Fixture(""), "*", SearchOption.AllDirectories)
            .Where(f => LanguageIds.FromPath(f) is not null)
            .GroupBy(f => LanguageIds.FromPath(f)!)
            .ToDictionary(g => g.Key, g => g.Select(File.ReadAllBytes).ToList());
        var stopwatch = Stopwatch.StartNew();
        using var worker = new SyntaxWorker(4096);
        var extractor = new FileExtractor();
        var total = 0;
        foreach (var language in TreeSitterLanguages.SupportedLanguages)
        {
            var grammar = TreeSitterLanguages.Get(language, out var error);
            Assert.True(grammar is not null, error);
            var real = samples.GetValueOrDefault(language) ?? samples["javascript"];
            for (var i = 0; i < 1000; i++)
            {
                var input = (i % 4) switch
                {
                    0 => RandomBytes(random, random.Next(0, 400)),
                    1 => Truncate(random, real[random.Next(real.Count)]),
                    2 => Nested(random, random.Next(1, 300)),
                    _ => Mutate(random, real[random.Next(real.Count)]),
                };
                worker.Begin(TimeSpan.FromSeconds(2), CancellationToken.None);
                using var tree = worker.Parse(grammar!, input);
                Assert.NotNull(tree);
                var file = new SourceFile("/x/" + i, "fuzz/" + i + ".txt", language, input.Length, SourceEncoding.Utf8);
                var syntax = extractor.Extract(worker, grammar!, file, input, tree!);
                Assert.All(syntax.Definitions, d => Assert.True(d.Location.StartLine >= 1 && d.Location.EndLine >= d.Location.StartLine));
                total++;
            }
        }

        Assert.Equal(12_000, total);
        // A hang guard only (each parse is also bounded to 2 s above); speed is measured by the benchmarks. Generous,
        // because CI machines are shared and 12,000 parses on two busy cores have taken over 30 s.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromMinutes(5), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task A_parse_over_its_time_budget_is_skipped_with_a_reason()
    {
        using var temp = new TempDirectory();
        temp.Write("ok.py", "def f():\n    return 1\n");
        var deep = new StringBuilder();
        for (var i = 0; i < 200_000; i++)
        {
            deep.Append("f(\n");
        }

        temp.Write("deep.py", deep.ToString());
        var result = await TreeSitterGraphLoader.LoadAsync(temp.Path, new TreeSitterGraphOptions { FileTimeout = TimeSpan.FromMilliseconds(1) });
        var skipped = Assert.Single(result.SkippedFiles, s => s.RelativePath == "deep.py");
        Assert.Equal(SkipReason.Unparsable, skipped.Reason);
        Assert.Contains("within", skipped.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Large_binary_and_broken_files_are_skipped_not_fatal()
    {
        using var temp = new TempDirectory();
        temp.Write("good.js", "function ok() { return broken(; }\nfunction fine() { ok(); }\n");
        temp.WriteBytes("binary.py", [0x64, 0x65, 0x66, 0x00, 0x01]);
        temp.WriteBytes("latin1.rb", [0x23, 0x20, 0xE9, 0x0A]);
        temp.Write("big.go", new string('x', 3000));
        var result = await TreeSitterGraphLoader.LoadAsync(temp.Path, new TreeSitterGraphOptions { MaxFileBytes = 2048 });
        Assert.Equal(1, result.DocumentCount);
        Assert.Contains(result.SkippedFiles, s => s.RelativePath == "binary.py" && s.Reason == SkipReason.Binary);
        Assert.Contains(result.SkippedFiles, s => s.RelativePath == "latin1.rb" && s.Reason == SkipReason.NotUtf8);
        Assert.Contains(result.SkippedFiles, s => s.RelativePath == "big.go" && s.Reason == SkipReason.TooLarge);
        Assert.Contains(result.Diagnostics, d => d.Path == "good.js" && d.Severity == GraphLoadSeverity.Warning);
        result.Graph.AssertEdge("good.fine", "good.ok");
    }

    [Fact]
    public async Task Cancellation_stops_the_load()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            TreeSitterGraphLoader.LoadAsync(RepositoryPaths.Fixture("python"), cancellationToken: cancelled.Token));
    }

    [Fact]
    public void Invalid_options_are_reported_together()
    {
        var error = Assert.Throws<ArgumentException>(() => new TreeSitterGraphOptions
        {
            Languages = new HashSet<string> { "cobol" },
            AmbiguousCallLimit = 0,
        }.Validate());
        Assert.Contains("cobol", error.Message, StringComparison.Ordinal);
        Assert.Contains("AmbiguousCallLimit", error.Message, StringComparison.Ordinal);
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Truncate(Random random, byte[] source) => source[..random.Next(0, source.Length + 1)];

    private static byte[] Mutate(Random random, byte[] source)
    {
        var copy = (byte[])source.Clone();
        for (var i = 0; i < 8 && copy.Length > 0; i++)
        {
            const string Noise = "{}()[]<>\"'`;:#/\\\n";
            copy[random.Next(copy.Length)] = (byte)Noise[random.Next(Noise.Length)];
        }

        return copy;
    }

    private static byte[] Nested(Random random, int depth)
    {
        var open = "([{<"[random.Next(4)];
        var text = new StringBuilder(depth * 2);
        text.Append(open, depth);
        if (random.Next(2) == 0)
        {
            text.Append(open switch { '(' => ')', '[' => ']', '{' => '}', _ => '>' }, depth);
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
