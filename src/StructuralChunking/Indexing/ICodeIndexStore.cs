using StructuralChunking.Search;

namespace StructuralChunking.Indexing;

/// <summary>
/// Where one code base's index lives when it is not the local index file: a database table, a vector store. The engine
/// still does all the indexing work (discovery, front ends, chunking, redaction, embedding reuse by content hash) and
/// hands the finished <see cref="CodeIndex"/> to <see cref="WriteAsync"/>; the store only keeps it and searches it.
/// </summary>
/// <remarks>
/// A store must answer a search the way <see cref="CodeIndex"/> does (same hybrid fusion, graph ranking and threshold).
/// The simplest way is to select candidates itself and let <see cref="StoredChunks.ToIndex"/> rank them.
/// Implementations are expected to be thread-safe.
/// </remarks>
public interface ICodeIndexStore
{
    /// <summary>Where the index is, for messages (never with credentials).</summary>
    string Description { get; }

    /// <summary>The metadata of the stored index, or <c>null</c> when nothing is stored yet.</summary>
    Task<IndexMetadata?> ReadMetadataAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stored embeddings by chunk content hash, for the hashes asked for that the store holds (unit length, as
    /// <see cref="FlatVectorIndex"/> keeps them), so that unchanged chunks are not embedded again.
    /// </summary>
    Task<IReadOnlyDictionary<string, float[]>> ReadEmbeddingsAsync(IReadOnlyCollection<string> contentHashes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the stored index equal to <paramref name="index"/>, writing only what changed, atomically: a reader sees the
    /// old index or the new one, never a mix.
    /// </summary>
    Task<StoreSyncResult> WriteAsync(CodeIndex index, CancellationToken cancellationToken = default);

    /// <summary>Searches the stored index with an already embedded query (empty in lexical mode).</summary>
    /// <returns>The results; empty when nothing scores above the minimum score or nothing is stored.</returns>
    Task<IReadOnlyList<SearchResult>> SearchAsync(string query, ReadOnlyMemory<float> queryVector, SearchOptions options, CancellationToken cancellationToken = default);
}

/// <summary>What a <see cref="ICodeIndexStore.WriteAsync"/> changed.</summary>
public sealed record StoreSyncResult
{
    /// <summary>Chunks inserted or replaced.</summary>
    public int Written { get; init; }

    /// <summary>Chunks deleted (their files are gone, or their definitions changed identity).</summary>
    public int Deleted { get; init; }

    /// <summary>Chunks left as they were.</summary>
    public int Unchanged { get; init; }
}
