using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace StructuralChunking.Onnx;

/// <summary>
/// Byte-level BPE tokenization for RoBERTa-style text encoders (CodeBERT, GraphCodeBERT, UniXcoder and other models
/// with a GPT-2-style <c>vocab.json</c> + <c>merges.txt</c>), with the model's start, end and padding tokens, and an
/// exact <see cref="Chunking.ITokenCounter"/> for chunk budgets.
/// </summary>
/// <remarks>
/// <para>Text is split with GPT-2's pre-tokenizer pattern (contractions, letter runs, digit runs, symbol runs and
/// whitespace, each with at most one leading space), turned into UTF-8 bytes and merged by rank, as the reference
/// tokenizer does. Nothing is lost: line breaks, indentation and every symbol are tokens, and no byte is unknown.</para>
/// <para>Literal special-token text such as <c>&lt;s&gt;</c> inside the input is tokenized as ordinary text, never as a
/// control token. Thread-safe.</para>
/// </remarks>
public sealed partial class ByteLevelBpeTokenizer : IModelTokenizer
{
    /// <summary>RoBERTa's start token.</summary>
    public const string DefaultStartToken = "<s>";

    /// <summary>RoBERTa's end token.</summary>
    public const string DefaultEndToken = "</s>";

    /// <summary>RoBERTa's padding token.</summary>
    public const string DefaultPaddingToken = "<pad>";

    private readonly BpeTokenizer _tokenizer;
    private readonly bool _addPrefixSpace;

    private ByteLevelBpeTokenizer(BpeTokenizer tokenizer, int startTokenId, int endTokenId, int paddingTokenId, bool addPrefixSpace)
    {
        _tokenizer = tokenizer;
        StartTokenId = startTokenId;
        EndTokenId = endTokenId;
        PaddingTokenId = paddingTokenId;
        _addPrefixSpace = addPrefixSpace;
    }

    /// <summary>Id of the token that starts every model input (<c>&lt;s&gt;</c> in RoBERTa).</summary>
    public int StartTokenId { get; }

    /// <summary>Id of the token that ends every model input (<c>&lt;/s&gt;</c> in RoBERTa).</summary>
    public int EndTokenId { get; }

    /// <inheritdoc />
    public int PaddingTokenId { get; }

    /// <summary>Loads a vocabulary (<c>vocab.json</c>: token → id) and its merges (<c>merges.txt</c>: one pair a line).</summary>
    /// <param name="vocabularyPath">Path of <c>vocab.json</c>.</param>
    /// <param name="mergesPath">Path of <c>merges.txt</c>; a first line starting with <c>#version</c> is skipped.</param>
    /// <param name="startToken">The start token; it must be in the vocabulary.</param>
    /// <param name="endToken">The end token; it must be in the vocabulary.</param>
    /// <param name="paddingToken">The padding token; when the vocabulary lacks it, the end token pads.</param>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, or the vocabulary lacks a special token.</exception>
    public static ByteLevelBpeTokenizer FromFiles(
        string vocabularyPath,
        string mergesPath,
        string startToken = DefaultStartToken,
        string endToken = DefaultEndToken,
        string paddingToken = DefaultPaddingToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(vocabularyPath);
        ArgumentException.ThrowIfNullOrEmpty(mergesPath);
        foreach (var path in (ReadOnlySpan<string>)[vocabularyPath, mergesPath])
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"BPE tokenizer file not found: {path}", path);
            }
        }

        Dictionary<string, int> vocabulary;
        try
        {
            using var stream = File.OpenRead(vocabularyPath);
            vocabulary = JsonSerializer.Deserialize<Dictionary<string, int>>(stream)
                ?? throw new InvalidDataException($"{vocabularyPath} holds null instead of a token → id object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{vocabularyPath} is not a BPE vocabulary (a JSON object of token → id): {e.Message}", e);
        }

        var merges = new List<string>();
        foreach (var line in File.ReadLines(mergesPath))
        {
            if (line.Length == 0 || (merges.Count == 0 && line.StartsWith("#version", StringComparison.Ordinal)))
            {
                continue;
            }

            if (line.Split(' ').Length != 2)
            {
                throw new InvalidDataException($"{mergesPath} line '{line}' is not a merge (two tokens separated by one space).");
            }

            merges.Add(line);
        }

        return Create(vocabulary, merges, startToken, endToken, paddingToken, addPrefixSpace: false, source: vocabularyPath);
    }

    /// <summary>Creates a tokenizer from a vocabulary and merges already in memory.</summary>
    /// <param name="vocabulary">Token → id, tokens in byte-level form (a leading space is <c>Ġ</c>).</param>
    /// <param name="merges">Merges by rank, each two tokens separated by one space.</param>
    /// <param name="startToken">The start token; it must be in the vocabulary.</param>
    /// <param name="endToken">The end token; it must be in the vocabulary.</param>
    /// <param name="paddingToken">The padding token; when the vocabulary lacks it, the end token pads.</param>
    /// <param name="addPrefixSpace">Put a space before text that does not start with one (some models' convention).</param>
    /// <exception cref="InvalidDataException">The vocabulary lacks the start or end token.</exception>
    public static ByteLevelBpeTokenizer Create(
        IReadOnlyDictionary<string, int> vocabulary,
        IEnumerable<string> merges,
        string startToken = DefaultStartToken,
        string endToken = DefaultEndToken,
        string paddingToken = DefaultPaddingToken,
        bool addPrefixSpace = false) =>
        Create(vocabulary, merges, startToken, endToken, paddingToken, addPrefixSpace, source: "the vocabulary");

    /// <inheritdoc />
    public int CountTokens(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return 0;
        }

        return _addPrefixSpace && text[0] != ' '
            ? _tokenizer.CountTokens(string.Concat(" ", text))
            : _tokenizer.CountTokens(text);
    }

    /// <inheritdoc />
    public int GetIndexByTokenCount(ReadOnlySpan<char> text, int maxTokens, out int tokenCount)
    {
        if (maxTokens <= 0 || text.IsEmpty)
        {
            tokenCount = 0;
            return 0;
        }

        // No normalizer runs, so an index into the encoded text is an index into the input (less the added space).
        if (_addPrefixSpace && text[0] != ' ')
        {
            var index = _tokenizer.GetIndexByTokenCount(string.Concat(" ", text), maxTokens, out _, out tokenCount);
            return Math.Max(0, index - 1);
        }

        return _tokenizer.GetIndexByTokenCount(text, maxTokens, out _, out tokenCount);
    }

    /// <inheritdoc />
    public IReadOnlyList<int> EncodeToIds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length == 0 ? [] : _tokenizer.EncodeToIds(WithPrefixSpace(text));
    }

    /// <inheritdoc />
    public int[] EncodeForModel(string text, int maxTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 2);
        IReadOnlyList<int> content = text.Length == 0 || maxTokens == 2
            ? []
            : _tokenizer.EncodeToIds(WithPrefixSpace(text), maxTokens - 2, out _, out _);
        var ids = new int[content.Count + 2];
        ids[0] = StartTokenId;
        for (var i = 0; i < content.Count; i++)
        {
            ids[i + 1] = content[i];
        }

        ids[^1] = EndTokenId;
        return ids;
    }

    internal static ByteLevelBpeTokenizer Create(
        IReadOnlyDictionary<string, int> vocabulary,
        IEnumerable<string> merges,
        string startToken,
        string endToken,
        string paddingToken,
        bool addPrefixSpace,
        string source)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(merges);
        ArgumentException.ThrowIfNullOrEmpty(startToken);
        ArgumentException.ThrowIfNullOrEmpty(endToken);
        ArgumentNullException.ThrowIfNull(paddingToken);
        var start = SpecialId(vocabulary, startToken, "start", source);
        var end = SpecialId(vocabulary, endToken, "end", source);
        var padding = vocabulary.TryGetValue(paddingToken, out var id) ? id : end;

        var options = new BpeOptions(vocabulary)
        {
            Merges = merges,
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(Gpt2Pattern(), specialTokens: null),
        };
        return new ByteLevelBpeTokenizer(BpeTokenizer.Create(options), start, end, padding, addPrefixSpace);
    }

    private static int SpecialId(IReadOnlyDictionary<string, int> vocabulary, string token, string role, string source) =>
        vocabulary.TryGetValue(token, out var id)
            ? id
            : throw new InvalidDataException($"{source} has no {role} token '{token}'; name the model's {role} token.");

    private string WithPrefixSpace(string text) => _addPrefixSpace && text[0] != ' ' ? " " + text : text;

    // GPT-2's pre-tokenizer, which byte-level BPE vocabularies were trained with.
    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Gpt2Pattern();
}
