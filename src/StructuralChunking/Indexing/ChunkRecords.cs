using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using StructuralChunking.Chunking;
using StructuralChunking.Graph;

namespace StructuralChunking.Indexing;

/// <summary>
/// The chunks of an index as columns: the numbers search reads for every chunk (kind, traits, lines, the first part of
/// each definition) in arrays, and each chunk's <see cref="CodeChunk"/> made on first use. Read from a file, the strings
/// (ids, names, paths, content hashes) stay UTF-8 in the verified section until a chunk or one of its strings is asked
/// for: a search shows ten chunks of 20,000, and decoding every record at load was most of a cold search's CPU.
/// </summary>
/// <remarks>
/// The file form (the chunks section of format version 4), little-endian:
/// <code>
/// int32 count | Columns × count int32, column after column | (StringFields × count + 1) int32 starts of the strings
/// in the UTF-8 that follows, chunk after chunk, field after field | the UTF-8
/// </code>
/// Thread-safe: two first readers of a chunk may both decode it and either copy is kept (they are equal).
/// </remarks>
internal sealed class ChunkRecords
{
    // The int32 columns, in file order.
    private const int KindColumn = 0;
    private const int StartLineColumn = 1;
    private const int EndLineColumn = 2;
    private const int StartByteColumn = 3;
    private const int EndByteColumn = 4;
    private const int PartIndexColumn = 5;
    private const int PartCountColumn = 6;
    private const int TraitsColumn = 7;
    private const int TokenCountColumn = 8;
    private const int GroupHeadColumn = 9;
    private const int FlagsColumn = 10;
    private const int EmbeddingLengthColumn = 11;
    private const int LexicalLengthColumn = 12;
    private const int DisplayLengthColumn = 13;
    private const int Columns = 14;

    // The strings of a chunk, in file order.
    private const int IdField = 0;
    private const int SymbolIdField = 1;
    private const int SymbolNameField = 2;
    private const int LanguageField = 3;
    private const int PathField = 4;
    private const int ContentHashField = 5;
    private const int StringFields = 6;

    // Flags: which of the nullable strings are null (an empty string is not).
    private const int NoSymbolId = 1;
    private const int NoSymbolName = 2;

    private readonly CodeChunk?[] _chunks;
    private readonly int[] _kinds;
    private readonly int[] _traits;
    private readonly int[] _startLines;
    private readonly int[] _endLines;
    private readonly int[] _groupHeads;

    // The file form only: the verified section, where its string starts and UTF-8 begin, and the texts.
    private readonly byte[]? _section;
    private readonly int _startsAt;
    private readonly int _utf8At;
    private readonly IChunkTextSource? _texts;
    private ImmutableArray<CodeChunk> _all;

    private ChunkRecords(CodeChunk?[] chunks, int[] kinds, int[] traits, int[] startLines, int[] endLines, int[] groupHeads,
        byte[]? section = null, int startsAt = 0, int utf8At = 0, IChunkTextSource? texts = null)
    {
        _chunks = chunks;
        _kinds = kinds;
        _traits = traits;
        _startLines = startLines;
        _endLines = endLines;
        _groupHeads = groupHeads;
        _section = section;
        _startsAt = startsAt;
        _utf8At = utf8At;
        _texts = texts;
    }

    /// <summary>Number of chunks.</summary>
    public int Count => _chunks.Length;

    /// <summary>The chunk at <paramref name="ordinal"/>, decoded on first use.</summary>
    public CodeChunk this[int ordinal] => Volatile.Read(ref _chunks[ordinal]) ?? Decode(ordinal);

    /// <summary>How many chunks are decoded so far (tests check that a search decodes only what it shows).</summary>
    internal int DecodedCount => _chunks.Count(static c => c is not null);

    /// <summary>Every chunk, decoded on first use (library callers that walk all chunks; search does not).</summary>
    public ImmutableArray<CodeChunk> All
    {
        get
        {
            if (_all.IsDefault)
            {
                var all = new CodeChunk[Count];
                for (var i = 0; i < all.Length; i++)
                {
                    all[i] = this[i];
                }

                ImmutableInterlocked.InterlockedInitialize(ref _all, ImmutableCollectionsMarshal.AsImmutableArray(all));
            }

            return _all;
        }
    }

    public SymbolKind Kind(int ordinal) => (SymbolKind)_kinds[ordinal];

    public SymbolTraits Traits(int ordinal) => (SymbolTraits)_traits[ordinal];

    public int StartLine(int ordinal) => _startLines[ordinal];

    public int EndLine(int ordinal) => _endLines[ordinal];

    /// <summary>
    /// The ordinal of the first part (lowest <see cref="CodeChunk.PartIndex"/>, then lowest ordinal) of the definition
    /// the chunk belongs to, by <see cref="CodeIndex.GroupKey"/>; the chunk itself when it stands alone.
    /// </summary>
    public int GroupHead(int ordinal) => _groupHeads[ordinal];

    public string Path(int ordinal) => _chunks[ordinal]?.Path ?? String(ordinal, PathField)!;

    public string Language(int ordinal) => _chunks[ordinal]?.Language ?? String(ordinal, LanguageField)!;

    public string? SymbolName(int ordinal) => _chunks[ordinal] is { } chunk ? chunk.SymbolName : String(ordinal, SymbolNameField);

    /// <summary>Records of chunks built in memory (all decoded already).</summary>
    /// <param name="chunks">The chunks, in index order.</param>
    /// <param name="groupHeads">The first part of each chunk's definition when the caller has them (tests); else computed from the ids.</param>
    public static ChunkRecords FromChunks(ImmutableArray<CodeChunk> chunks, int[]? groupHeads = null)
    {
        var count = chunks.Length;
        var kinds = new int[count];
        var traits = new int[count];
        var startLines = new int[count];
        var endLines = new int[count];
        for (var i = 0; i < count; i++)
        {
            kinds[i] = (int)chunks[i].SymbolKind;
            traits[i] = (int)chunks[i].Traits;
            startLines[i] = chunks[i].StartLine;
            endLines[i] = chunks[i].EndLine;
        }

        var records = new ChunkRecords(chunks.ToArray(), kinds, traits, startLines, endLines, groupHeads ?? GroupHeads(chunks));
        records._all = chunks;
        return records;
    }

    private static int[] GroupHeads(ImmutableArray<CodeChunk> chunks)
    {
        var heads = new Dictionary<string, int>(StringComparer.Ordinal);
        var keys = new string[chunks.Length];
        for (var i = 0; i < chunks.Length; i++)
        {
            keys[i] = CodeIndex.GroupKey(chunks[i].Id);
            if (!heads.TryGetValue(keys[i], out var head) || chunks[i].PartIndex < chunks[head].PartIndex)
            {
                heads[keys[i]] = i;
            }
        }

        var groupHeads = new int[chunks.Length];
        for (var i = 0; i < chunks.Length; i++)
        {
            groupHeads[i] = heads[keys[i]];
        }

        return groupHeads;
    }

    /// <summary>
    /// Writes the records in the file form; <paramref name="textLengths"/> are the UTF-8 byte lengths of every chunk's
    /// three texts in the texts section (embedding, lexical, display; chunk after chunk).
    /// </summary>
    public void Write(BinaryWriter writer, int[] textLengths)
    {
        var count = Count;
        writer.Write(count);
        var chunks = All;
        WriteColumn(c => (int)c.SymbolKind);
        WriteColumn(c => c.Location.StartLine);
        WriteColumn(c => c.Location.EndLine);
        WriteColumn(c => c.Location.StartByte);
        WriteColumn(c => c.Location.EndByte);
        WriteColumn(c => c.PartIndex);
        WriteColumn(c => c.PartCount);
        WriteColumn(c => (int)c.Traits);
        WriteColumn(c => c.TokenCount);
        for (var i = 0; i < count; i++)
        {
            writer.Write(_groupHeads[i]);
        }

        WriteColumn(c => (c.SymbolId is null ? NoSymbolId : 0) | (c.SymbolName is null ? NoSymbolName : 0));
        for (var t = 0; t < 3; t++)
        {
            for (var i = 0; i < count; i++)
            {
                writer.Write(textLengths[(3 * i) + t]);
            }
        }

        var utf8 = new MemoryStream();
        var start = 0;
        writer.Write(start);
        foreach (var chunk in chunks)
        {
            foreach (var value in new[] { chunk.Id, chunk.SymbolId?.Value, chunk.SymbolName, chunk.Language, chunk.Location.Path, chunk.ContentHash })
            {
                // The same UTF-8 (lone surrogates replaced) as BinaryWriter.Write(string) in earlier versions.
                var bytes = Encoding.UTF8.GetBytes(value ?? string.Empty);
                utf8.Write(bytes);
                start = checked(start + bytes.Length);
                writer.Write(start);
            }
        }

        writer.Write(utf8.GetBuffer(), 0, (int)utf8.Length);

        void WriteColumn(Func<CodeChunk, int> value)
        {
            foreach (var chunk in chunks)
            {
                writer.Write(value(chunk));
            }
        }
    }

    /// <summary>
    /// Reads records from a verified chunks section of the file form, checking every count, start and ordinal against
    /// the section, so a crafted file cannot index outside it; <paramref name="texts"/> receives the texts' lengths.
    /// </summary>
    public static ChunkRecords Read(byte[] section, ChunkTextStore texts)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Index files are read on little-endian machines only.");
        }

        if (section.Length < 8)
        {
            throw new InvalidDataException("the chunks section is too short");
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(section);
        var startsAt = 4 + ((long)Columns * 4 * count);
        var utf8At = startsAt + (4 * (((long)StringFields * count) + 1));
        if (count < 0 || utf8At > section.Length)
        {
            throw new InvalidDataException($"implausible chunk count {count}");
        }

        var starts = MemoryMarshal.Cast<byte, int>(section.AsSpan((int)startsAt, (int)(utf8At - startsAt)));
        var utf8Length = section.Length - (int)utf8At;
        if (starts[0] != 0 || starts[^1] != utf8Length)
        {
            throw new InvalidDataException("the chunks' strings do not fill the chunks section");
        }

        for (var i = 1; i < starts.Length; i++)
        {
            if (starts[i] < starts[i - 1])
            {
                throw new InvalidDataException("the chunks' strings overlap");
            }
        }

        var groupHeads = Column(GroupHeadColumn);
        if (count > 0 && ((ReadOnlySpan<int>)groupHeads).IndexOfAnyExceptInRange(0, count - 1) >= 0)
        {
            throw new InvalidDataException("a chunk's definition starts at a chunk that does not exist");
        }

        // What decoding a chunk would reject is rejected here, at load, as earlier versions did when they decoded every
        // record: a search must not fail on a record it happens to show.
        var startLines = ColumnSpan(StartLineColumn);
        var endLines = ColumnSpan(EndLineColumn);
        var startBytes = ColumnSpan(StartByteColumn);
        var endBytes = ColumnSpan(EndByteColumn);
        var flags = ColumnSpan(FlagsColumn);
        var utf8 = section.AsSpan((int)utf8At);
        for (var i = 0; i < count; i++)
        {
            if (startLines[i] < 1 || endLines[i] < startLines[i] || startBytes[i] < 0 || endBytes[i] < startBytes[i])
            {
                throw new InvalidDataException($"chunk {i} has an invalid line or byte span");
            }

            var field = (StringFields * i) + PathField;
            if (starts[field + 1] == starts[field])
            {
                throw new InvalidDataException($"chunk {i} has no path");
            }

            field = (StringFields * i) + SymbolIdField;
            if ((flags[i] & NoSymbolId) == 0 && !SymbolId.IsValid(utf8[starts[field]..starts[field + 1]]))
            {
                throw new InvalidDataException($"chunk {i} has an invalid symbol id");
            }
        }

        var lengths = new int[3 * count];
        for (var t = 0; t < 3; t++)
        {
            var column = ColumnSpan(EmbeddingLengthColumn + t);
            if (count > 0 && column.IndexOfAnyInRange(int.MinValue, -1) >= 0)
            {
                throw new InvalidDataException("a chunk's text has a negative length");
            }

            for (var i = 0; i < count; i++)
            {
                lengths[(3 * i) + t] = column[i];
            }
        }

        texts.SetLengths(lengths);
        return new ChunkRecords(new CodeChunk?[count], Column(KindColumn), Column(TraitsColumn), Column(StartLineColumn), Column(EndLineColumn), groupHeads,
            section, (int)startsAt, (int)utf8At, texts);

        ReadOnlySpan<int> ColumnSpan(int column) => MemoryMarshal.Cast<byte, int>(section.AsSpan(4 + (column * 4 * count), 4 * count));

        int[] Column(int column) => ColumnSpan(column).ToArray();
    }

    private int Int(int ordinal, int column) =>
        BinaryPrimitives.ReadInt32LittleEndian(_section.AsSpan(4 + (((column * Count) + ordinal) * 4)));

    /// <summary>A string of a chunk read from a file; <c>null</c> when the flags say so.</summary>
    private string? String(int ordinal, int field)
    {
        var flags = Int(ordinal, FlagsColumn);
        if ((field == SymbolIdField && (flags & NoSymbolId) != 0) || (field == SymbolNameField && (flags & NoSymbolName) != 0))
        {
            return null;
        }

        var starts = MemoryMarshal.Cast<byte, int>(_section.AsSpan(_startsAt + (((StringFields * ordinal) + field) * 4), 8));
        return Encoding.UTF8.GetString(_section!, _utf8At + starts[0], starts[1] - starts[0]);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private CodeChunk Decode(int ordinal)
    {
        var symbolId = String(ordinal, SymbolIdField);
        var location = new SourceLocation(String(ordinal, PathField)!, _startLines[ordinal], _endLines[ordinal],
            Int(ordinal, StartByteColumn), Int(ordinal, EndByteColumn));
        var chunk = new CodeChunk(String(ordinal, IdField)!, String(ordinal, LanguageField)!, location, String(ordinal, ContentHashField)!, _texts!, ordinal)
        {
            SymbolId = symbolId is null ? null : Graph.SymbolId.Parse(symbolId),
            SymbolName = String(ordinal, SymbolNameField),
            SymbolKind = Kind(ordinal),
            PartIndex = Int(ordinal, PartIndexColumn),
            PartCount = Int(ordinal, PartCountColumn),
            Traits = Traits(ordinal),
            TokenCount = Int(ordinal, TokenCountColumn),
        };

        return Interlocked.CompareExchange(ref _chunks[ordinal], chunk, null) ?? chunk;
    }
}
