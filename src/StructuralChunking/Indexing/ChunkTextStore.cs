using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;
using StructuralChunking.Chunking;

namespace StructuralChunking.Indexing;

/// <summary>
/// The texts section of an index file, read block by block when a chunk's text is asked for, each block checked
/// against its SHA-256 before use (a search shows ten results' texts; reading every text of 20,000 chunks at load
/// took most of a cold search, and reading the whole section at the first text still a tenth of it).
/// </summary>
/// <remarks>
/// Holds the file open, so the texts come from the file that was verified at load even if another index is renamed
/// over its path meanwhile; the handle is closed once every block is in memory. Thread-safe.
/// </remarks>
internal sealed class ChunkTextStore : IChunkTextSource
{
    private readonly string _path;
    private readonly long _offset;
    private readonly int _length;
    private readonly int _blockBytes;
    private readonly byte[][] _blockHashes;
    private readonly byte[]?[] _blocks;
    private readonly object _gate = new();
    private SafeFileHandle? _handle;
    private int _blocksRead;
    private int[] _starts = [0];

    /// <param name="handle">The open index file; owned from here on.</param>
    /// <param name="path">For messages.</param>
    /// <param name="offset">Where the texts section starts.</param>
    /// <param name="length">Its length.</param>
    /// <param name="blockTable">The verified text blocks section: int32 block size, int32 count, count × SHA-256.</param>
    public ChunkTextStore(SafeFileHandle handle, string path, long offset, int length, byte[] blockTable)
    {
        _handle = handle;
        _path = path;
        _offset = offset;
        _length = length;
        if (blockTable.Length < 8)
        {
            throw new InvalidDataException("the text blocks section is too short");
        }

        _blockBytes = BinaryPrimitives.ReadInt32LittleEndian(blockTable);
        var count = BinaryPrimitives.ReadInt32LittleEndian(blockTable.AsSpan(4));
        if (_blockBytes is < 256 or > (64 << 20) || count != (int)(((long)length + _blockBytes - 1) / _blockBytes) || blockTable.Length != 8 + (count * 32L))
        {
            throw new InvalidDataException($"the text blocks ({count} of {_blockBytes} bytes) do not cover the {length} bytes of texts");
        }

        _blockHashes = new byte[count][];
        for (var b = 0; b < count; b++)
        {
            _blockHashes[b] = blockTable.AsSpan(8 + (b * 32), 32).ToArray();
        }

        _blocks = new byte[count][];
    }

    /// <summary>Sets the byte length of every text (three per chunk, in chunk order); they must add up to the section.</summary>
    public void SetLengths(int[] lengths)
    {
        var starts = new int[lengths.Length + 1];
        long total = 0;
        for (var i = 0; i < lengths.Length; i++)
        {
            total += lengths[i];
            if (total > _length)
            {
                break;
            }

            starts[i + 1] = (int)total;
        }

        if (total != _length)
        {
            throw new InvalidDataException($"the chunks' texts take {total} bytes, the texts section {_length}");
        }

        _starts = starts;
    }

    public string Read(int ordinal, ChunkTextField field)
    {
        var index = (3 * ordinal) + (int)field;
        var start = _starts[index];
        var length = _starts[index + 1] - start;
        if (length == 0)
        {
            return string.Empty;
        }

        var first = start / _blockBytes;
        var last = (start + length - 1) / _blockBytes;
        if (first == last)
        {
            return Encoding.UTF8.GetString(Block(first), start - (first * _blockBytes), length);
        }

        // A text across blocks: gather its bytes from each verified block.
        var bytes = new byte[length];
        for (var b = first; b <= last; b++)
        {
            var block = Block(b);
            var from = Math.Max(start, b * _blockBytes);
            var to = Math.Min(start + length, (b * _blockBytes) + block.Length);
            block.AsSpan(from - (b * _blockBytes), to - from).CopyTo(bytes.AsSpan(from - start));
        }

        return Encoding.UTF8.GetString(bytes);
    }

    private byte[] Block(int b)
    {
        if (Volatile.Read(ref _blocks[b]) is { } cached)
        {
            return cached;
        }

        lock (_gate)
        {
            if (_blocks[b] is { } loaded)
            {
                return loaded;
            }

            var handle = _handle ?? throw new ObjectDisposedException(nameof(ChunkTextStore));
            var bytes = new byte[Math.Min(_blockBytes, _length - (b * _blockBytes))];
            IndexFile.ReadAt(handle, bytes, _offset + ((long)b * _blockBytes), _path);
            if (!SHA256.HashData(bytes).AsSpan().SequenceEqual(_blockHashes[b]))
            {
                throw IndexFile.Corrupt(_path, "its texts");
            }

            Volatile.Write(ref _blocks[b], bytes);
            if (++_blocksRead == _blocks.Length)
            {
                handle.Dispose();
                _handle = null;
            }

            return bytes;
        }
    }
}
