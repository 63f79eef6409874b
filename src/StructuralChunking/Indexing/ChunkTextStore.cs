using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;
using StructuralChunking.Chunking;

namespace StructuralChunking.Indexing;

/// <summary>
/// The texts section of an index file, read and verified against its checksum when a chunk's text is first asked for
/// (a search shows ten results' texts; reading every text of 20,000 chunks at load took most of a cold search).
/// </summary>
/// <remarks>
/// Holds the file open until then, so the texts come from the file that was verified at load even if another index is
/// renamed over its path meanwhile; the handle is closed once the section is in memory. Thread-safe.
/// </remarks>
internal sealed class ChunkTextStore : IChunkTextSource
{
    private readonly string _path;
    private readonly long _offset;
    private readonly int _length;
    private readonly byte[] _hash;
    private readonly object _gate = new();
    private SafeFileHandle? _handle;
    private int[] _starts = [0];
    private byte[]? _bytes;

    public ChunkTextStore(SafeFileHandle handle, string path, long offset, int length, byte[] hash)
    {
        _handle = handle;
        _path = path;
        _offset = offset;
        _length = length;
        _hash = hash;
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
        var bytes = _bytes ?? Load();
        var index = (3 * ordinal) + (int)field;
        return Encoding.UTF8.GetString(bytes, _starts[index], _starts[index + 1] - _starts[index]);
    }

    private byte[] Load()
    {
        lock (_gate)
        {
            if (_bytes is { } loaded)
            {
                return loaded;
            }

            var handle = _handle ?? throw new ObjectDisposedException(nameof(ChunkTextStore));
            var bytes = GC.AllocateUninitializedArray<byte>(_length);
            IndexFile.ReadAt(handle, bytes, _offset, _path);
            if (!SHA256.HashData(bytes).AsSpan().SequenceEqual(_hash))
            {
                throw IndexFile.Corrupt(_path, "its texts");
            }

            _bytes = bytes;
            handle.Dispose();
            _handle = null;
            return bytes;
        }
    }
}
