namespace StructuralChunking;

/// <summary>
/// The few .NET 9+ APIs the core uses, for its net8.0 build. Extension methods in this namespace are found before
/// System's, so on net8.0 <c>span.StartsWith('x')</c> binds here; on net9.0+ the framework's own overloads exist and
/// these are not compiled.
/// </summary>
internal static class Compatibility
{
    /// <summary>Lower-case hexadecimal, as <c>Convert.ToHexStringLower</c> (.NET 9) writes it.</summary>
    public static string HexLower(ReadOnlySpan<byte> bytes) =>
#if NET9_0_OR_GREATER
        Convert.ToHexStringLower(bytes);
#else
        Convert.ToHexString(bytes).ToLowerInvariant();
#endif

#if !NET9_0_OR_GREATER
    public static bool StartsWith(this ReadOnlySpan<char> span, char value) => !span.IsEmpty && span[0] == value;

    public static bool EndsWith(this ReadOnlySpan<char> span, char value) => !span.IsEmpty && span[^1] == value;
#endif
}
