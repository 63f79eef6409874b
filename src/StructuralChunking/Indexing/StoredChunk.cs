using StructuralChunking.Chunking;

namespace StructuralChunking.Indexing;

/// <summary>
/// One chunk of an index as a store keeps it: the chunk, its embedding, and its place in the code graph (role and
/// relations, by chunk id), so that the store can hand it back for ranking with <see cref="StoredChunks.ToIndex"/>.
/// </summary>
public sealed record StoredChunk
{
    /// <summary>The chunk.</summary>
    public required CodeChunk Chunk { get; init; }

    /// <summary>Its embedding, unit length.</summary>
    public required float[] Vector { get; init; }

    /// <summary>What the definition does for graph ranking (an opaque code the index computed; stores keep it as it is).</summary>
    public int Role { get; init; }

    /// <summary>The definitions related to this one (for the first chunk of a definition; empty for the others), in the index's order.</summary>
    public IReadOnlyList<StoredChunkRelation> Relations { get; init; } = [];

    /// <summary>
    /// The simple name of the chunk's symbol (<c>PlaceOrder</c> for <c>Shop.OrderService.PlaceOrder(Order)</c>), as search
    /// matches names a query spells out; <c>null</c> without a symbol. Stores index it to find those matches.
    /// </summary>
    public string? SimpleName => Chunk.SymbolName is { } name ? CodeIndex.SimpleName(name) : null;

    /// <summary>
    /// The definition the chunk belongs to: the parts of a split definition share it, and a store must return all of
    /// them together (see <see cref="StoredChunks.ToIndex"/>).
    /// </summary>
    public string GroupKey => CodeIndex.GroupKey(Chunk.Id);

    /// <summary>
    /// A hash of everything stored for the chunk (its fields, texts, content hash, role and relations): when it is
    /// unchanged, the stored row is up to date and need not be written again.
    /// </summary>
    public string Fingerprint => StoredChunks.FingerprintOf(this);
}

/// <summary>A relation from a definition to another, by the other's chunk id.</summary>
/// <param name="TargetChunkId">The related definition's first chunk.</param>
/// <param name="Kind">How it is related (an opaque code the index computed; stores keep it as it is).</param>
public readonly record struct StoredChunkRelation(string TargetChunkId, int Kind);
