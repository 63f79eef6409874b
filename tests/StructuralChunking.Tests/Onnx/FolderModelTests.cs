using StructuralChunking.Embeddings;
using StructuralChunking.Onnx;

namespace StructuralChunking.Tests.Onnx;

/// <summary>
/// <see cref="OnnxEmbeddingGenerator.FromFolder"/> with hand-written tiny models whose outputs are known exactly
/// (token vector = id × [1, 2, 3, 4]), so padding, masking and pooling are checked to the bit.
/// </summary>
public sealed class FolderModelTests
{
    private const int A = 5;
    private const int B = 6;
    private const int C = 7;
    private const int S = 15;

    private static readonly OnnxEmbeddingOptions Raw = new() { Normalize = false, BatchSize = 4 };

    [Fact]
    public void MeanPooling_IgnoresPadding_WhateverTheBatch()
    {
        using var generator = OnnxEmbeddingGenerator.FromFolder(TinyOnnxModel.WriteFolder("tiny"), Raw);

        // "as" is a ##s: two tokens; batch sizes of 4 put short and long texts together.
        var vectors = generator.Embed(["a", "a b c a b c a b c", "as", "b", "c c"]);

        AssertClose(TinyOnnxModel.Mean(TinyOnnxModel.Cls, A, TinyOnnxModel.Sep), vectors[0]);
        AssertClose(TinyOnnxModel.Mean(TinyOnnxModel.Cls, A, B, C, A, B, C, A, B, C, TinyOnnxModel.Sep), vectors[1]);
        AssertClose(TinyOnnxModel.Mean(TinyOnnxModel.Cls, A, S, TinyOnnxModel.Sep), vectors[2]);
        AssertClose(TinyOnnxModel.Mean(TinyOnnxModel.Cls, B, TinyOnnxModel.Sep), vectors[3]);
        AssertClose(TinyOnnxModel.Mean(TinyOnnxModel.Cls, C, C, TinyOnnxModel.Sep), vectors[4]);
    }

    [Fact]
    public void ClsPooling_TakesTheFirstToken_AndNormalizes()
    {
        using var generator = OnnxEmbeddingGenerator.FromFolder(
            TinyOnnxModel.WriteFolder("tiny-cls"), new OnnxEmbeddingOptions { Pooling = EmbeddingPooling.Cls });

        var vector = generator.Embed("a b c");

        var norm = MathF.Sqrt(30);
        AssertClose([1 / norm, 2 / norm, 3 / norm, 4 / norm], vector);
    }

    [Fact]
    public void ModelsWithoutTokenTypeIds_OrMask_OrWithInt32Inputs_Work()
    {
        string[] texts = ["a", "a b c", "b c", "c"];
        float[][] expected = [.. texts.Select(t => TinyOnnxModel.Mean([TinyOnnxModel.Cls, .. t.Split(' ').Select(w => A + (w[0] - 'a')), TinyOnnxModel.Sep]))];

        foreach (var folder in new[]
        {
            TinyOnnxModel.WriteFolder("no-token-types", withTokenTypeIds: false),
            TinyOnnxModel.WriteFolder("all-three", withTokenTypeIds: true),
            TinyOnnxModel.WriteFolder("no-mask", withAttentionMask: false),
            TinyOnnxModel.WriteFolder("int32", withTokenTypeIds: true, int32Inputs: true),
        })
        {
            using var generator = OnnxEmbeddingGenerator.FromFolder(folder, Raw);
            var actual = generator.Embed(texts);
            for (var i = 0; i < texts.Length; i++)
            {
                AssertClose(expected[i], actual[i]);
            }
        }
    }

    [Fact]
    public void FolderId_SettingsFile_AndMaxTokens_AreHonoured()
    {
        var folder = TinyOnnxModel.WriteFolder("my-model");
        File.WriteAllText(Path.Combine(folder, OnnxEmbeddingOptions.SettingsFileName), """
            {
              // comments are allowed
              "pooling": "cls",
              "normalize": false,
              "maxTokens": 3,
              "queryPrefix": "query: ",
              "documentPrefix": "passage: ",
            }
            """);

        using var generator = OnnxEmbeddingModels.Create("onnx:" + folder);

        Assert.Equal(new EmbeddingProfile("onnx:my-model", TinyOnnxModel.Dimensions, "query: ", "passage: "), generator.Profile);
        Assert.Equal(3, generator.Options.MaxTokens);
        Assert.Equal(EmbeddingPooling.Cls, generator.Options.Pooling);
        Assert.Equal([TinyOnnxModel.Cls, A, TinyOnnxModel.Sep], generator.Tokenizer.EncodeForModel("a b c", generator.Options.MaxTokens));
        AssertClose([2f, 4f, 6f, 8f], generator.Embed("a b c"));
    }

    [Fact]
    public void ExplicitOptions_OverrideTheSettingsFile()
    {
        var folder = TinyOnnxModel.WriteFolder("overridden");
        File.WriteAllText(Path.Combine(folder, OnnxEmbeddingOptions.SettingsFileName), """{ "pooling": "cls" }""");

        using var generator = OnnxEmbeddingGenerator.FromFolder(folder, Raw with { ModelId = "custom" });

        Assert.Equal(EmbeddingPooling.Mean, generator.Options.Pooling);
        Assert.Equal("custom", generator.Profile.ModelId);
    }

    [Fact]
    public void BytePairModelFolder_IsTokenizedWithItsOwnSpecialAndPaddingTokens()
    {
        var folder = TinyOnnxModel.WriteFolder("bpe");
        File.Delete(Path.Combine(folder, "vocab.txt"));
        File.WriteAllText(Path.Combine(folder, "vocab.json"), """{ "<s>": 0, "<pad>": 1, "</s>": 2, "a": 5, "b": 6, "\u0120": 8, "ab": 9, "\u0120ab": 10 }""");
        File.WriteAllLines(Path.Combine(folder, "merges.txt"), ["#version: 0.2", "a b", "\u0120 ab"]);

        using var generator = OnnxEmbeddingGenerator.FromFolder(folder, Raw);

        Assert.IsType<ByteLevelBpeTokenizer>(generator.Tokenizer);
        Assert.Equal(1, generator.Tokenizer.PaddingTokenId);
        Assert.Equal([0, 9, 10, 2], generator.Tokenizer.EncodeForModel("ab ab", 16));
        var vectors = generator.Embed(["ab ab", "a"]);
        AssertClose(TinyOnnxModel.Mean(0, 9, 10, 2), vectors[0]);
        AssertClose(TinyOnnxModel.Mean(0, 5, 2), vectors[1]);
    }

    [Fact]
    public void InvalidSettingsFile_SaysWhatIsWrong()
    {
        var folder = TinyOnnxModel.WriteFolder("bad-settings");
        var settings = Path.Combine(folder, OnnxEmbeddingOptions.SettingsFileName);

        File.WriteAllText(settings, """{ "poolling": "cls" }""");
        var unknown = Assert.Throws<InvalidDataException>(() => OnnxEmbeddingGenerator.FromFolder(folder));
        Assert.Contains("poolling", unknown.Message, StringComparison.Ordinal);

        File.WriteAllText(settings, """{ "maxTokens": 1 }""");
        var range = Assert.Throws<InvalidDataException>(() => OnnxEmbeddingGenerator.FromFolder(folder));
        Assert.Contains("MaxTokens", range.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFolderOrFiles_AreNamedInTheError()
    {
        var missing = Path.Combine(Path.GetTempPath(), "structchunk-missing-" + Guid.NewGuid().ToString("N"));
        var noFolder = Assert.Throws<DirectoryNotFoundException>(() => OnnxEmbeddingGenerator.FromFolder(missing));
        Assert.Contains(missing, noFolder.Message, StringComparison.Ordinal);

        var folder = TinyOnnxModel.WriteFolder("files");
        File.Delete(Path.Combine(folder, "vocab.txt"));
        var noVocabulary = Assert.Throws<FileNotFoundException>(() => OnnxEmbeddingGenerator.FromFolder(folder));
        Assert.Contains("vocab.txt", noVocabulary.Message, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(folder, "vocab.json"), "{}");
        var halfBpe = Assert.Throws<FileNotFoundException>(() => OnnxEmbeddingGenerator.FromFolder(folder));
        Assert.Contains("merges.txt", halfBpe.Message, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(folder, "merges.txt"), "");
        var noStartToken = Assert.Throws<InvalidDataException>(() => OnnxEmbeddingGenerator.FromFolder(folder));
        Assert.Contains("<s>", noStartToken.Message, StringComparison.Ordinal);

        File.Delete(Path.Combine(folder, "model.onnx"));
        var noModel = Assert.Throws<FileNotFoundException>(() => OnnxEmbeddingGenerator.FromFolder(folder));
        Assert.Contains("model.onnx", noModel.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelWithAnUnknownInput_IsRefusedByName()
    {
        var folder = TinyOnnxModel.WriteFolder("odd-input", extraInput: "pixel_values");

        var error = Assert.Throws<InvalidOperationException>(() => OnnxEmbeddingGenerator.FromFolder(folder));

        Assert.Contains("pixel_values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelWithoutTheNamedOutput_ListsItsOutputs()
    {
        var folder = TinyOnnxModel.WriteFolder("odd-output");

        var error = Assert.Throws<InvalidOperationException>(() => OnnxEmbeddingGenerator.FromFolder(folder, new OnnxEmbeddingOptions { OutputName = "pooled" }));

        Assert.Contains("last_hidden_state", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidOptions_ReportEveryProblem()
    {
        var error = Assert.Throws<ArgumentException>(() => new OnnxEmbeddingOptions { BatchSize = 0, MaxTokens = 2, IntraOpThreads = 0, MaxBatchTokens = 0 }.Validate());

        Assert.Contains("BatchSize", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxTokens", error.Message, StringComparison.Ordinal);
        Assert.Contains("IntraOpThreads", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxBatchTokens", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TokenLimitedBatches_GiveTheSameVectors()
    {
        using var small = OnnxEmbeddingGenerator.FromFolder(TinyOnnxModel.WriteFolder("small-batches"), Raw with { MaxBatchTokens = 5 });
        using var large = OnnxEmbeddingGenerator.FromFolder(TinyOnnxModel.WriteFolder("large-batches"), Raw with { BatchSize = 64, MaxBatchTokens = 100_000 });
        string[] texts = ["a b c d e f g h i j", "a", "b c", "c d e", "j", "a b c d e f g h i j a b c d e f g h i j"];

        var expected = large.Embed(texts);
        var actual = small.Embed(texts);

        for (var i = 0; i < texts.Length; i++)
        {
            AssertClose(expected[i], actual[i]);
        }
    }

    // Pooling sums in a different order than the expected values are computed: equal to float precision.
    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-5f);
        }
    }
}
