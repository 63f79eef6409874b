using System.Globalization;
using System.Runtime.CompilerServices;

namespace StructuralChunking.Identifiers;

/// <summary>What a character (or surrogate pair) counts as when splitting identifiers into words.</summary>
internal enum CharClass : byte
{
    /// <summary>Neither a letter, a number nor a combining mark: ends the current word.</summary>
    Separator,

    /// <summary>Upper-case or title-case letter.</summary>
    Upper,

    /// <summary>Lower-case letter.</summary>
    Lower,

    /// <summary>A letter without case (CJK, Arabic, Hebrew, modifier letters).</summary>
    Caseless,

    /// <summary>Any Unicode number (decimal digits, letter numbers, other numbers).</summary>
    Digit,

    /// <summary>A combining mark: it belongs to the character before it.</summary>
    Mark,
}

/// <summary>Classifies characters for <see cref="IdentifierSplitter"/>.</summary>
internal static class CharClassifier
{
    /// <summary>Classifies the character at <paramref name="index"/>; <paramref name="width"/> is 2 for a surrogate pair.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CharClass Classify(ReadOnlySpan<char> text, int index, out int width)
    {
        var c = text[index];
        width = 1;
        if (char.IsAsciiLetterLower(c))
        {
            return CharClass.Lower;
        }

        if (char.IsAsciiLetterUpper(c))
        {
            return CharClass.Upper;
        }

        if (char.IsAsciiDigit(c))
        {
            return CharClass.Digit;
        }

        return char.IsAscii(c) ? CharClass.Separator : ClassifyNonAscii(text, index, out width);
    }

    private static CharClass ClassifyNonAscii(ReadOnlySpan<char> text, int index, out int width)
    {
        var c = text[index];
        UnicodeCategory category;
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            // Supplementary letters (Deseret, Adlam, math alphanumerics) carry case like any other letter.
            width = 2;
            category = CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, text[index + 1]));
        }
        else
        {
            width = 1;
            category = CharUnicodeInfo.GetUnicodeCategory(c);
        }

        return category switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.TitlecaseLetter => CharClass.Upper,
            UnicodeCategory.LowercaseLetter => CharClass.Lower,
            UnicodeCategory.OtherLetter or UnicodeCategory.ModifierLetter => CharClass.Caseless,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CharClass.Digit,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => CharClass.Mark,
            _ => CharClass.Separator,
        };
    }
}
