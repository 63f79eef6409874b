using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.VectorData;
using StructuralChunking.Indexing;

namespace StructuralChunking.VectorData;

/// <summary>
/// Writes an index's chunks into a <see cref="VectorStoreCollection{TKey, TRecord}"/> of <see cref="CodeChunkRecord"/>s,
/// so a user of any Microsoft.Extensions.VectorData connector (Qdrant, Azure AI Search, PostgreSQL, Redis…) gets the
/// same chunks and embeddings. Only records whose fingerprint changed are written; records of the code base whose chunk
/// is gone are deleted.
/// </summary>
/// <remarks>
/// VectorData has no transactions: a reader may see a code base while it is being synced (upserts first, deletions last,
/// so a chunk is never missing that exists before and after). Ranking in the collection is the connector's vector
/// search, not this library's hybrid ranking; use <see cref="ICodeIndexStore"/> stores for that.
/// </remarks>
public static class CodeChunkVectorSync
{
    /// <summary>Records read or written at once.</summary>
    public const int BatchSize = 256;

    /// <summary>The record of one chunk of <paramref name="codeBase"/>.</summary>
    public static CodeChunkRecord ToRecord(string codeBase, StoredChunk chunk)
    {
        ArgumentException.ThrowIfNullOrEmpty(codeBase);
        ArgumentNullException.ThrowIfNull(chunk);
        var c = chunk.Chunk;
        return new CodeChunkRecord
        {
            Key = KeyOf(codeBase, c.Id),
            CodeBase = codeBase,
            ChunkId = c.Id,
            Path = c.Path,
            Language = c.Language,
            SymbolName = c.SymbolName ?? "",
            SymbolKind = c.SymbolKind.ToString(),
            StartLine = c.StartLine,
            EndLine = c.EndLine,
            Text = c.DisplayText,
            EmbeddingText = c.EmbeddingText,
            LexicalText = c.LexicalText,
            Fingerprint = chunk.Fingerprint,
            Embedding = chunk.Vector,
        };
    }

    /// <summary>The key of chunk <paramref name="chunkId"/> of <paramref name="codeBase"/>.</summary>
    public static string KeyOf(string codeBase, string chunkId) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(codeBase + "\n" + chunkId)), 0, 16).ToLowerInvariant();

    /// <summary>
    /// Makes the records of <paramref name="codeBase"/> in <paramref name="collection"/> equal to <paramref name="index"/>'s
    /// chunks (creating the collection when missing), writing only what changed.
    /// </summary>
    /// <param name="collection">A collection created with <see cref="CodeChunkRecord.CreateDefinition"/> for the index's dimension.</param>
    /// <param name="codeBase">The code base key (for example the repository and branch).</param>
    /// <param name="index">The index to export.</param>
    /// <param name="cancellationToken">Stops the sync between batches.</param>
    public static async Task<StoreSyncResult> SyncAsync(VectorStoreCollection<string, CodeChunkRecord> collection, string codeBase, CodeIndex index,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentException.ThrowIfNullOrEmpty(codeBase);
        ArgumentNullException.ThrowIfNull(index);
        await collection.EnsureCollectionExistsAsync(cancellationToken).ConfigureAwait(false);

        var existing = new Dictionary<string, string>(StringComparer.Ordinal);
        var options = new FilteredRecordRetrievalOptions<CodeChunkRecord> { IncludeVectors = false };
        for (var skip = 0; ; skip += BatchSize)
        {
            options.Skip = skip;
            var page = 0;
            await foreach (var record in collection.GetAsync(r => r.CodeBase == codeBase, BatchSize, options, cancellationToken).ConfigureAwait(false))
            {
                existing[record.Key] = record.Fingerprint;
                page++;
            }

            if (page < BatchSize)
            {
                break;
            }
        }

        var records = StoredChunks.FromIndex(index).Select(c => ToRecord(codeBase, c)).ToList();
        var changed = records.Where(r => !existing.TryGetValue(r.Key, out var fingerprint) || fingerprint != r.Fingerprint).ToList();
        for (var start = 0; start < changed.Count; start += BatchSize)
        {
            await collection.UpsertAsync(changed.Skip(start).Take(BatchSize), cancellationToken).ConfigureAwait(false);
        }

        var wanted = records.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var gone = existing.Keys.Where(k => !wanted.Contains(k)).ToList();
        for (var start = 0; start < gone.Count; start += BatchSize)
        {
            await collection.DeleteAsync(gone.Skip(start).Take(BatchSize), cancellationToken).ConfigureAwait(false);
        }

        return new StoreSyncResult { Written = changed.Count, Deleted = gone.Count, Unchanged = records.Count - changed.Count };
    }
}
