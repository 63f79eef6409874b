using StructuralChunking.Chunking;
using StructuralChunking.Onnx;

namespace StructuralChunking.Tests.Onnx;

/// <summary>
/// Tokenization against reference BERT (uncased) on code. Expected ids were produced by applying the reference basic
/// tokenizer (lower-case, strip accents, split on whitespace and punctuation) and greedy longest-match WordPiece to the
/// bundled all-MiniLM-L6-v2 vocab.txt, where a token's id is its line number minus one; several were checked by hand
/// (<c>def</c> line 13367 → 13366, <c>_</c> 1035, <c>admin</c> absent so <c>ad</c> 4748 + <c>##min</c> 10020,
/// <c>=</c> 1027, <c>+</c> 1009, <c>bar</c> 3347 rather than <c>##bar</c> 8237).
/// </summary>
public sealed class BertCodeTokenizerTests
{
    private static readonly Lazy<BertCodeTokenizer> MiniLm = new(() =>
        BertCodeTokenizer.FromVocabularyFile(Path.Combine(AppContext.BaseDirectory, "models", "minilm", "vocab.txt")));

    private static BertCodeTokenizer Tokenizer => MiniLm.Value;

    [Theory]
    [InlineData("def use_admin_jwt_validation_middleware(request, next)", new[] { 13366, 2224, 1035, 4748, 10020, 1035, 1046, 26677, 1035, 27354, 1035, 2690, 8059, 1006, 5227, 1010, 2279, 1007 })]
    [InlineData("a = b + c", new[] { 1037, 1027, 1038, 1009, 1039 })]
    [InlineData("foo\nbar", new[] { 29379, 3347 })]
    [InlineData("if (x <= y && y >= z) { return $a ~ b ^ c | d; }", new[] { 2065, 1006, 1060, 1026, 1027, 1061, 1004, 1004, 1061, 1028, 1027, 1062, 1007, 1063, 2709, 1002, 1037, 1066, 1038, 1034, 1039, 1064, 1040, 1025, 1065 })]
    [InlineData("public static string ToString(object value) => value?.ToString() ?? string.Empty;", new[] { 2270, 10763, 5164, 2000, 3367, 4892, 1006, 4874, 3643, 1007, 1027, 1028, 3643, 1029, 1012, 2000, 3367, 4892, 1006, 1007, 1029, 1029, 5164, 1012, 4064, 1025 })]
    [InlineData("self._cache[key] = value  # LRU\n\treturn None", new[] { 2969, 1012, 1035, 17053, 1031, 3145, 1033, 1027, 3643, 1001, 1048, 6820, 2709, 3904 })]
    [InlineData("Héllo Wörld naïve café", new[] { 7592, 2088, 15743, 7668 })]
    [InlineData("const url = `https://api.example.com/v2/users/${id}`;", new[] { 9530, 3367, 24471, 2140, 1027, 1036, 16770, 1024, 1013, 1013, 17928, 1012, 2742, 1012, 4012, 1013, 1058, 2475, 1013, 5198, 1013, 1002, 1063, 8909, 1065, 1036, 1025 })]
    [InlineData("HTTPClient.GetAsync(new Uri(\"http://x\"))", new[] { 8299, 20464, 11638, 1012, 2131, 3022, 6038, 2278, 1006, 2047, 24471, 2072, 1006, 1000, 8299, 1024, 1013, 1013, 1060, 1000, 1007, 1007 })]
    [InlineData("find the middleware that validates JWT tokens", new[] { 2424, 1996, 2690, 8059, 2008, 9398, 8520, 1046, 26677, 19204, 2015 })]
    public void EncodeToIds_MatchesReferenceBertOnCode(string text, int[] expected)
    {
        Assert.Equal(expected, Tokenizer.EncodeToIds(text));
        Assert.Equal(expected.Length, Tokenizer.CountTokens(text));
    }

    [Fact]
    public void LineBreaksAndTabs_SeparateWordsLikeSpaces()
    {
        Assert.Equal(Tokenizer.EncodeToIds("return x;\n}\nvoid Next() {"), Tokenizer.EncodeToIds("return x; } void Next() {"));
        Assert.Equal(Tokenizer.EncodeToIds("a\tb\r\nc"), Tokenizer.EncodeToIds("a b c"));
    }

    [Fact]
    public void EncodeForModel_WrapsInClsAndSep_AndTruncatesPerToken()
    {
        // "shouldwriteproperty" is should ##write ##pro ##per ##ty: truncation may stop inside it, as reference BERT does.
        var ids = Tokenizer.EncodeForModel("shouldwriteproperty alpha", maxTokens: 4);

        Assert.Equal([Tokenizer.ClassificationTokenId, 2323, 26373, Tokenizer.SeparatorTokenId], ids);
        Assert.Equal([101, 102], Tokenizer.EncodeForModel("  \n ", maxTokens: 8));
    }

    [Fact]
    public void CountTokens_ExcludesSpecialTokens_AndIsZeroForWhitespace()
    {
        Assert.Equal(0, Tokenizer.CountTokens(""));
        Assert.Equal(0, Tokenizer.CountTokens(" \n\t "));
        Assert.Equal(3, Tokenizer.CountTokens("a = b"));
    }

    [Theory]
    [InlineData("public static string ToString(object value) => value?.ToString() ?? string.Empty;")]
    [InlineData("def use_admin_jwt_validation_middleware(request, next):\n    return shouldwriteproperty(request)\n")]
    [InlineData("   leading and trailing spaces   ")]
    public void GetIndexByTokenCount_CutsAtEveryBudgetExactly_OnAsciiCode(string text)
    {
        var total = Tokenizer.CountTokens(text);
        for (var budget = 0; budget <= total + 1; budget++)
        {
            var index = Tokenizer.GetIndexByTokenCount(text, budget, out var count);

            // ASCII words can be cut between any two of their tokens, so the budget is always filled.
            Assert.Equal(Math.Min(budget, total), count);
            Assert.Equal(count, Tokenizer.CountTokens(text.AsSpan(0, index)));
            Assert.Equal(Tokenizer.EncodeToIds(text).Take(count), Tokenizer.EncodeToIds(text[..index]));
        }
    }

    [Fact]
    public void GetIndexByTokenCount_CutsBeforeANonAsciiWordThatDoesNotFit()
    {
        const string text = "café naïveté";
        var index = Tokenizer.GetIndexByTokenCount(text, 1, out var count);

        Assert.Equal(1, count);
        Assert.Equal("café", text[..index].TrimEnd());
        Assert.True(Tokenizer.CountTokens(text) > 1);
    }

    [Fact]
    public void ControlCharacters_VanishWithoutSplittingWords_InCountsAndCuts()
    {
        // The normalizer deletes control characters, so "a\u0001b" is the single word "ab".
        Assert.Equal(Tokenizer.CountTokens("ab ab"), Tokenizer.CountTokens("a\u0001b ab"));
        var index = Tokenizer.GetIndexByTokenCount("a\u0001b ab cd", 2, out var count);
        Assert.Equal(2, count);
        Assert.Equal("a\u0001b ab", "a\u0001b ab cd"[..index].TrimEnd());
    }

    [Fact]
    public void ServesAsTheChunkersTokenCounter()
    {
        var text = string.Join('\n', Enumerable.Range(0, 40).Select(i => $"var value{i} = Compute(input{i}, options);"));

        var cut = ChunkText.Truncate(text, 50, Tokenizer);

        Assert.InRange(Tokenizer.CountTokens(cut), 45, 50);
    }

    [Fact]
    public void FormatCharacters_AndCombiningAccents_VanishLikeInReferenceBert()
    {
        // A byte-order mark starts many C# files; reference BERT deletes it, and decomposed accents too.
        Assert.Equal(Tokenizer.EncodeToIds("using System;"), Tokenizer.EncodeToIds("\uFEFFusing System;"));
        Assert.Equal(Tokenizer.EncodeToIds("ab"), Tokenizer.EncodeToIds("a\u200Bb"));
        Assert.Equal(Tokenizer.EncodeToIds("cafe"), Tokenizer.EncodeToIds("cafe\u0301"));
        Assert.Equal(Tokenizer.EncodeToIds("и"), Tokenizer.EncodeToIds("й"));
    }

    [Fact]
    public void CasedTokenizer_KeepsCase()
    {
        var cased = BertCodeTokenizer.FromVocabularyFile(Path.Combine(AppContext.BaseDirectory, "models", "minilm", "vocab.txt"), lowerCase: false);

        // The vocabulary is uncased, so a capitalised word is unknown once case is kept.
        Assert.Equal([100], cased.EncodeToIds("Hello"));
        Assert.Equal([7592], Tokenizer.EncodeToIds("Hello"));
    }

    [Fact]
    public void MissingVocabulary_NamesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), "structchunk-no-such-folder", "vocab.txt");

        var error = Assert.Throws<FileNotFoundException>(() => BertCodeTokenizer.FromVocabularyFile(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
