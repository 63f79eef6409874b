using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Cryptography;
using StructuralChunking.Graph;
using StructuralChunking.Roslyn.Internal;

namespace StructuralChunking.Roslyn;

/// <summary>
/// Remembers what each C# document contributed to the graph, so a later load re-binds only the documents that
/// changed. Pass it in <see cref="CSharpGraphOptions.Cache"/>; save it after the load and load it next time.
/// </summary>
/// <remarks>
/// <para><b>When a document is reused.</b> Its text is byte-for-byte the same and the declarations it can see are
/// the same: every declaration and using directive of its project and the projects it references (bodies and comments
/// excluded), and the same metadata references. Editing a method body or a comment therefore re-binds one document;
/// changing a signature, adding a type or changing a package re-binds the project and those that depend on it.</para>
/// <para><b>On disk</b> the cache is one binary file with a version, the options that shape extraction, and a SHA-256
/// trailer; it is written atomically. A missing, corrupt or foreign file is an empty cache, never an error: at worst
/// everything is bound again.</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class CSharpGraphCache
{
    // Bump when DocumentGraphExtractor's output changes for the same input, so old entries are not reused
    // (3: more generator markers make more documents' symbols Generated).
    private const int ExtractorVersion = 3;
    private const uint Magic = 0x47524353; // "SCRG"
    private const int FormatVersion = 1;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Creates an empty cache.</summary>
    public CSharpGraphCache()
    {
    }

    /// <summary>How many documents the cache holds.</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// Reads a cache saved by <see cref="Save"/>. A missing file gives an empty cache; so does an unreadable, corrupt or
    /// incompatible one, with the reason in <paramref name="problem"/>.
    /// </summary>
    public static CSharpGraphCache Load(string path, out string? problem)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        problem = null;
        var cache = new CSharpGraphCache();
        if (!File.Exists(path))
        {
            return cache;
        }

        try
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length < 32 || !SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
            {
                problem = $"C# graph cache {path} is corrupt or truncated; binding every document again.";
                return cache;
            }

            using var reader = new BinaryReader(new MemoryStream(bytes, 0, bytes.Length - 32));
            if (reader.ReadUInt32() != Magic || reader.ReadInt32() != FormatVersion || reader.ReadInt32() != ExtractorVersion)
            {
                problem = $"C# graph cache {path} is from another version; binding every document again.";
                return cache;
            }

            var count = reader.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var path_ = reader.ReadString();
                var entry = new Entry(reader.ReadString(), reader.ReadString(), reader.ReadString(), ReadDocument(reader));
                cache._entries[path_] = entry;
            }

            return cache;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EndOfStreamException or FormatException or ArgumentException)
        {
            problem = $"C# graph cache {path} cannot be read ({e.Message}); binding every document again.";
            return new CSharpGraphCache();
        }
    }

    /// <summary>Writes the cache atomically (temporary file, flush, rename).</summary>
    /// <exception cref="IOException">The file cannot be written; a previous file at <paramref name="path"/> is left as it was.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(ExtractorVersion);
            var entries = _entries.OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
            writer.Write(entries.Count);
            foreach (var (documentPath, entry) in entries)
            {
                writer.Write(documentPath);
                writer.Write(entry.TextHash);
                writer.Write(entry.Declarations);
                writer.Write(entry.OptionsKey);
                WriteDocument(writer, entry.Graph);
            }
        }

        var body = buffer.ToArray();
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }

            // Owner-only, like the index: the cache holds names and documentation from the source.
            using (var file = new FileStream(temporary, Indexing.PrivateFile.CreateNew))
            {
                file.Write(body);
                file.Write(SHA256.HashData(body));
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    internal DocumentGraph? TryGet(string relativePath, string textHash, string declarations, string optionsKey)
    {
        if (_entries.TryGetValue(relativePath, out var entry)
            && entry.TextHash == textHash && entry.Declarations == declarations && entry.OptionsKey == optionsKey)
        {
            return entry.Graph;
        }

        return null;
    }

    internal void Set(string relativePath, string textHash, string declarations, string optionsKey, DocumentGraph graph) =>
        _entries[relativePath] = new Entry(textHash, declarations, optionsKey, graph);

    // Documents the last load did not see (deleted, renamed) are dropped so the file does not grow forever.
    internal void RetainOnly(IReadOnlySet<string> relativePaths)
    {
        foreach (var key in _entries.Keys)
        {
            if (!relativePaths.Contains(key))
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    private static void WriteDocument(BinaryWriter writer, DocumentGraph graph)
    {
        writer.Write(graph.SyntaxErrorCount);
        writer.Write(graph.ByteLength);
        writer.Write(graph.Symbols.Count);
        foreach (var symbol in graph.Symbols)
        {
            writer.Write(symbol.Id.Value);
            writer.Write(symbol.Name);
            writer.Write(symbol.QualifiedName);
            writer.Write((int)symbol.Kind);
            writer.Write(symbol.Language);
            WriteLocation(writer, symbol.Location);
            writer.Write(symbol.AdditionalLocations.Length);
            foreach (var location in symbol.AdditionalLocations)
            {
                WriteLocation(writer, location);
            }

            // Stored on disk like the index, so held to the same rule: no secret from a signature or doc comment.
            WriteOptional(writer, symbol.Signature is null ? null : Security.SecretRedactor.Replace(symbol.Signature, out _));
            WriteOptional(writer, symbol.Documentation is null ? null : Security.SecretRedactor.Replace(symbol.Documentation, out _));
            WriteOptional(writer, symbol.ParentId?.Value);
            writer.Write((int)symbol.Traits);
        }

        writer.Write(graph.Edges.Count);
        foreach (var edge in graph.Edges)
        {
            writer.Write(edge.From.Value);
            writer.Write(edge.To.Value);
            writer.Write((int)edge.Kind);
            writer.Write(edge.Weight);
        }
    }

    private static DocumentGraph ReadDocument(BinaryReader reader)
    {
        var graph = new DocumentGraph { SyntaxErrorCount = reader.ReadInt32(), ByteLength = reader.ReadInt32() };
        var symbols = reader.ReadInt32();
        for (var i = 0; i < symbols; i++)
        {
            var id = SymbolId.Parse(reader.ReadString());
            var name = reader.ReadString();
            var qualifiedName = reader.ReadString();
            var kind = (SymbolKind)reader.ReadInt32();
            var language = reader.ReadString();
            var location = ReadLocation(reader);
            var additional = ImmutableArray.CreateBuilder<SourceLocation>(reader.ReadInt32());
            for (var j = 0; j < additional.Capacity; j++)
            {
                additional.Add(ReadLocation(reader) ?? throw new FormatException("An additional location is empty."));
            }

            graph.Symbols.Add(new CodeSymbol
            {
                Id = id,
                Name = name,
                QualifiedName = qualifiedName,
                Kind = kind,
                Language = language,
                Location = location,
                AdditionalLocations = additional.MoveToImmutable(),
                Signature = ReadOptional(reader),
                Documentation = ReadOptional(reader),
                ParentId = ReadOptional(reader) is { } parent ? SymbolId.Parse(parent) : null,
                Traits = (SymbolTraits)reader.ReadInt32(),
            });
        }

        var edges = reader.ReadInt32();
        for (var i = 0; i < edges; i++)
        {
            graph.Edges.Add(new CodeEdge(SymbolId.Parse(reader.ReadString()), SymbolId.Parse(reader.ReadString()), (EdgeKind)reader.ReadInt32(), reader.ReadSingle()));
        }

        return graph;
    }

    private static void WriteLocation(BinaryWriter writer, SourceLocation? location)
    {
        writer.Write(location.HasValue);
        if (location is { } value)
        {
            writer.Write(value.Path);
            writer.Write(value.StartLine);
            writer.Write(value.EndLine);
            writer.Write(value.StartByte);
            writer.Write(value.EndByte);
        }
    }

    private static SourceLocation? ReadLocation(BinaryReader reader) =>
        reader.ReadBoolean() ? new SourceLocation(reader.ReadString(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32()) : null;

    private static void WriteOptional(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    private static string? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    private sealed record Entry(string TextHash, string Declarations, string OptionsKey, DocumentGraph Graph);
}
