using System.Linq.Expressions;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.VectorData;
using StructuralChunking.Embeddings;
using StructuralChunking.Tests.Support;
using StructuralChunking.TreeSitter;
using StructuralChunking.VectorData;

namespace StructuralChunking.Tests.VectorData;

/// <summary>Chunks into a Microsoft.Extensions.VectorData collection: written once, then only what changed.</summary>
public sealed class CodeChunkVectorSyncTests
{
    [Fact]
    public async Task A_sync_fills_the_collection_writes_only_changed_chunks_and_deletes_removed_ones_of_its_own_code_base()
    {
        using var repo = new TempDirectory();
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.Fixture("python", "auth")))
        {
            File.Copy(file, Path.Combine(repo.Path, Path.GetFileName(file)));
        }

        var engine = new CodeSearchEngine(new CodeSearchEngineOptions { Embedder = new HashingEmbeddingGenerator(), FrontEnds = { new TreeSitterFrontEnd() } });
        using var output = new TempDirectory();
        var options = new IndexingOptions { IndexPath = Path.Combine(output.Path, "index.scidx") };
        var first = await engine.IndexAsync(repo.Path, options);
        using var collection = new DictionaryCollection();
        collection.Records["other"] = new CodeChunkRecord { Key = "other", CodeBase = "someone-else", Embedding = new float[first.Index.Metadata.Dimensions] };

        var sync = await CodeChunkVectorSync.SyncAsync(collection, "auth@main", first.Index);
        Assert.Equal(first.ChunkCount, sync.Written);
        Assert.Equal(first.ChunkCount + 1, collection.Records.Count);
        Assert.Equal(0, (await CodeChunkVectorSync.SyncAsync(collection, "auth@main", first.Index)).Written);

        // The collection's own vector search finds the chunk the index finds first.
        var query = "decode and check a jwt";
        var expected = (await engine.SearchAsync(first.Index, query, new StructuralChunking.Search.SearchOptions { Mode = StructuralChunking.Search.SearchMode.Dense }))[0];
        var vector = (await engine.Embedder.GenerateAsync([query]))[0].Vector;
        var found = await collection.SearchAsync(vector, 1, new VectorSearchOptions<CodeChunkRecord> { Filter = r => r.CodeBase == "auth@main" }).ToListAsync();
        Assert.Equal(expected.Chunk.Id, Assert.Single(found).Record.ChunkId);

        var removed = first.Index.Chunks.Select(c => c.Path).Distinct().Order(StringComparer.Ordinal).First();
        File.Delete(Path.Combine(repo.Path, removed));
        var second = await engine.IndexAsync(repo.Path, options);
        var again = await CodeChunkVectorSync.SyncAsync(collection, "auth@main", second.Index);
        Assert.Equal(first.Index.Chunks.Count(c => c.Path == removed), again.Deleted);
        Assert.Equal(second.ChunkCount, again.Written + again.Unchanged);
        Assert.DoesNotContain(collection.Records.Values, r => r.Path == removed);
        Assert.Contains("other", collection.Records.Keys);
    }

    /// <summary>A minimal in-memory collection: the contract a real connector implements, nothing more.</summary>
    private sealed class DictionaryCollection : VectorStoreCollection<string, CodeChunkRecord>
    {
        public Dictionary<string, CodeChunkRecord> Records { get; } = [];

        public override string Name => "chunks";

        public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);

        public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default)
        {
            Records.Clear();
            return Task.CompletedTask;
        }

        public override Task<CodeChunkRecord?> GetAsync(string key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(Records.GetValueOrDefault(key));

        public override async IAsyncEnumerable<CodeChunkRecord> GetAsync(Expression<Func<CodeChunkRecord, bool>> filter, int top,
            FilteredRecordRetrievalOptions<CodeChunkRecord>? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            foreach (var record in Records.Values.Where(filter.Compile()).OrderBy(r => r.Key, StringComparer.Ordinal).Skip(options?.Skip ?? 0).Take(top))
            {
                yield return record;
            }
        }

        public override Task DeleteAsync(string key, CancellationToken cancellationToken = default)
        {
            Records.Remove(key);
            return Task.CompletedTask;
        }

        public override Task UpsertAsync(CodeChunkRecord record, CancellationToken cancellationToken = default)
        {
            Records[record.Key] = record;
            return Task.CompletedTask;
        }

        public override Task UpsertAsync(IEnumerable<CodeChunkRecord> records, CancellationToken cancellationToken = default)
        {
            foreach (var record in records)
            {
                Records[record.Key] = record;
            }

            return Task.CompletedTask;
        }

        public override async IAsyncEnumerable<VectorSearchResult<CodeChunkRecord>> SearchAsync<TInput>(TInput searchValue, int top,
            VectorSearchOptions<CodeChunkRecord>? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            var query = searchValue is ReadOnlyMemory<float> memory ? memory : throw new NotSupportedException(typeof(TInput).Name);
            var filter = options?.Filter?.Compile() ?? (_ => true);
            foreach (var (record, score) in Records.Values.Where(filter)
                .Select(r => (r, (double)TensorPrimitives.CosineSimilarity(query.Span, r.Embedding.Span)))
                .OrderByDescending(p => p.Item2).ThenBy(p => p.r.Key, StringComparer.Ordinal).Take(top))
            {
                yield return new VectorSearchResult<CodeChunkRecord>(record, score);
            }
        }

        public override object? GetService(Type serviceType, object? serviceKey = null) => null;
    }
}
