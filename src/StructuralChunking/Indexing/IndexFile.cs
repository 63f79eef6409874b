using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using StructuralChunking.Chunking;
using StructuralChunking.Graph;
using StructuralChunking.Search;

namespace StructuralChunking.Indexing;

/// <summary>
/// The on-disk form of a <see cref="CodeIndex"/>: one file, little-endian.
/// <code>
/// magic "SCIDX" 0 0 0 | int32 format version | int32 length + metadata JSON (UTF-8)
/// int32 chunk count | chunks (length-prefixed UTF-8 strings and int32s)
/// int32 dimensions | count × dimensions float32 (contiguous, normalised)
/// BM25 postings (document lengths, then per term: string, int32 n, n × (int32 doc, int32 tf))
/// relations (version 2+): int32 chunk count, int32 n, chunk count × byte role, (chunk count + 1) × int32 offset,
///   n × int32 target chunk, n × byte kind
/// SHA-256 of everything above (32 bytes)
/// </code>
/// Writing goes to a temporary file in the same folder, is flushed to disk, then renamed over the target, so a crash
/// mid-write leaves the previous index intact. Reading verifies the checksum before trusting a byte.
/// </summary>
internal static class IndexFile
{
    private static readonly byte[] Magic = "SCIDX\0\0\0"u8.ToArray();
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    /// <summary>The largest vector length a file may declare; real models use a few hundred to a few thousand.</summary>
    internal const int MaxDimensions = 65_536;

    /// <summary>
    /// Throws unless <paramref name="path"/> is free or holds an index (by its magic header): writing never replaces a
    /// file of another kind, nor anything that is not a regular file.
    /// </summary>
    public static void EnsureReplaceable(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new IndexFormatException($"'{full}' is a folder; an index file cannot replace it.");
        }

        var info = new FileInfo(full);
        if (!info.Exists && info.LinkTarget is null)
        {
            return;
        }

        if (info.LinkTarget is not null)
        {
            throw new IndexFormatException($"'{full}' is a symbolic link; refusing to replace it with an index.");
        }

        if (!IsRegularFile(full))
        {
            throw new IndexFormatException($"'{full}' is not a regular file (a device, pipe or socket); refusing to replace it with an index.");
        }

        Span<byte> header = stackalloc byte[Magic.Length];
        int read;
        using (var handle = File.OpenHandle(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            read = RandomAccess.Read(handle, header, 0);
        }

        if (read != Magic.Length || !header.SequenceEqual(Magic))
        {
            throw new IndexFormatException($"'{full}' exists and is not a structchunk index; refusing to replace it. Choose another output file or remove it first.");
        }
    }

    public static void Write(CodeIndex index, string path)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentException.ThrowIfNullOrEmpty(path);
        EnsureReplaceable(path);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, PrivateFile.CreateNew))
            {
                using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                using (var hashing = new HashingWriteStream(file, hasher))
                using (var writer = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
                {
                    WriteBody(index, writer);
                }

                file.Write(hasher.GetHashAndReset());
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Reads and verifies an index of the current format version.</summary>
    public static CodeIndex Read(string path) => Read(path, acceptOlder: false);

    /// <summary>
    /// Reads and verifies an index; with <paramref name="acceptOlder"/> an index of an earlier format version is read too
    /// (without what that version lacked), so that re-indexing can reuse its embeddings.
    /// </summary>
    public static CodeIndex Read(string path, bool acceptOlder)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No index at '{path}'. Index the code base first.", path);
        }

        if (!IsRegularFile(path))
        {
            throw new IndexFormatException($"'{path}' is not a regular file, so it is not a structchunk index file.");
        }

        var bytes = ReadExactly(path);
        if (bytes.Length < Magic.Length + 4 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new IndexFormatException($"'{path}' is not a structchunk index file.");
        }

        if (bytes.Length < Magic.Length + 4 + SHA256.HashSizeInBytes)
        {
            throw new IndexFormatException($"The index '{path}' is truncated. Index the code base again to rebuild it.");
        }

        var body = bytes.AsSpan(0, bytes.Length - SHA256.HashSizeInBytes);
        var stored = bytes.AsSpan(bytes.Length - SHA256.HashSizeInBytes);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(stored))
        {
            throw new IndexFormatException($"The index '{path}' is corrupt (checksum mismatch). Index the code base again to rebuild it.");
        }

        try
        {
            using var stream = new MemoryStream(bytes, 0, body.Length, writable: false);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            return ReadBody(reader, path, acceptOlder);
        }
        catch (Exception ex) when (ex is EndOfStreamException or InvalidDataException or JsonException or FormatException or ArgumentException)
        {
            throw new IndexFormatException($"The index '{path}' cannot be read ({ex.Message}). Index the code base again to rebuild it.", ex);
        }
    }

    /// <summary>
    /// A regular file by what the file system reports: devices such as <c>/dev/zero</c> and pipes report a length of 0 and
    /// no regular-file content, so they never pass as an index (an index is never empty).
    /// </summary>
    private static bool IsRegularFile(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists || (info.Attributes & (FileAttributes.Directory | FileAttributes.Device)) != 0)
        {
            return false;
        }

        return info.Length > 0;
    }

    /// <summary>Reads exactly the length the file system reports, never more, so a file that grows or a device cannot make us read without end.</summary>
    private static byte[] ReadExactly(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = RandomAccess.GetLength(handle);
        if (length > Array.MaxLength)
        {
            throw new IndexFormatException($"'{path}' is {length} bytes, larger than any index this version can read.");
        }

        var bytes = new byte[length];
        var offset = 0;
        while (offset < bytes.Length)
        {
            var count = RandomAccess.Read(handle, bytes.AsSpan(offset), offset);
            if (count == 0)
            {
                throw new IndexFormatException($"The index '{path}' is truncated (it shrank while being read).");
            }

            offset += count;
        }

        return bytes;
    }

    private static void WriteBody(CodeIndex index, BinaryWriter writer)
    {
        writer.Write(Magic);
        writer.Write(IndexMetadata.CurrentFormatVersion);
        var metadata = JsonSerializer.SerializeToUtf8Bytes(index.Metadata, JsonOptions);
        writer.Write(metadata.Length);
        writer.Write(metadata);

        writer.Write(index.Chunks.Length);
        foreach (var chunk in index.Chunks)
        {
            writer.Write(chunk.Id);
            WriteNullable(writer, chunk.SymbolId?.Value);
            WriteNullable(writer, chunk.SymbolName);
            writer.Write((int)chunk.SymbolKind);
            writer.Write(chunk.Language);
            writer.Write(chunk.Location.Path);
            writer.Write(chunk.Location.StartLine);
            writer.Write(chunk.Location.EndLine);
            writer.Write(chunk.Location.StartByte);
            writer.Write(chunk.Location.EndByte);
            writer.Write(chunk.PartIndex);
            writer.Write(chunk.PartCount);
            writer.Write((int)chunk.Traits);
            writer.Write(chunk.EmbeddingText);
            writer.Write(chunk.LexicalText);
            writer.Write(chunk.DisplayText);
            writer.Write(chunk.ContentHash);
            writer.Write(chunk.TokenCount);
        }

        writer.Write(index.Vectors.Dimensions);
        var data = index.Vectors.Data;
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data));
        index.Lexical.Write(writer);
        index.Relations.Write(writer);
    }

    private static CodeIndex ReadBody(BinaryReader reader, string path, bool acceptOlder)
    {
        reader.ReadBytes(Magic.Length);
        var version = reader.ReadInt32();
        if (version != IndexMetadata.CurrentFormatVersion && !(acceptOlder && version is >= 1 and < IndexMetadata.CurrentFormatVersion))
        {
            var older = version < IndexMetadata.CurrentFormatVersion
                ? " It was written by an older version, before the code graph was stored in the index; re-indexing reuses its embeddings."
                : string.Empty;
            throw new IndexFormatException(
                $"The index '{path}' has format version {version}; this version of structchunk reads version {IndexMetadata.CurrentFormatVersion}.{older} Index the code base again to rebuild it.");
        }

        var metadataLength = Count(reader.ReadInt32(), Remaining(reader));
        var metadata = JsonSerializer.Deserialize<IndexMetadata>(reader.ReadBytes(metadataLength), JsonOptions)
            ?? throw new InvalidDataException("missing metadata");

        // Each chunk takes well over 16 bytes (five strings, ten int32s); the bound keeps a crafted count from allocating.
        var chunkCount = Count(reader.ReadInt32(), Remaining(reader) / 16);
        var chunks = ImmutableArray.CreateBuilder<CodeChunk>(chunkCount);
        for (var i = 0; i < chunkCount; i++)
        {
            var id = reader.ReadString();
            var symbolId = ReadNullable(reader);
            var symbolName = ReadNullable(reader);
            var kind = (SymbolKind)reader.ReadInt32();
            var language = reader.ReadString();
            var location = new SourceLocation(reader.ReadString(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
            chunks.Add(new CodeChunk
            {
                Id = id,
                SymbolId = symbolId is null ? null : SymbolId.Parse(symbolId),
                SymbolName = symbolName,
                SymbolKind = kind,
                Language = language,
                Location = location,
                PartIndex = reader.ReadInt32(),
                PartCount = reader.ReadInt32(),
                Traits = (SymbolTraits)reader.ReadInt32(),
                EmbeddingText = reader.ReadString(),
                LexicalText = reader.ReadString(),
                DisplayText = reader.ReadString(),
                ContentHash = reader.ReadString(),
                TokenCount = reader.ReadInt32(),
            });
        }

        var dimensions = reader.ReadInt32();
        if (dimensions != metadata.Dimensions || dimensions <= 0 || dimensions > MaxDimensions)
        {
            throw new InvalidDataException($"vector dimension {dimensions} does not match the metadata's {metadata.Dimensions} or is out of range");
        }

        if ((long)dimensions * sizeof(float) * chunkCount > Remaining(reader))
        {
            throw new InvalidDataException($"{chunkCount} vectors of {dimensions} dimensions do not fit in the {Remaining(reader)} bytes left");
        }

        var vectors = new FlatVectorIndex(dimensions, chunkCount);
        var vector = new float[dimensions];
        var raw = new byte[dimensions * sizeof(float)];
        for (var i = 0; i < chunkCount; i++)
        {
            if (reader.Read(raw, 0, raw.Length) != raw.Length)
            {
                throw new EndOfStreamException("vectors end early");
            }

            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw).CopyTo(vector);
            vectors.AddNormalized(vector);
        }

        var lexical = Bm25Index.Read(reader);
        var relations = version >= 2 ? ChunkRelations.Read(reader, chunkCount) : null;
        if (reader.BaseStream.Position != reader.BaseStream.Length)
        {
            throw new InvalidDataException("unexpected data after the relations");
        }

        return new CodeIndex(metadata with { FormatVersion = version }, chunks.MoveToImmutable(), vectors, lexical, relations);
    }

    private static long Remaining(BinaryReader reader) => reader.BaseStream.Length - reader.BaseStream.Position;

    private static int Count(int value, long max) =>
        value >= 0 && value <= max ? value : throw new InvalidDataException($"implausible length {value}");

    private static void WriteNullable(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    private static string? ReadNullable(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    /// <summary>Passes writes through to a stream while feeding them to a hash.</summary>
    private sealed class HashingWriteStream(Stream inner, IncrementalHash hasher) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hasher.AppendData(buffer);
            inner.Write(buffer);
        }
    }
}
