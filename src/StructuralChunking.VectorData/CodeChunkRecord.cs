using Microsoft.Extensions.VectorData;

namespace StructuralChunking.VectorData;

/// <summary>
/// A chunk as a record of any <see cref="VectorStoreCollection{TKey, TRecord}"/>: its embedding, the texts to show and
/// to match, where it is, and what it presents. Create the collection with <see cref="CreateDefinition"/> (the
/// embedding's dimension depends on the model) and fill it with <see cref="CodeChunkVectorSync"/>.
/// </summary>
public sealed class CodeChunkRecord
{
    /// <summary>The record key: a hash of <see cref="CodeBase"/> and <see cref="ChunkId"/> (32 hex digits, valid in every connector that takes string keys).</summary>
    public string Key { get; set; } = "";

    /// <summary>The code base the chunk belongs to (for example <c>github.com/org/repo@main</c>); filter on it to search one code base.</summary>
    public string CodeBase { get; set; } = "";

    /// <summary>The chunk's stable id in its index.</summary>
    public string ChunkId { get; set; } = "";

    /// <summary>Path of the source file, relative to the indexed root.</summary>
    public string Path { get; set; } = "";

    /// <summary>Language id.</summary>
    public string Language { get; set; } = "";

    /// <summary>Qualified name of the symbol the chunk presents; empty for file-level code.</summary>
    public string SymbolName { get; set; } = "";

    /// <summary>Kind of that symbol (<c>Method</c>, <c>Class</c>, …).</summary>
    public string SymbolKind { get; set; } = "";

    /// <summary>1-based first line.</summary>
    public int StartLine { get; set; }

    /// <summary>1-based last line, inclusive.</summary>
    public int EndLine { get; set; }

    /// <summary>The exact source lines, to show.</summary>
    public string Text { get; set; } = "";

    /// <summary>The text that was embedded: a header with path, scope, words, callers and callees, then the code.</summary>
    public string EmbeddingText { get; set; } = "";

    /// <summary>Identifiers and their split words, for the store's full-text search where it has one.</summary>
    public string LexicalText { get; set; } = "";

    /// <summary>A hash of everything stored for the chunk; an unchanged fingerprint means the record need not be written again.</summary>
    public string Fingerprint { get; set; } = "";

    /// <summary>The embedding (unit length; compare by cosine).</summary>
    public ReadOnlyMemory<float> Embedding { get; set; }

    /// <summary>The collection definition for records of <paramref name="dimensions"/>-dimensional embeddings (the index's model decides it).</summary>
    public static VectorStoreCollectionDefinition CreateDefinition(int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        return new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty(nameof(Key), typeof(string)),
                new VectorStoreDataProperty(nameof(CodeBase), typeof(string)) { IsIndexed = true },
                new VectorStoreDataProperty(nameof(ChunkId), typeof(string)),
                new VectorStoreDataProperty(nameof(Path), typeof(string)) { IsIndexed = true },
                new VectorStoreDataProperty(nameof(Language), typeof(string)) { IsIndexed = true },
                new VectorStoreDataProperty(nameof(SymbolName), typeof(string)),
                new VectorStoreDataProperty(nameof(SymbolKind), typeof(string)) { IsIndexed = true },
                new VectorStoreDataProperty(nameof(StartLine), typeof(int)),
                new VectorStoreDataProperty(nameof(EndLine), typeof(int)),
                new VectorStoreDataProperty(nameof(Text), typeof(string)),
                new VectorStoreDataProperty(nameof(EmbeddingText), typeof(string)),
                new VectorStoreDataProperty(nameof(LexicalText), typeof(string)) { IsFullTextIndexed = true },
                new VectorStoreDataProperty(nameof(Fingerprint), typeof(string)),
                new VectorStoreVectorProperty(nameof(Embedding), typeof(ReadOnlyMemory<float>), dimensions) { DistanceFunction = DistanceFunction.CosineSimilarity },
            ],
        };
    }
}
