using System.Security.Cryptography;
using System.Text;

namespace StructuralChunking.Chunking;

/// <summary>Content hashes for chunks and files: lower-case hex SHA-256, stable across runs and machines.</summary>
public static class ContentHash
{
    /// <summary>Hashes raw bytes (a file's content).</summary>
    public static string Of(ReadOnlySpan<byte> bytes)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, hash);
        return Compatibility.HexLower(hash);
    }

    /// <summary>Hashes several text parts; the parts are delimited so that ("ab", "c") and ("a", "bc") differ.</summary>
    public static string Of(params ReadOnlySpan<string?> parts)
    {
        using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> lengthPrefix = stackalloc byte[sizeof(int)];
        foreach (var part in parts)
        {
            var bytes = part is null ? [] : Encoding.UTF8.GetBytes(part);
            // A length prefix (-1 for null) delimits parts without reserving a separator character.
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(lengthPrefix, part is null ? -1 : bytes.Length);
            hasher.AppendData(lengthPrefix);
            hasher.AppendData(bytes);
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        hasher.GetHashAndReset(hash);
        return Compatibility.HexLower(hash);
    }
}
