using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Win32.SafeHandles;
using StructuralChunking.Chunking;
using StructuralChunking.Graph;
using StructuralChunking.Search;

namespace StructuralChunking.Indexing;

/// <summary>
/// The on-disk form of a <see cref="CodeIndex"/>: one file, little-endian, in sections, each with its own SHA-256.
/// <code>
/// magic "SCIDX" 0 0 0 | int32 format version (4) | int32 section count n
/// n × (int32 section id, int64 offset, int64 length, SHA-256 of the section) | SHA-256 of everything above
/// sections: metadata JSON (UTF-8) | texts (every chunk's embedding, lexical and display text, UTF-8, back to back)
///   | chunks (columns of int32s, then the strings as UTF-8 with their starts: see <see cref="ChunkRecords"/>)
///   | vectors (int32 dimensions, count × dimensions float32, normalised)
///   | BM25 postings (terms in byte order with their documents and frequencies in flat runs: see <see cref="Bm25Index"/>)
///   | relations (int32 chunk count, int32 n, chunk count × byte role, (chunk count + 1) × int32 offset,
///   n × int32 target chunk, n × byte kind) | text blocks (int32 block size, int32 n, n × SHA-256 of each block of
///   the texts section)
/// </code>
/// Version 3 files (the same sections, but per chunk a record of length-prefixed strings and per term a string and its
/// postings, all decoded at load) and version 2 files (one SHA-256 over the whole file at its end, texts inside the chunk
/// records) are still read.
/// Writing goes to a temporary file in the same folder, is flushed to disk, then renamed over the target, so a crash
/// mid-write leaves the previous index intact. Reading verifies every byte it uses before trusting it: the header and
/// section table, then each section as it is read. Search needs every section but the texts, so the texts stay in the
/// file (its handle kept open, so a file renamed over it later changes nothing) until a chunk's text is asked for;
/// then the blocks that hold it are read and checked against their checksums (themselves verified at load), and a
/// damaged block fails that read as a damaged section fails the load. The chunk records and postings are verified at
/// load too but decoded only where a search touches them: chunks are kept as columns and UTF-8, postings as one block.
/// </summary>
internal static class IndexFile
{
    private static readonly byte[] Magic = "SCIDX\0\0\0"u8.ToArray();
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    /// <summary>
    /// Texts are verified in blocks of this many bytes, so showing ten results reads and checks a few blocks rather
    /// than every chunk's texts (28 MB on a 20,000-chunk index).
    /// </summary>
    internal const int DefaultTextBlockBytes = 64 * 1024;

    /// <summary>The first version with sections: chunk records and postings decoded at load.</summary>
    internal const int SectionedFormatVersion = 3;

    /// <summary>The version with sections whose chunks and postings are decoded on use (<see cref="IndexMetadata.CurrentFormatVersion"/>).</summary>
    internal const int ColumnarFormatVersion = 4;

    /// <summary>The last version checked by one SHA-256 over the whole file; it holds what version 3 holds.</summary>
    private const int LastWholeFileFormatVersion = 2;

    // One entry of the section table: int32 id, int64 offset, int64 length, SHA-256.
    private const int SectionEntryBytes = 4 + 8 + 8 + 32;

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

    public static void Write(CodeIndex index, string path) => Write(index, path, DefaultTextBlockBytes);

    /// <summary>Writes with texts verified in blocks of <paramref name="textBlockBytes"/> (tests use small blocks).</summary>
    internal static void Write(CodeIndex index, string path, int textBlockBytes) => Write(index, path, textBlockBytes, ColumnarFormatVersion);

    /// <summary>Writes the version 3 layout, what the previous release wrote: kept so tests can check such files are still read.</summary>
    internal static void WriteVersion3(CodeIndex index, string path) => Write(index, path, DefaultTextBlockBytes, SectionedFormatVersion);

    private static void Write(CodeIndex index, string path, int textBlockBytes, int version)
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
                WriteSections(index, file, textBlockBytes, version);
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

        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var handed = false;
        try
        {
            Span<byte> start = stackalloc byte[Magic.Length + 4];
            if (RandomAccess.Read(handle, start, 0) != start.Length || !start[..Magic.Length].SequenceEqual(Magic))
            {
                throw new IndexFormatException($"'{path}' is not a structchunk index file.");
            }

            var version = BitConverter.ToInt32(start[Magic.Length..]);
            if (version > ColumnarFormatVersion || version < 1)
            {
                throw new IndexFormatException(
                    $"The index '{path}' has format version {version}; this version of structchunk reads version {IndexMetadata.CurrentFormatVersion}. Index the code base again to rebuild it.");
            }

            if (version >= SectionedFormatVersion)
            {
                var index = ReadSections(handle, path, version);
                handed = true;
                return index;
            }
        }
        catch (Exception ex) when (ex is EndOfStreamException or InvalidDataException or JsonException or FormatException or ArgumentException)
        {
            throw new IndexFormatException($"The index '{path}' cannot be read ({ex.Message}). Index the code base again to rebuild it.", ex);
        }
        finally
        {
            if (!handed)
            {
                handle.Dispose();
            }
        }

        // Versions 1 and 2: one checksum over the whole file, every section read at once.
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
    /// Reads and verifies only the metadata of an index (the header, the section table and the metadata section of a
    /// version 3 file), so a caller can start loading the index's model while the rest is read; <c>null</c> for earlier
    /// versions, which carry one checksum over the whole file, so nothing in them can be trusted before all is read.
    /// </summary>
    public static IndexMetadata? ReadMetadata(string path)
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

        using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            Span<byte> start = stackalloc byte[Magic.Length + 4];
            if (RandomAccess.Read(handle, start, 0) == start.Length && start[..Magic.Length].SequenceEqual(Magic)
                && BitConverter.ToInt32(start[Magic.Length..]) is var version and (SectionedFormatVersion or ColumnarFormatVersion))
            {
                try
                {
                    var sections = ReadSectionTable(handle, path);
                    var metadata = JsonSerializer.Deserialize(ReadVerified(handle, sections[Section.Metadata], path, "metadata"), IndexMetadataJson.Default.IndexMetadata)
                        ?? throw new InvalidDataException("missing metadata");
                    return metadata with { FormatVersion = version };
                }
                catch (Exception ex) when (ex is EndOfStreamException or InvalidDataException or JsonException or FormatException or ArgumentException)
                {
                    throw new IndexFormatException($"The index '{path}' cannot be read ({ex.Message}). Index the code base again to rebuild it.", ex);
                }
            }
        }

        return null;
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

    /// <summary>
    /// Writes the version 2 layout (one checksum over the whole file): what earlier releases wrote, kept so tests can
    /// check that such files are still read.
    /// </summary>
    internal static void WriteVersion2(CodeIndex index, string path)
    {
        using var file = new FileStream(path, PrivateFile.CreateNew);
        using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var hashing = new HashingWriteStream(file, hasher))
        using (var writer = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
        {
            WriteBody(index, writer);
        }

        file.Write(hasher.GetHashAndReset());
    }

    private static void WriteSections(CodeIndex index, FileStream file, int textBlockBytes, int version)
    {
        var ids = Enum.GetValues<Section>();
        var headerLength = Magic.Length + 4 + 4 + (ids.Length * SectionEntryBytes) + SHA256.HashSizeInBytes;
        file.Write(new byte[headerLength]);
        var entries = new List<(Section Id, long Offset, long Length, byte[] Hash)>();
        var textLengths = new int[index.Records.Count * 3];
        var texts = new MemoryStream();
        using (var textWriter = new BinaryWriter(texts, Encoding.UTF8, leaveOpen: true))
        {
            WriteTexts(index.Records, textWriter, textLengths);
        }
        foreach (var id in ids)
        {
            var offset = file.Position;
            using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using (var hashing = new HashingWriteStream(file, hasher))
            using (var writer = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
            {
                switch (id)
                {
                    case Section.Metadata:
                        writer.Write(JsonSerializer.SerializeToUtf8Bytes(index.Metadata with { FormatVersion = version }, JsonOptions));
                        break;
                    case Section.Texts:
                        writer.Write(texts.GetBuffer(), 0, (int)texts.Length);
                        break;
                    case Section.TextBlocks:
                        WriteTextBlocks(texts.GetBuffer().AsSpan(0, (int)texts.Length), textBlockBytes, writer);
                        break;
                    case Section.Chunks when version == SectionedFormatVersion:
                        WriteChunkRecords(index.Chunks, writer, textLengths);
                        break;
                    case Section.Chunks:
                        index.Records.Write(writer, textLengths);
                        break;
                    case Section.Vectors:
                        writer.Write(index.Vectors.Dimensions);
                        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(index.Vectors.Data));
                        break;
                    case Section.Lexical when version == SectionedFormatVersion:
                        index.Lexical.WriteVersion3(writer);
                        break;
                    case Section.Lexical:
                        index.Lexical.Write(writer);
                        break;
                    case Section.Relations:
                        index.Relations.Write(writer);
                        break;
                }
            }

            entries.Add((id, offset, file.Position - offset, hasher.GetHashAndReset()));
        }

        var header = new byte[headerLength];
        using (var stream = new MemoryStream(header))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Magic);
            writer.Write(version);
            writer.Write(entries.Count);
            foreach (var (id, offset, length, hash) in entries)
            {
                writer.Write((int)id);
                writer.Write(offset);
                writer.Write(length);
                writer.Write(hash);
            }
        }

        SHA256.HashData(header.AsSpan(0, headerLength - SHA256.HashSizeInBytes), header.AsSpan(headerLength - SHA256.HashSizeInBytes));
        file.Position = 0;
        file.Write(header);
    }

    private static void WriteTexts(ChunkRecords chunks, BinaryWriter writer, int[] lengths)
    {
        var buffer = new byte[1 << 16];
        for (var i = 0; i < chunks.Count; i++)
        {
            var texts = (chunks[i].EmbeddingText, chunks[i].LexicalText, chunks[i].DisplayText);
            lengths[(3 * i) + 0] = Write(texts.EmbeddingText);
            lengths[(3 * i) + 1] = Write(texts.LexicalText);
            lengths[(3 * i) + 2] = Write(texts.DisplayText);
        }

        int Write(string text)
        {
            // The same UTF-8 (lone surrogates replaced) as BinaryWriter.Write(string) in version 2.
            var count = Encoding.UTF8.GetByteCount(text);
            if (count > buffer.Length)
            {
                buffer = new byte[count];
            }

            Encoding.UTF8.GetBytes(text, buffer);
            writer.Write(buffer, 0, count);
            return count;
        }
    }

    private static void WriteTextBlocks(ReadOnlySpan<byte> texts, int blockBytes, BinaryWriter writer)
    {
        var count = (texts.Length + blockBytes - 1) / blockBytes;
        writer.Write(blockBytes);
        writer.Write(count);
        for (var b = 0; b < count; b++)
        {
            writer.Write(SHA256.HashData(texts.Slice(b * blockBytes, Math.Min(blockBytes, texts.Length - (b * blockBytes)))));
        }
    }

    private static void WriteChunkRecords(ImmutableArray<CodeChunk> chunks, BinaryWriter writer, int[] textLengths)
    {
        writer.Write(chunks.Length);
        for (var i = 0; i < chunks.Length; i++)
        {
            var chunk = chunks[i];
            WriteRecordHead(writer, chunk);
            writer.Write(chunk.ContentHash);
            writer.Write(chunk.TokenCount);
            writer.Write(textLengths[(3 * i) + 0]);
            writer.Write(textLengths[(3 * i) + 1]);
            writer.Write(textLengths[(3 * i) + 2]);
        }
    }

    private static CodeIndex ReadSections(SafeFileHandle handle, string path, int version)
    {
        var sections = ReadSectionTable(handle, path);
        var metadata = JsonSerializer.Deserialize(ReadVerified(handle, sections[Section.Metadata], path, "metadata"), IndexMetadataJson.Default.IndexMetadata)
            ?? throw new InvalidDataException("missing metadata");

        var texts = sections[Section.Texts];
        var blocks = ReadVerified(handle, sections[Section.TextBlocks], path, "text block checksums");
        var store = new ChunkTextStore(handle, path, texts.Offset, texts.Length, blocks);
        ChunkRecords chunks;
        var chunkSection = ReadVerified(handle, sections[Section.Chunks], path, "chunk records");
        if (version == SectionedFormatVersion)
        {
            using var reader = Reader(chunkSection);
            chunks = ChunkRecords.FromChunks(ReadChunkRecords(reader, store));
        }
        else
        {
            chunks = ChunkRecords.Read(chunkSection, store);
        }

        var vectors = ReadVectors(handle, sections[Section.Vectors], path, chunks.Count, metadata.Dimensions);
        Bm25Index lexical;
        var lexicalSection = ReadVerified(handle, sections[Section.Lexical], path, "lexical postings");
        if (version == SectionedFormatVersion)
        {
            using var reader = Reader(lexicalSection);
            lexical = Bm25Index.ReadVersion3(reader);
            EnsureAtEnd(reader, "lexical postings");
        }
        else
        {
            lexical = Bm25Index.Read(lexicalSection);
        }

        ChunkRelations relations;
        using (var reader = Reader(ReadVerified(handle, sections[Section.Relations], path, "relations")))
        {
            relations = ChunkRelations.Read(reader, chunks.Count);
            EnsureAtEnd(reader, "relations");
        }

        return new CodeIndex(metadata with { FormatVersion = version }, chunks, vectors, lexical, relations);
    }

    /// <summary>Reads and verifies the header and the section table: every section present once, within the file.</summary>
    private static Dictionary<Section, SectionEntry> ReadSectionTable(SafeFileHandle handle, string path)
    {
        var fileLength = RandomAccess.GetLength(handle);
        var prefix = new byte[Magic.Length + 8];
        ReadAt(handle, prefix, 0, path);
        var sectionCount = BitConverter.ToInt32(prefix, Magic.Length + 4);
        if (sectionCount is < 1 or > 64)
        {
            throw new InvalidDataException($"implausible section count {sectionCount}");
        }

        var headerLength = prefix.Length + (sectionCount * SectionEntryBytes) + SHA256.HashSizeInBytes;
        if (headerLength > fileLength)
        {
            throw new IndexFormatException($"The index '{path}' is truncated. Index the code base again to rebuild it.");
        }

        var header = new byte[headerLength];
        ReadAt(handle, header, 0, path);
        if (!SHA256.HashData(header.AsSpan(0, headerLength - SHA256.HashSizeInBytes)).AsSpan().SequenceEqual(header.AsSpan(headerLength - SHA256.HashSizeInBytes)))
        {
            throw Corrupt(path, "its header");
        }

        var sections = new Dictionary<Section, SectionEntry>();
        for (var i = 0; i < sectionCount; i++)
        {
            var at = prefix.Length + (i * SectionEntryBytes);
            var id = (Section)BitConverter.ToInt32(header, at);
            var offset = BitConverter.ToInt64(header, at + 4);
            var length = BitConverter.ToInt64(header, at + 12);
            if (!Enum.IsDefined(id) || offset < headerLength || length < 0 || length > Array.MaxLength || offset > fileLength - length || !sections.TryAdd(id, new SectionEntry(offset, (int)length, header.AsSpan(at + 20, 32).ToArray())))
            {
                throw new InvalidDataException($"section table entry {i} is out of range or repeated");
            }
        }

        foreach (var id in Enum.GetValues<Section>())
        {
            if (!sections.ContainsKey(id))
            {
                throw new InvalidDataException($"the {id} section is missing");
            }
        }

        return sections;
    }

    private static ImmutableArray<CodeChunk> ReadChunkRecords(BinaryReader reader, ChunkTextStore store)
    {
        // Each record takes well over 16 bytes; the bound keeps a crafted count from allocating.
        var chunkCount = Count(reader.ReadInt32(), Remaining(reader) / 16);
        var chunks = ImmutableArray.CreateBuilder<CodeChunk>(chunkCount);
        var textLengths = new int[chunkCount * 3];
        for (var i = 0; i < chunkCount; i++)
        {
            var head = ReadRecordHead(reader);
            var contentHash = reader.ReadString();
            var tokenCount = reader.ReadInt32();
            for (var t = 0; t < 3; t++)
            {
                textLengths[(3 * i) + t] = Count(reader.ReadInt32(), int.MaxValue);
            }

            chunks.Add(new CodeChunk(head.Id, head.Language, head.Location, contentHash, store, i)
            {
                SymbolId = head.SymbolId,
                SymbolName = head.SymbolName,
                SymbolKind = head.Kind,
                PartIndex = head.PartIndex,
                PartCount = head.PartCount,
                Traits = head.Traits,
                TokenCount = tokenCount,
            });
        }

        EnsureAtEnd(reader, "chunk records");
        store.SetLengths(textLengths);
        return chunks.MoveToImmutable();
    }

    private static FlatVectorIndex ReadVectors(SafeFileHandle handle, SectionEntry section, string path, int count, int expectedDimensions)
    {
        if (section.Length < 4)
        {
            throw new InvalidDataException("the vectors section is empty");
        }

        var prefix = new byte[4];
        ReadAt(handle, prefix, section.Offset, path);
        var dimensions = BitConverter.ToInt32(prefix);
        if (dimensions != expectedDimensions || dimensions <= 0 || dimensions > MaxDimensions)
        {
            throw new InvalidDataException($"vector dimension {dimensions} does not match the metadata's {expectedDimensions} or is out of range");
        }

        if ((long)dimensions * sizeof(float) * count != section.Length - 4)
        {
            throw new InvalidDataException($"{count} vectors of {dimensions} dimensions do not fill the {section.Length - 4} bytes of the vectors section");
        }

        // Read straight into the index's block: no intermediate copy, no zeroing of memory that is overwritten anyway.
        var data = GC.AllocateUninitializedArray<float>(dimensions * Math.Max(count, 1));
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan(0, dimensions * count));
        ReadAt(handle, bytes, section.Offset + 4, path);
        using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hasher.AppendData(prefix);
        hasher.AppendData(bytes);
        if (!hasher.GetHashAndReset().AsSpan().SequenceEqual(section.Hash))
        {
            throw Corrupt(path, "its vectors");
        }

        for (var i = 0; i < count; i++)
        {
            if (!float.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum(data.AsSpan(i * dimensions, dimensions))))
            {
                throw new InvalidDataException($"vector {i} contains NaN or infinity");
            }
        }

        return new FlatVectorIndex(dimensions, data, count);
    }

    private static byte[] ReadVerified(SafeFileHandle handle, SectionEntry section, string path, string what)
    {
        var bytes = GC.AllocateUninitializedArray<byte>(section.Length);
        ReadAt(handle, bytes, section.Offset, path);
        if (!SHA256.HashData(bytes).AsSpan().SequenceEqual(section.Hash))
        {
            throw Corrupt(path, $"its {what}");
        }

        return bytes;
    }

    /// <summary>Reads exactly <paramref name="buffer"/>'s length at <paramref name="offset"/>; a file that ends early is truncated.</summary>
    internal static void ReadAt(SafeFileHandle handle, Span<byte> buffer, long offset, string path)
    {
        while (!buffer.IsEmpty)
        {
            var count = RandomAccess.Read(handle, buffer, offset);
            if (count == 0)
            {
                throw new IndexFormatException($"The index '{path}' is truncated. Index the code base again to rebuild it.");
            }

            buffer = buffer[count..];
            offset += count;
        }
    }

    internal static IndexFormatException Corrupt(string path, string where) =>
        new($"The index '{path}' is corrupt (checksum mismatch in {where}). Index the code base again to rebuild it.");

    private static BinaryReader Reader(byte[] bytes) => new(new MemoryStream(bytes, writable: false), Encoding.UTF8);

    private static void EnsureAtEnd(BinaryReader reader, string what)
    {
        if (reader.BaseStream.Position != reader.BaseStream.Length)
        {
            throw new InvalidDataException($"unexpected data after the {what}");
        }
    }

    private static void WriteBody(CodeIndex index, BinaryWriter writer)
    {
        writer.Write(Magic);
        writer.Write(LastWholeFileFormatVersion);
        var metadata = JsonSerializer.SerializeToUtf8Bytes(index.Metadata, JsonOptions);
        writer.Write(metadata.Length);
        writer.Write(metadata);

        writer.Write(index.Chunks.Length);
        foreach (var chunk in index.Chunks)
        {
            WriteRecordHead(writer, chunk);
            writer.Write(chunk.EmbeddingText);
            writer.Write(chunk.LexicalText);
            writer.Write(chunk.DisplayText);
            writer.Write(chunk.ContentHash);
            writer.Write(chunk.TokenCount);
        }

        writer.Write(index.Vectors.Dimensions);
        var data = index.Vectors.Data;
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data));
        index.Lexical.WriteVersion3(writer);
        index.Relations.Write(writer);
    }

    private static CodeIndex ReadBody(BinaryReader reader, string path, bool acceptOlder)
    {
        reader.ReadBytes(Magic.Length);
        var version = reader.ReadInt32();
        if (version != LastWholeFileFormatVersion && !(acceptOlder && version is >= 1 and < LastWholeFileFormatVersion))
        {
            var older = version < IndexMetadata.CurrentFormatVersion
                ? " It was written by an older version, before the code graph was stored in the index; re-indexing reuses its embeddings."
                : string.Empty;
            throw new IndexFormatException(
                $"The index '{path}' has format version {version}; this version of structchunk reads version {IndexMetadata.CurrentFormatVersion}.{older} Index the code base again to rebuild it.");
        }

        var metadataLength = Count(reader.ReadInt32(), Remaining(reader));
        var metadata = JsonSerializer.Deserialize(reader.ReadBytes(metadataLength), IndexMetadataJson.Default.IndexMetadata)
            ?? throw new InvalidDataException("missing metadata");

        // Each chunk takes well over 16 bytes (five strings, ten int32s); the bound keeps a crafted count from allocating.
        var chunkCount = Count(reader.ReadInt32(), Remaining(reader) / 16);
        var chunks = ImmutableArray.CreateBuilder<CodeChunk>(chunkCount);
        for (var i = 0; i < chunkCount; i++)
        {
            var head = ReadRecordHead(reader);
            chunks.Add(new CodeChunk
            {
                Id = head.Id,
                SymbolId = head.SymbolId,
                SymbolName = head.SymbolName,
                SymbolKind = head.Kind,
                Language = head.Language,
                Location = head.Location,
                PartIndex = head.PartIndex,
                PartCount = head.PartCount,
                Traits = head.Traits,
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

        var lexical = Bm25Index.ReadVersion3(reader);
        var relations = version >= 2 ? ChunkRelations.Read(reader, chunkCount) : null;
        if (reader.BaseStream.Position != reader.BaseStream.Length)
        {
            throw new InvalidDataException("unexpected data after the relations");
        }

        return new CodeIndex(metadata with { FormatVersion = version }, chunks.MoveToImmutable(), vectors, lexical, relations);
    }

    /// <summary>The sections of a version 3 file, in the order they are written.</summary>
    private enum Section
    {
        Metadata = 1,
        Texts = 2,
        Chunks = 3,
        Vectors = 4,
        Lexical = 5,
        Relations = 6,
        TextBlocks = 7,
    }

    private sealed record SectionEntry(long Offset, int Length, byte[] Hash);

    private static long Remaining(BinaryReader reader) => reader.BaseStream.Length - reader.BaseStream.Position;

    private static int Count(int value, long max) =>
        value >= 0 && value <= max ? value : throw new InvalidDataException($"implausible length {value}");

    /// <summary>The fields every format version writes first in a chunk record, in this order.</summary>
    private readonly record struct RecordHead(
        string Id, SymbolId? SymbolId, string? SymbolName, SymbolKind Kind, string Language, SourceLocation Location, int PartIndex, int PartCount, SymbolTraits Traits);

    private static void WriteRecordHead(BinaryWriter writer, CodeChunk chunk)
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
    }

    private static RecordHead ReadRecordHead(BinaryReader reader)
    {
        var id = reader.ReadString();
        var symbolId = ReadNullable(reader);
        var symbolName = ReadNullable(reader);
        var kind = (SymbolKind)reader.ReadInt32();
        var language = reader.ReadString();
        var location = new SourceLocation(reader.ReadString(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
        return new RecordHead(id, symbolId is null ? null : SymbolId.Parse(symbolId), symbolName, kind, language, location,
            reader.ReadInt32(), reader.ReadInt32(), (SymbolTraits)reader.ReadInt32());
    }

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

/// <summary>
/// Reads index metadata with serialization code generated at compile time: the reflection-based reader emits and
/// compiles about 250 methods at run time, a tenth of a cold search's JIT work. Writing keeps the reflection-based
/// serializer (and so the bytes earlier versions wrote); both follow the same contract, which a test checks.
/// </summary>
[JsonSerializable(typeof(IndexMetadata))]
internal sealed partial class IndexMetadataJson : JsonSerializerContext;
