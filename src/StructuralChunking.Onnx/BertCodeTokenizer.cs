using System.Buffers;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using StructuralChunking.Chunking;

namespace StructuralChunking.Onnx;

/// <summary>
/// WordPiece tokenization for BERT-family embedding models (a <c>vocab.txt</c>), set up to match the reference BERT
/// tokenizer on source code, and an exact <see cref="ITokenCounter"/> for chunk budgets.
/// </summary>
/// <remarks>
/// <para>Built on <see cref="BertTokenizer"/> from Microsoft.ML.Tokenizers, whose defaults differ from reference BERT
/// exactly where code lives: they keep <c>_</c> inside words, drop <c>= + &lt; &gt; $ ~ ^ |</c>, and delete line breaks
/// and tabs so the words on either side merge. This type collapses every whitespace run to one space before the
/// tokenizer's normalizer sees it, and pre-tokenizes into runs of letters, digits and marks plus single other
/// characters, which is what reference BERT's basic tokenizer does.</para>
/// <para>Lower-casing models also strip accents (<c>café</c> → <c>cafe</c>), as reference uncased BERT does, with the
/// same result whether or not the host has ICU. Control and format characters (a byte-order mark, zero-width spaces)
/// are deleted, as reference BERT does. Literal special-token text such as <c>[CLS]</c> inside the input is tokenized
/// as ordinary text, never as a control token.</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed partial class BertCodeTokenizer : IModelTokenizer
{
    // Whole-text encodes look at no more than this many characters per wanted token: every WordPiece token covers at
    // most 100 characters (longer words become one [UNK]) plus one collapsed space, so the cut never touches a kept token.
    private const int MaxCharsPerToken = 256;

    // Stack buffers up to this size; larger texts rent from the pool.
    private const int StackCharLimit = 512;

    private readonly BertTokenizer _tokenizer;

    private BertCodeTokenizer(BertTokenizer tokenizer, bool lowerCase)
    {
        _tokenizer = tokenizer;
        LowerCase = lowerCase;
    }

    /// <summary>Whether text is lower-cased (and accents stripped) before WordPiece, as uncased models expect.</summary>
    public bool LowerCase { get; }

    /// <summary>Id of <c>[CLS]</c>, which starts every model input.</summary>
    public int ClassificationTokenId => _tokenizer.ClassificationTokenId;

    /// <summary>Id of <c>[SEP]</c>, which ends every model input.</summary>
    public int SeparatorTokenId => _tokenizer.SeparatorTokenId;

    /// <summary>Id of <c>[PAD]</c>.</summary>
    public int PaddingTokenId => _tokenizer.PaddingTokenId;

    /// <summary>Loads a WordPiece vocabulary (<c>vocab.txt</c>: one token a line, the line number is the id).</summary>
    /// <param name="vocabularyPath">Path of <c>vocab.txt</c>.</param>
    /// <param name="lowerCase">Lower-case and strip accents first (uncased models); <c>false</c> for cased models.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static BertCodeTokenizer FromVocabularyFile(string vocabularyPath, bool lowerCase = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(vocabularyPath);
        if (!File.Exists(vocabularyPath))
        {
            throw new FileNotFoundException($"WordPiece vocabulary not found: {vocabularyPath}", vocabularyPath);
        }

        using var stream = File.OpenRead(vocabularyPath);
        return FromVocabulary(stream, lowerCase);
    }

    /// <summary>Loads a WordPiece vocabulary from a stream (<c>vocab.txt</c> format).</summary>
    /// <param name="vocabulary">The vocabulary; read to its end, not disposed.</param>
    /// <param name="lowerCase">Lower-case and strip accents first (uncased models); <c>false</c> for cased models.</param>
    public static BertCodeTokenizer FromVocabulary(Stream vocabulary, bool lowerCase = true)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var options = new BertOptions
        {
            PreTokenizer = new RegexPreTokenizer(WordOrSymbol(), specialTokens: null),
            LowerCaseBeforeTokenization = lowerCase,

            // Accents are stripped in Prepare instead: the library's NFD needs ICU (see AccentFolding).
            RemoveNonSpacingMarks = false,
            ApplyBasicTokenization = true,
            IndividuallyTokenizeCjk = true,
        };
        return new BertCodeTokenizer(BertTokenizer.Create(vocabulary, options), lowerCase);
    }

    /// <inheritdoc />
    public int CountTokens(ReadOnlySpan<char> text)
    {
        char[]? rented = null;
        var buffer = text.Length <= StackCharLimit ? stackalloc char[text.Length] : (rented = ArrayPool<char>.Shared.Rent(text.Length));
        try
        {
            var length = Prepare(text, buffer);
            return length == 0 ? 0 : _tokenizer.CountTokens(buffer[..length], considerPreTokenization: true, considerNormalization: true);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Cuts at a token boundary: between words, or inside an ASCII word between two of its WordPiece tokens (inside a
    /// word with other characters, whose normalized form may differ in length, it cuts before the word).
    /// </remarks>
    public int GetIndexByTokenCount(ReadOnlySpan<char> text, int maxTokens, out int tokenCount)
    {
        if (maxTokens <= 0)
        {
            tokenCount = 0;
            return 0;
        }

        // Most calls ask whether a whole text fits: answer those with one tokenizer pass.
        var total = CountTokens(text);
        if (total <= maxTokens)
        {
            tokenCount = total;
            return text.Length;
        }

        // WordPiece never looks across pre-tokenizer words, so the count of a prefix is the sum over its words.
        var count = 0;
        var position = 0;
        while (position < text.Length)
        {
            var start = position;
            while (start < text.Length && char.IsWhiteSpace(text[start]))
            {
                start++;
            }

            if (start == text.Length)
            {
                break;
            }

            var end = NextWordEnd(text, start);
            var word = text[start..end];
            var wordTokens = _tokenizer.CountTokens(word, considerPreTokenization: true, considerNormalization: true);
            if (count + wordTokens > maxTokens)
            {
                tokenCount = count;
                return start + CutInsideWord(word, maxTokens - count, ref tokenCount);
            }

            count += wordTokens;
            position = end;
        }

        tokenCount = count;
        return position;
    }

    /// <summary>The content token ids of <paramref name="text"/> (no <c>[CLS]</c>/<c>[SEP]</c>).</summary>
    public IReadOnlyList<int> EncodeToIds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return EncodeContent(text.AsSpan(), int.MaxValue);
    }

    /// <summary>
    /// The model input for <paramref name="text"/>: <c>[CLS]</c>, the content tokens cut to
    /// <paramref name="maxTokens"/> − 2, <c>[SEP]</c>. Truncation is per token, like the reference tokenizer's, so a word
    /// may lose its last pieces.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="maxTokens">The most tokens in the result, specials included; at least 2.</param>
    public int[] EncodeForModel(string text, int maxTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 2);
        var content = EncodeContent(text.AsSpan(), maxTokens - 2);
        var length = Math.Min(content.Count, maxTokens - 2);
        var ids = new int[length + 2];
        ids[0] = ClassificationTokenId;
        for (var i = 0; i < length; i++)
        {
            ids[i + 1] = content[i];
        }

        ids[length + 1] = SeparatorTokenId;
        return ids;
    }

    private IReadOnlyList<int> EncodeContent(ReadOnlySpan<char> text, int maxContentTokens)
    {
        // Long texts are cut before encoding; see MaxCharsPerToken for why the cut is safe.
        var window = maxContentTokens >= int.MaxValue / MaxCharsPerToken ? text.Length : Math.Min(text.Length, maxContentTokens * MaxCharsPerToken);
        var rented = ArrayPool<char>.Shared.Rent(Math.Max(window, 1));
        try
        {
            var length = Prepare(text[..window], rented);
            if (length == 0)
            {
                return [];
            }

            // The library's encoder truncates at whole words; the full list is cut per token by the caller instead.
            return _tokenizer.EncodeToIds(rented.AsSpan(0, length), addSpecialTokens: false, considerPreTokenization: true, considerNormalization: true);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    // How many characters of one word (no whitespace inside) hold at most `budget` tokens; adds them to tokenCount.
    private int CutInsideWord(ReadOnlySpan<char> word, int budget, ref int tokenCount)
    {
        if (budget <= 0 || !System.Text.Ascii.IsValid(word))
        {
            return 0;
        }

        // For ASCII words normalization only changes case (control characters aside), so offsets map one to one.
        var tokens = _tokenizer.EncodeToTokens(word, out var normalized, considerPreTokenization: true, considerNormalization: true);
        if (normalized is not null && normalized.Length != word.Length)
        {
            return 0;
        }

        var cut = 0;
        for (var i = 0; i < budget && i < tokens.Count; i++)
        {
            cut = tokens[i].Offset.End.GetOffset(word.Length);
            tokenCount++;
        }

        return cut;
    }

    // End of the pre-tokenizer word starting at `start`: a run of letters, digits and marks, or one other character.
    // Characters the normalizer deletes (controls, U+FFFD) join whichever word they touch, as they vanish before splitting.
    private static int NextWordEnd(ReadOnlySpan<char> text, int start)
    {
        var i = start;
        while (i < text.Length && IsDeleted(text[i]))
        {
            i++;
        }

        if (i == text.Length)
        {
            return i;
        }

        if (!IsWordChar(text[i]))
        {
            i++;
            while (i < text.Length && IsDeleted(text[i]))
            {
                i++;
            }

            return i;
        }

        while (i < text.Length && (IsWordChar(text[i]) || IsDeleted(text[i])))
        {
            i++;
        }

        return i;
    }

    private static bool IsWordChar(char c) => char.GetUnicodeCategory(c) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
        _ => false,
    };

    private static bool IsDeleted(char c) =>
        c == '\uFFFD' || (char.IsControl(c) && !char.IsWhiteSpace(c)) || char.GetUnicodeCategory(c) == UnicodeCategory.Format;

    // Prepares text for the library's tokenizer; the result is never longer than the input.
    // Every whitespace run becomes one space: the library's BERT normalizer deletes \n, \r and \t instead of treating
    // them as separators, which would glue the last word of one line to the first of the next. Format characters go
    // (the library would make each an [UNK]); uncased models lose accents here, independent of ICU.
    private int Prepare(ReadOnlySpan<char> text, Span<char> destination)
    {
        var length = 0;
        var inSpace = false;
        foreach (var original in text)
        {
            var c = original;
            if (c < 0x80)
            {
                if (c is ' ' or '\t' or '\n' or '\r' or '\v' or '\f')
                {
                    if (!inSpace)
                    {
                        destination[length++] = ' ';
                        inSpace = true;
                    }

                    continue;
                }

                destination[length++] = c;
                inSpace = false;
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                if (!inSpace)
                {
                    destination[length++] = ' ';
                    inSpace = true;
                }

                continue;
            }

            var category = char.GetUnicodeCategory(c);
            if (category == UnicodeCategory.Format || (LowerCase && category == UnicodeCategory.NonSpacingMark))
            {
                continue;
            }

            destination[length++] = LowerCase ? AccentFolding.Fold(c) : c;
            inSpace = false;
        }

        return length;
    }

    [GeneratedRegex(@"[\p{L}\p{N}\p{M}]+|[^\s\p{L}\p{N}\p{M}]", RegexOptions.CultureInvariant)]
    private static partial Regex WordOrSymbol();
}
