using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Pgvector;
using StructuralChunking.Chunking;
using StructuralChunking.Graph;
using StructuralChunking.Indexing;
using StructuralChunking.Search;

namespace StructuralChunking.Postgres;

/// <summary>
/// The index of one code base (a repository and branch) in a <see cref="PostgresCodeIndexStore"/>.
/// </summary>
/// <remarks>
/// <para><b>Sync.</b> <see cref="WriteAsync"/> compares each chunk's <see cref="StoredChunk.Fingerprint"/> with the stored
/// one and writes only chunks that are new or changed, deletes those that are gone, and updates the metadata, all in one
/// transaction that first locks this code base's row: writers of the same code base take turns, writers of other code
/// bases do not wait.</para>
/// <para><b>Search.</b> In one repeatable-read snapshot, PostgreSQL selects the candidates (the best by cosine through the
/// HNSW index or exactly, the best by BM25 computed from stored term frequencies with the index's k1, b and tokenizer,
/// the chunks whose name the query spells out, their graph neighbours and the other parts of their definitions); the
/// core's <see cref="StoredChunks.ToIndex"/> then ranks them with the same code as an index file.</para>
/// </remarks>
public sealed class PostgresCodeBase : ICodeIndexStore
{
    private const int InsertBatch = 200;
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    private readonly PostgresCodeIndexStore _store;
    private readonly string _schema;

    internal PostgresCodeBase(PostgresCodeIndexStore store, string repository, string branch)
    {
        _store = store;
        _schema = store.Options.Schema;
        Repository = repository;
        Branch = branch;
    }

    /// <summary>The repository key.</summary>
    public string Repository { get; }

    /// <summary>The branch key.</summary>
    public string Branch { get; }

    /// <inheritdoc />
    public string Description => $"{_store.Description} ({Repository}@{Branch})";

    /// <inheritdoc />
    public async Task<IndexMetadata?> ReadMetadataAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return (await ReadCodeBaseAsync(connection, null, cancellationToken).ConfigureAwait(false))?.Metadata;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, float[]>> ReadEmbeddingsAsync(IReadOnlyCollection<string> contentHashes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contentHashes);
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            $"""
            select distinct on (c.content_hash) c.content_hash, c.embedding
            from {_schema}.chunks c join {_schema}.code_bases b on b.id = c.code_base_id
            where b.repository = @repository and b.branch = @branch and c.content_hash = any(@hashes)
            """, connection);
        command.Parameters.AddWithValue("repository", Repository);
        command.Parameters.AddWithValue("branch", Branch);
        command.Parameters.AddWithValue("hashes", contentHashes.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result[reader.GetString(0)] = reader.GetFieldValue<Vector>(1).ToArray();
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<StoreSyncResult> WriteAsync(CodeIndex index, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        var stored = StoredChunks.FromIndex(index);
        var dimensions = index.Metadata.Dimensions;
        await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await PostgresSchema.EnsureVectorIndexAsync(connection, _schema, dimensions, cancellationToken).ConfigureAwait(false);

        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        var metadataJson = JsonSerializer.Serialize(index.Metadata, JsonOptions);
        long codeBaseId;
        string storedModel;
        int storedDimensions;
        await ExecuteAsync(connection, transaction,
            $"insert into {_schema}.code_bases (repository, branch, model_id, dimensions, metadata) values (@repository, @branch, @model, @dimensions, @metadata) on conflict (repository, branch) do nothing",
            cancellationToken, ("repository", Repository), ("branch", Branch), ("model", index.Metadata.ModelId), ("dimensions", dimensions), ("metadata", metadataJson)).ConfigureAwait(false);
        await using (var select = new NpgsqlCommand(
            $"select id, model_id, dimensions from {_schema}.code_bases where repository = @repository and branch = @branch for update", connection, transaction))
        {
            select.Parameters.AddWithValue("repository", Repository);
            select.Parameters.AddWithValue("branch", Branch);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            codeBaseId = reader.GetInt64(0);
            storedModel = reader.GetString(1);
            storedDimensions = reader.GetInt32(2);
        }

        var deleted = 0;
        if (storedModel != index.Metadata.ModelId || storedDimensions != dimensions)
        {
            // Vectors of another model are not comparable with these: the code base starts over.
            deleted += await ExecuteAsync(connection, transaction, $"delete from {_schema}.chunks where code_base_id = @id", cancellationToken, ("id", codeBaseId)).ConfigureAwait(false);
        }

        var existing = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var select = new NpgsqlCommand($"select id, fingerprint from {_schema}.chunks where code_base_id = @id", connection, transaction))
        {
            select.Parameters.AddWithValue("id", codeBaseId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                existing[reader.GetString(0)] = reader.GetString(1);
            }
        }

        var wanted = stored.Select(s => s.Chunk.Id).ToHashSet(StringComparer.Ordinal);
        var changed = stored.Where(s => !existing.TryGetValue(s.Chunk.Id, out var fingerprint) || fingerprint != s.Fingerprint).ToList();
        var gone = existing.Keys.Where(id => !wanted.Contains(id)).ToArray();
        var replaced = changed.Where(s => existing.ContainsKey(s.Chunk.Id)).Select(s => s.Chunk.Id).ToArray();
        if (gone.Length + replaced.Length > 0)
        {
            // Term rows go with their chunks (on delete cascade).
            deleted += await ExecuteAsync(connection, transaction, $"delete from {_schema}.chunks where code_base_id = @id and id = any(@ids)", cancellationToken,
                ("id", codeBaseId), ("ids", gone.Concat(replaced).ToArray())).ConfigureAwait(false);
        }

        for (var start = 0; start < changed.Count; start += InsertBatch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await InsertAsync(connection, transaction, codeBaseId, dimensions, changed.GetRange(start, Math.Min(InsertBatch, changed.Count - start)), cancellationToken).ConfigureAwait(false);
        }

        var lexicalLength = stored.Sum(s => (long)StoredChunks.TermFrequencies(s.Chunk).Length);
        await ExecuteAsync(connection, transaction,
            $"update {_schema}.code_bases set model_id = @model, dimensions = @dimensions, metadata = @metadata, chunk_count = @count, lexical_length = @length, updated_utc = now() where id = @id",
            cancellationToken, ("model", index.Metadata.ModelId), ("dimensions", dimensions), ("metadata", metadataJson), ("count", stored.Count), ("length", lexicalLength),
            ("id", codeBaseId)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new StoreSyncResult { Written = changed.Count, Deleted = gone.Length, Unchanged = stored.Count - changed.Count };
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SearchResult>> SearchAsync(string query, ReadOnlyMemory<float> queryVector, SearchOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (string.IsNullOrWhiteSpace(query))
        {
            return [];
        }

        await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // One snapshot for every statement: a sync committing meanwhile is seen entirely or not at all.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        if (await ReadCodeBaseAsync(connection, transaction, cancellationToken).ConfigureAwait(false) is not { } codeBase)
        {
            return [];
        }

        var filter = await FilterAsync(connection, transaction, codeBase.Id, options, cancellationToken).ConfigureAwait(false);
        var pool = options.CandidatePool + _store.Options.CandidateMargin;
        var candidates = new HashSet<string>(StringComparer.Ordinal);
        if (options.Mode != SearchMode.Lexical)
        {
            if (queryVector.Length != codeBase.Metadata.Dimensions)
            {
                throw new ArgumentException($"{options.Mode} search needs a query vector of {codeBase.Metadata.Dimensions} dimensions.", nameof(queryVector));
            }

            candidates.UnionWith(await NearestAsync(connection, transaction, codeBase, queryVector, pool, filter, cancellationToken).ConfigureAwait(false));
        }

        // Document frequencies of the query's words and of their inflections: BM25 needs the former, and the confidence
        // evidence (which words the code base knows at all) both, in every mode.
        var terms = LexicalTokenizer.QueryTerms(query);
        var lookedUp = terms.Concat(terms.Where(t => t.Length >= 4).SelectMany(LexicalTokenizer.InflectedForms)).Distinct(StringComparer.Ordinal).ToList();
        var frequencies = await DocumentFrequenciesAsync(connection, transaction, codeBase.Id, lookedUp, cancellationToken).ConfigureAwait(false);
        if (options.Mode != SearchMode.Dense)
        {
            var corpus = new LexicalStatistics(codeBase.ChunkCount, codeBase.LexicalLength, frequencies);
            candidates.UnionWith(await Bm25Async(connection, transaction, codeBase.Id, terms, corpus, pool, filter, cancellationToken).ConfigureAwait(false));
        }

        if (options.Mode == SearchMode.Hybrid)
        {
            var names = StoredChunks.NameCandidates(query);
            if (names.Count > 0)
            {
                candidates.UnionWith(await IdsAsync(connection, transaction,
                    $"select id from {_schema}.chunks where code_base_id = @id and simple_name = any(@names)", cancellationToken,
                    ("id", codeBase.Id), ("names", names.ToArray())).ConfigureAwait(false));
            }
        }

        // Whole definitions of the candidates, then whole definitions of their graph neighbours (one hop).
        var rows = await ReadGroupsAsync(connection, transaction, codeBase.Id, candidates, cancellationToken).ConfigureAwait(false);
        var present = rows.Select(r => r.Chunk.Id).ToHashSet(StringComparer.Ordinal);
        var neighbours = rows.SelectMany(r => r.Relations).Select(r => r.TargetChunkId).Where(id => !present.Contains(id)).ToHashSet(StringComparer.Ordinal);
        if (neighbours.Count > 0)
        {
            rows.AddRange((await ReadGroupsAsync(connection, transaction, codeBase.Id, neighbours, cancellationToken).ConfigureAwait(false)).Where(r => present.Add(r.Chunk.Id)));
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        var slice = StoredChunks.ToIndex(codeBase.Metadata, rows, new LexicalStatistics(codeBase.ChunkCount, codeBase.LexicalLength, frequencies));
        return slice.Search(query, queryVector.Span, options);
    }

    private async Task<CodeBaseRow?> ReadCodeBaseAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"select id, metadata, chunk_count, lexical_length from {_schema}.code_bases where repository = @repository and branch = @branch", connection, transaction);
        command.Parameters.AddWithValue("repository", Repository);
        command.Parameters.AddWithValue("branch", Branch);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var metadata = JsonSerializer.Deserialize<IndexMetadata>(reader.GetString(1), JsonOptions)
            ?? throw new InvalidOperationException($"The metadata of {Description} is empty.");
        return new CodeBaseRow(reader.GetInt64(0), metadata, reader.GetInt32(2), reader.GetInt64(3));
    }

    /// <summary>The SQL condition (on alias <c>c</c>) and parameters that keep what the options' filters keep.</summary>
    private async Task<(string Sql, List<(string Name, object Value)> Parameters)> FilterAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long codeBaseId,
        SearchOptions options, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder();
        var parameters = new List<(string, object)>();
        if (options.PathGlob is { } glob)
        {
            // The glob is matched by the same code as the index file's, over the code base's paths.
            var paths = await IdsAsync(connection, transaction, $"select distinct path from {_schema}.chunks where code_base_id = @id", cancellationToken, ("id", codeBaseId)).ConfigureAwait(false);
            sql.Append(" and c.path = any(@paths)");
            parameters.Add(("paths", paths.Where(p => StoredChunks.PathMatches(glob, p)).ToArray()));
        }

        if (options.Languages is { } languages)
        {
            sql.Append(" and c.language = any(@languages)");
            parameters.Add(("languages", languages.ToArray()));
        }

        if (options.Kinds is { } kinds)
        {
            sql.Append(" and c.symbol_kind = any(@kinds)");
            parameters.Add(("kinds", kinds.Select(k => (int)k).ToArray()));
        }

        if (options.ExcludeTests || options.Tests == TestCodeInclusion.Exclude)
        {
            sql.Append(" and (c.traits & ").Append((int)SymbolTraits.Test).Append(") = 0");
        }

        if (options.Tests == TestCodeInclusion.Only)
        {
            sql.Append(" and (c.traits & ").Append((int)SymbolTraits.Test).Append(") <> 0");
        }

        if (options.ExcludeGenerated)
        {
            sql.Append(" and (c.traits & ").Append((int)SymbolTraits.Generated).Append(") = 0");
        }

        return (sql.ToString(), parameters);
    }

    private async Task<List<string>> NearestAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CodeBaseRow codeBase, ReadOnlyMemory<float> queryVector, int pool,
        (string Sql, List<(string Name, object Value)> Parameters) filter, CancellationToken cancellationToken)
    {
        var dimensions = codeBase.Metadata.Dimensions;
        var normalized = queryVector.ToArray();
        var norm = System.Numerics.Tensors.TensorPrimitives.Norm(normalized);
        if (norm > 0)
        {
            System.Numerics.Tensors.TensorPrimitives.Divide(normalized, norm, normalized);
        }

        string order;
        if (_store.Options.ExactVectorSearch)
        {
            // Not the indexed expression, so the planner cannot use the HNSW index: every vector of the code base is compared.
            order = "c.embedding <=> @vector";
        }
        else
        {
            // Iterative scans (pgvector 0.8) keep walking the graph until enough rows pass the code-base filter.
            await PostgresSchema.ExecuteAsync(connection, transaction,
                $"set local hnsw.ef_search = {Math.Min(1000, Math.Max(pool, _store.Options.HnswEfSearch))}; set local hnsw.iterative_scan = relaxed_order", cancellationToken).ConfigureAwait(false);
            order = $"c.embedding::vector({dimensions}) <=> @vector::vector({dimensions})";
        }

        var parameters = new List<(string, object)>(filter.Parameters) { ("id", codeBase.Id), ("vector", new Vector(normalized)), ("pool", pool) };
        return await IdsAsync(connection, transaction,
            $"select c.id from {_schema}.chunks c where c.code_base_id = @id and c.dimensions = {dimensions}{filter.Sql} order by {order} limit @pool",
            cancellationToken, [.. parameters]).ConfigureAwait(false);
    }

    private async Task<Dictionary<string, int>> DocumentFrequenciesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long codeBaseId, List<string> terms,
        CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        if (terms.Count == 0)
        {
            return result;
        }

        await using var command = new NpgsqlCommand(
            $"select term, count(*)::int from {_schema}.chunk_terms where code_base_id = @id and term = any(@terms) group by term", connection, transaction);
        command.Parameters.AddWithValue("id", codeBaseId);
        command.Parameters.AddWithValue("terms", terms.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result[reader.GetString(0)] = reader.GetInt32(1);
        }

        return result;
    }

    /// <summary>The best chunks by BM25, scored in PostgreSQL with <see cref="Bm25Index"/>'s formula, k1, b and corpus statistics.</summary>
    private async Task<List<string>> Bm25Async(NpgsqlConnection connection, NpgsqlTransaction transaction, long codeBaseId, IReadOnlyList<string> queryTerms, LexicalStatistics corpus, int pool,
        (string Sql, List<(string Name, object Value)> Parameters) filter, CancellationToken cancellationToken)
    {
        var terms = new List<string>();
        var idfs = new List<double>();
        foreach (var term in queryTerms)
        {
            var frequency = corpus.DocumentFrequency(term, 0);
            if (frequency == 0)
            {
                continue;
            }

            terms.Add(term);
            idfs.Add(Math.Log(1.0 + ((corpus.DocumentCount - frequency + 0.5) / (frequency + 0.5))));
        }

        if (terms.Count == 0)
        {
            return [];
        }

        var parameters = new List<(string, object)>(filter.Parameters)
        {
            ("id", codeBaseId), ("terms", terms.ToArray()), ("idfs", idfs.ToArray()), ("average", (double)corpus.AverageLength), ("pool", pool),
            ("k1", (double)Bm25Index.K1), ("b", (double)Bm25Index.B),
        };
        return await IdsAsync(connection, transaction,
            $"""
            select c.id
            from unnest(@terms::text[], @idfs::float8[]) as q(term, idf)
            join {_schema}.chunk_terms t on t.code_base_id = @id and t.term = q.term
            join {_schema}.chunks c on c.pk = t.chunk_pk
            where true{filter.Sql}
            group by c.id
            order by sum(q.idf * (t.tf * (@k1 + 1)) / (t.tf + (@k1 * (1 - @b + (@b * c.lexical_length / @average))))) desc, c.id collate "C"
            limit @pool
            """, cancellationToken, [.. parameters]).ConfigureAwait(false);
    }

    private async Task<List<StoredChunk>> ReadGroupsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long codeBaseId, HashSet<string> ids,
        CancellationToken cancellationToken)
    {
        var rows = new List<StoredChunk>();
        if (ids.Count == 0)
        {
            return rows;
        }

        await using var command = new NpgsqlCommand(
            $"""
            select c.id, c.symbol_id, c.symbol_name, c.symbol_kind, c.language, c.path, c.start_line, c.end_line, c.start_byte, c.end_byte,
                   c.part_index, c.part_count, c.traits, c.embedding_text, c.lexical_text, c.display_text, c.content_hash, c.token_count,
                   c.role, c.relation_targets, c.relation_kinds, c.embedding
            from {_schema}.chunks c
            where c.code_base_id = @id and c.group_key in (select g.group_key from {_schema}.chunks g where g.code_base_id = @id and g.id = any(@ids))
            """, connection, transaction);
        command.Parameters.AddWithValue("id", codeBaseId);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var targets = reader.GetFieldValue<string[]>(19);
            var kinds = reader.GetFieldValue<int[]>(20);
            rows.Add(new StoredChunk
            {
                Chunk = new CodeChunk
                {
                    Id = reader.GetString(0),
                    SymbolId = reader.IsDBNull(1) ? null : SymbolId.Parse(reader.GetString(1)),
                    SymbolName = reader.IsDBNull(2) ? null : reader.GetString(2),
                    SymbolKind = (SymbolKind)reader.GetInt32(3),
                    Language = reader.GetString(4),
                    Location = new SourceLocation(reader.GetString(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9)),
                    PartIndex = reader.GetInt32(10),
                    PartCount = reader.GetInt32(11),
                    Traits = (SymbolTraits)reader.GetInt32(12),
                    EmbeddingText = reader.GetString(13),
                    LexicalText = reader.GetString(14),
                    DisplayText = reader.GetString(15),
                    ContentHash = reader.GetString(16),
                    TokenCount = reader.GetInt32(17),
                },
                Role = reader.GetInt32(18),
                Relations = [.. targets.Zip(kinds, (target, kind) => new StoredChunkRelation(target, kind))],
                Vector = reader.GetFieldValue<Vector>(21).ToArray(),
            });
        }

        return rows;
    }

    private async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long codeBaseId, int dimensions, List<StoredChunk> chunks, CancellationToken cancellationToken)
    {
        var pks = new List<long>(chunks.Count);
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            foreach (var stored in chunks)
            {
                var chunk = stored.Chunk;
                var command = new NpgsqlBatchCommand(
                    $"""
                    insert into {_schema}.chunks (code_base_id, id, group_key, simple_name, symbol_id, symbol_name, symbol_kind, language, path, start_line, end_line,
                        start_byte, end_byte, part_index, part_count, traits, embedding_text, lexical_text, display_text, content_hash, token_count, role,
                        relation_targets, relation_kinds, lexical_length, fingerprint, dimensions, embedding)
                    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28)
                    returning pk
                    """);
                var values = new object?[]
                {
                    codeBaseId, chunk.Id, stored.GroupKey, stored.SimpleName, chunk.SymbolId?.Value, chunk.SymbolName, (int)chunk.SymbolKind, chunk.Language, chunk.Path,
                    chunk.StartLine, chunk.EndLine, chunk.Location.StartByte, chunk.Location.EndByte, chunk.PartIndex, chunk.PartCount, (int)chunk.Traits,
                    chunk.EmbeddingText, chunk.LexicalText, chunk.DisplayText, chunk.ContentHash, chunk.TokenCount, stored.Role,
                    stored.Relations.Select(r => r.TargetChunkId).ToArray(), stored.Relations.Select(r => r.Kind).ToArray(),
                    StoredChunks.TermFrequencies(chunk).Length, stored.Fingerprint, dimensions, new Vector(stored.Vector),
                };
                foreach (var value in values)
                {
                    command.Parameters.Add(value is null ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text } : new NpgsqlParameter { Value = value });
                }

                batch.BatchCommands.Add(command);
            }

            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            do
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    pks.Add(reader.GetInt64(0));
                }
            }
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
        }

        var termPks = new List<long>();
        var terms = new List<string>();
        var frequencies = new List<int>();
        for (var i = 0; i < chunks.Count; i++)
        {
            foreach (var (term, frequency) in StoredChunks.TermFrequencies(chunks[i].Chunk).Frequencies)
            {
                termPks.Add(pks[i]);
                terms.Add(term);
                frequencies.Add(frequency);
            }
        }

        await ExecuteAsync(connection, transaction,
            $"insert into {_schema}.chunk_terms (code_base_id, chunk_pk, term, tf) select @id, * from unnest(@pks::bigint[], @terms::text[], @tfs::int[])",
            cancellationToken, ("id", codeBaseId), ("pks", termPks.ToArray()), ("terms", terms.ToArray()), ("tfs", frequencies.ToArray())).ConfigureAwait(false);
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<string>> IdsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        var ids = new List<string>();
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private sealed record CodeBaseRow(long Id, IndexMetadata Metadata, int ChunkCount, long LexicalLength);
}
