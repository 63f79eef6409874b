using System.Security.Cryptography;
using System.Text;

namespace StructuralChunking.Graph;

/// <summary>
/// The identity of a <see cref="CodeSymbol"/>: 16 lower-case hex digits derived from the language, the qualified
/// name and the signature, so the same declaration gets the same id on every run and on every machine.
/// </summary>
/// <remarks>
/// Ids are content-derived rather than counters so that an index built yesterday can be updated today: a symbol
/// keeps its id while its name and signature stay the same, wherever it moves in its file. Overloads differ by
/// signature, so front ends must pass a signature that tells overloads apart.
/// </remarks>
public readonly record struct SymbolId : IComparable<SymbolId>
{
    private const int HexLength = 16;

    private readonly string? _value;

    private SymbolId(string value) => _value = value;

    /// <summary>The id as 16 lower-case hex digits; empty for <c>default</c>.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>True for <c>default(SymbolId)</c>, which names no symbol.</summary>
    public bool IsEmpty => string.IsNullOrEmpty(Value);

    /// <summary>Derives the id of a declaration.</summary>
    /// <param name="language">Language id, for example <c>csharp</c> (see <see cref="Discovery.LanguageIds"/>).</param>
    /// <param name="qualifiedName">Fully qualified name, for example <c>Shop.Orders.OrderService.PlaceOrder</c>.</param>
    /// <param name="signature">Text that tells overloads apart, for example <c>(Order, CancellationToken)</c>; may be empty.</param>
    public static SymbolId Create(string language, string qualifiedName, string? signature = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(language);
        ArgumentException.ThrowIfNullOrEmpty(qualifiedName);

        // A unit separator keeps ("a", "bc") and ("ab", "c") apart.
        var text = string.Concat(language, "\u001f", qualifiedName, "\u001f", signature ?? string.Empty);
        var byteCount = Encoding.UTF8.GetByteCount(text);
        var bytes = byteCount <= 512 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(text, bytes);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, hash);
        return new SymbolId(Compatibility.HexLower(hash[..(HexLength / 2)]));
    }

    /// <summary>Whether <paramref name="utf8"/> is an id's <see cref="Value"/> as <see cref="Parse"/> accepts it.</summary>
    internal static bool IsValid(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length != HexLength)
        {
            return false;
        }

        foreach (var b in utf8)
        {
            if (b is not ((>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Restores an id from its <see cref="Value"/> (for example when reading an index file).</summary>
    /// <exception cref="FormatException"><paramref name="value"/> is not 16 hex digits.</exception>
    public static SymbolId Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length != HexLength || !value.AsSpan().ContainsOnlyHexLowerDigits())
        {
            throw new FormatException($"'{value}' is not a symbol id (expected {HexLength} lower-case hex digits).");
        }

        return new SymbolId(value);
    }

    /// <inheritdoc />
    public int CompareTo(SymbolId other) => string.CompareOrdinal(Value, other.Value);

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>Ordinal comparison of the ids' values.</summary>
    public static bool operator <(SymbolId left, SymbolId right) => left.CompareTo(right) < 0;

    /// <summary>Ordinal comparison of the ids' values.</summary>
    public static bool operator <=(SymbolId left, SymbolId right) => left.CompareTo(right) <= 0;

    /// <summary>Ordinal comparison of the ids' values.</summary>
    public static bool operator >(SymbolId left, SymbolId right) => left.CompareTo(right) > 0;

    /// <summary>Ordinal comparison of the ids' values.</summary>
    public static bool operator >=(SymbolId left, SymbolId right) => left.CompareTo(right) >= 0;
}

internal static class HexSpanExtensions
{
    public static bool ContainsOnlyHexLowerDigits(this ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }
}
