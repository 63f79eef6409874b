using System.Security.Cryptography;

namespace StructuralChunking.Tests.Support;

/// <summary>
/// Reads and rewrites the sections of a version 3 index file as a hand-made or damaged file would have them: a test
/// can flip a byte inside one section, or replace a section and fix every offset and checksum.
/// </summary>
internal static class IndexFileSections
{
    public const int Metadata = 1;
    public const int Texts = 2;
    public const int Chunks = 3;
    public const int Vectors = 4;
    public const int Lexical = 5;
    public const int Relations = 6;
    public const int TextBlocks = 7;

    private const int EntryBytes = 4 + 8 + 8 + 32;

    /// <summary>The sections in file order: id, offset, length.</summary>
    public static List<(int Id, long Offset, long Length)> Read(byte[] file)
    {
        var count = BitConverter.ToInt32(file, 12);
        var sections = new List<(int, long, long)>();
        for (var i = 0; i < count; i++)
        {
            var at = 16 + (i * EntryBytes);
            sections.Add((BitConverter.ToInt32(file, at), BitConverter.ToInt64(file, at + 4), BitConverter.ToInt64(file, at + 12)));
        }

        return sections;
    }

    /// <summary>Flips one byte of section <paramref name="id"/>, in its middle unless told where (its checksum left as it was).</summary>
    public static void Damage(string path, int id, Func<long, long>? at = null)
    {
        var file = File.ReadAllBytes(path);
        var (_, offset, length) = Read(file).Single(s => s.Id == id);
        file[offset + (at ?? (l => l / 2))(length)] ^= 0x5A;
        File.WriteAllBytes(path, file);
    }

    /// <summary>Replaces section <paramref name="id"/> with <paramref name="change"/> of it, then fixes offsets and checksums.</summary>
    public static void Rewrite(string path, int id, Func<byte[], byte[]> change)
    {
        var file = File.ReadAllBytes(path);
        var sections = Read(file);
        var headerLength = 16 + (sections.Count * EntryBytes) + 32;
        var header = file[..headerLength];
        var body = new List<byte>();
        for (var i = 0; i < sections.Count; i++)
        {
            var (sectionId, offset, length) = sections[i];
            var content = file[(int)offset..(int)(offset + length)];
            if (sectionId == id)
            {
                content = change(content);
            }

            var at = 16 + (i * EntryBytes);
            BitConverter.TryWriteBytes(header.AsSpan(at + 4), (long)(headerLength + body.Count));
            BitConverter.TryWriteBytes(header.AsSpan(at + 12), (long)content.Length);
            SHA256.HashData(content).CopyTo(header.AsSpan(at + 20));
            body.AddRange(content);
        }

        SHA256.HashData(header.AsSpan(0, headerLength - 32)).CopyTo(header.AsSpan(headerLength - 32));
        File.WriteAllBytes(path, [.. header, .. body]);
    }
}
