using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using StructuralChunking.Chunking;
using StructuralChunking.Models;
using StructuralChunking.Roslyn;
using StructuralChunking.Security;

namespace StructuralChunking.Benchmarks;

/// <summary>
/// The chunking stage of indexing on its own, with the default model's tokenizer as the token counter (as
/// <c>structchunk index</c> uses it): reading and masking the sources, chunking, and the redaction pass over every
/// chunk's texts, each in CPU seconds, repeated on one loaded graph; and a digest of every chunk (ids, spans, texts,
/// token counts) so that two builds can be shown to produce identical chunks.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project benchmarks/StructuralChunking.Benchmarks -- chunking-timing FOLDER [ROUNDS] [tiny-methods=N[,N…]]</c>.
/// The machine is shared: compare CPU seconds of builds measured alternately, not wall times of separate runs.
/// </remarks>
internal static class ChunkingStageTiming
{
    public static async Task<int> RunAsync(string folder, int rounds, IReadOnlyList<ChunkingOptions> optionSets)
    {
        using var model = MiniLMModel.Create();
        var counter = model.Tokenizer;
        var load = Stopwatch.StartNew();
        var loaded = await CSharpGraphLoader.LoadAsync(folder);
        var graph = loaded.Graph;
        var files = graph.Symbols.Where(s => s.Path is not null).Select(s => s.Path!).Distinct().Order(StringComparer.Ordinal)
            .Select(p => new ChunkSourceFile(p, "csharp")).ToList();
        Console.WriteLine($"loaded {files.Count} files, {graph.Symbols.Length} symbols in {load.Elapsed.TotalSeconds:F1} s");

        for (var round = 1; round <= rounds; round++)
        foreach (var options in optionSets)
        {
            var sources = SourceTexts.FromDirectory(loaded.RootDirectory);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var lines = 0L;
            foreach (var file in files)
            {
                lines += sources.Get(file.Path)?.LineCount ?? 0;
            }

            var read = Lap(ref cpu);
            var chunks = new StructuralChunker(options, counter).Chunk(graph, sources, files);
            var chunking = Lap(ref cpu);
            var found = 0;
            var redacted = new List<(string, string, string)>(chunks.Count);
            foreach (var chunk in chunks)
            {
                var embedding = SecretRedactor.Replace(chunk.EmbeddingText, out var a);
                var lexical = SecretRedactor.Replace(chunk.LexicalText, out var b);
                var display = SecretRedactor.Replace(chunk.DisplayText, out var c);
                found += a + b + c;
                redacted.Add((embedding, lexical, display));
            }

            var redaction = Lap(ref cpu);
            if (round == 1 && Environment.GetEnvironmentVariable("CHUNK_HISTOGRAM") is not null)
            {
                foreach (var group in chunks.GroupBy(c => (c.SymbolKind, c.Id.Contains("+members", StringComparison.Ordinal), Lines: Math.Min(c.EndLine - c.StartLine + 1, 12)))
                    .OrderBy(g => g.Key.SymbolKind).ThenBy(g => g.Key.Item2).ThenBy(g => g.Key.Lines))
                {
                    Console.WriteLine($"  {group.Key.SymbolKind}{(group.Key.Item2 ? " run" : "")} {group.Key.Lines} lines: {group.Count()}");
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}, tiny-methods={options.TinyMethodMaxLines}: {chunks.Count} chunks ({chunks.Count * 1000.0 / lines:F1} per 1k lines, {chunks.Sum(c => (long)c.TokenCount)} tokens); CPU s: reading+masking {read:F2}, chunking {chunking:F2}, redacting chunks {redaction:F2} ({found} found); digest {Digest(chunks, redacted)}"));
        }

        return 0;
    }

    private static double Lap(ref TimeSpan cpu)
    {
        var now = Process.GetCurrentProcess().TotalProcessorTime;
        var seconds = (now - cpu).TotalSeconds;
        cpu = now;
        return seconds;
    }

    private static string Digest(IReadOnlyList<CodeChunk> chunks, List<(string Embedding, string Lexical, string Display)> redacted)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var i = 0; i < chunks.Count; i++)
        {
            var c = chunks[i];
            var text = string.Join("\u0001", c.Id, c.SymbolId?.Value, c.SymbolName, c.SymbolKind, c.Location, c.PartIndex, c.PartCount, c.Traits,
                c.EmbeddingText, c.LexicalText, c.DisplayText, c.ContentHash, c.TokenCount, redacted[i].Embedding, redacted[i].Lexical, redacted[i].Display);
            hash.AppendData(Encoding.UTF8.GetBytes(text));
        }

        return Convert.ToHexString(hash.GetHashAndReset())[..16];
    }
}
