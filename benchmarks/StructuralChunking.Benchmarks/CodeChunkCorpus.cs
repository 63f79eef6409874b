using System.Globalization;
using System.Text;
using StructuralChunking.Chunking;
using StructuralChunking.Graph;

namespace StructuralChunking.Benchmarks;

/// <summary>
/// Deterministic code chunks for embedding benchmarks, cut the way an index cuts them: <see cref="LineWindowChunker"/>
/// over real C# (Newtonsoft.Json 6.0.8 under <c>$STRUCTCHUNK_CORPORA</c>), windows scaled to the token budget, each
/// truncated to the budget with the model's own tokenizer. Without the corpus, generated code-like files.
/// </summary>
/// <remarks>
/// Chunk lengths therefore vary as in a real index (dense windows fill the budget, sparse ones do not), which is
/// where length-sorted batching pays.
/// </remarks>
internal static class CodeChunkCorpus
{
    public const string CorporaVariable = "STRUCTCHUNK_CORPORA";

    private const string NewtonsoftFolder = "newtonsoft-json-6.0.8/Src/Newtonsoft.Json";

    /// <summary>The corpus the chunks came from, for reports.</summary>
    public static string Source() =>
        FindNewtonsoft() is { } folder ? folder : "generated code-like files (set " + CorporaVariable + " for real code)";

    /// <summary>The first <paramref name="count"/> chunks of at most <paramref name="tokenBudget"/> content tokens.</summary>
    public static string[] Chunks(int count, int tokenBudget, ITokenCounter counter)
    {
        // About eight tokens per line of C#: 64 → 8-line windows, 256 → 32, half-overlapping like the default 30/15.
        var windowLines = Math.Max(4, tokenBudget / 8);
        var chunker = new LineWindowChunker(windowLines, windowLines / 2, tokenBudget, splitIdentifiers: false, counter);
        var (sources, files) = Load();
        var chunks = chunker.Chunk(CodeGraph.Empty, sources, files);
        if (chunks.Count < count)
        {
            throw new InvalidOperationException($"The corpus gave only {chunks.Count} chunks; {count} are needed.");
        }

        var texts = new string[count];
        for (var i = 0; i < count; i++)
        {
            texts[i] = chunks[i].EmbeddingText;
        }

        return texts;
    }

    private static (SourceTexts Sources, List<ChunkSourceFile> Files) Load()
    {
        if (FindNewtonsoft() is { } folder)
        {
            var paths = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories);
            Array.Sort(paths, StringComparer.Ordinal);
            var files = paths.Select(path => new ChunkSourceFile(Path.GetRelativePath(folder, path), "csharp")).ToList();
            return (SourceTexts.FromDirectory(folder), files);
        }

        var generated = new Dictionary<string, string>(StringComparer.Ordinal);
        var random = new Random(20_241_125);
        for (var f = 0; f < 200; f++)
        {
            generated[string.Create(CultureInfo.InvariantCulture, $"Generated{f:D3}.cs")] = GeneratedFile(random);
        }

        return (SourceTexts.FromMemory(generated), generated.Keys.Select(path => new ChunkSourceFile(path, "csharp")).ToList());
    }

    private static string? FindNewtonsoft()
    {
        var corpora = Environment.GetEnvironmentVariable(CorporaVariable);
        if (string.IsNullOrEmpty(corpora))
        {
            return null;
        }

        var folder = Path.Combine(corpora, NewtonsoftFolder);
        return Directory.Exists(folder) ? folder : null;
    }

    private static string GeneratedFile(Random random)
    {
        string[] words = ["reader", "writer", "token", "value", "property", "contract", "converter", "settings", "serializer", "buffer", "index", "count", "name", "type", "cache", "options"];
        string[] types = ["JsonReader", "JsonWriter", "JsonToken", "object", "string", "int", "IList<object>", "JsonContract", "StringBuilder"];
        var builder = new StringBuilder("namespace Generated;\n\npublic sealed class Component\n{\n");
        var methods = random.Next(5, 20);
        for (var m = 0; m < methods; m++)
        {
            var a = words[random.Next(words.Length)];
            var b = words[random.Next(words.Length)];
            var type = types[random.Next(types.Length)];
            builder.Append(CultureInfo.InvariantCulture, $"    /// <summary>Reads the {a} of the {b}.</summary>\n");
            builder.Append(CultureInfo.InvariantCulture, $"    public {type} Get{Capitalize(a)}{Capitalize(b)}({type} {a}, int {b}{m})\n    {{\n");
            for (var s = random.Next(1, 12); s > 0; s--)
            {
                builder.Append(CultureInfo.InvariantCulture, $"        var {a}{s} = _{b}.Read{Capitalize(a)}({a}, {b}{m} + {s}) ?? default({type});\n");
            }

            builder.Append(CultureInfo.InvariantCulture, $"        return {a}1;\n    }}\n\n");
        }

        return builder.Append("}\n").ToString();
    }

    private static string Capitalize(string word) => string.Concat(char.ToUpperInvariant(word[0]).ToString(), word.AsSpan(1));
}
