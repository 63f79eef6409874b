using Npgsql;
using Pgvector.Npgsql;

namespace StructuralChunking.Postgres;

/// <summary>
/// Many code bases' indexes in one PostgreSQL database with pgvector: chunks, embeddings (an HNSW index per model
/// dimension), per-chunk term frequencies for BM25 computed in PostgreSQL, graph relations and metadata, in a schema the
/// package creates and migrates. <see cref="CodeBase"/> gives the <see cref="Indexing.ICodeIndexStore"/> of one
/// repository and branch, for <see cref="CodeSearchEngine.IndexToStoreAsync"/> and <see cref="CodeSearchEngine.SearchStoreAsync"/>.
/// </summary>
/// <example>
/// <code>
/// await using var store = await PostgresCodeIndexStore.OpenAsync(new PostgresStoreOptions { ConnectionString = "postgres://me@db/code" });
/// var codeBase = store.CodeBase("github.com/org/repo", "main");
/// await engine.IndexToStoreAsync("path/to/repo", codeBase);
/// var hits = await engine.SearchStoreAsync(codeBase, "where is the jwt validated");
/// </code>
/// </example>
/// <remarks>Thread-safe. Writers of different code bases do not wait for each other; a reader sees a code base before or after a sync, never in between.</remarks>
public sealed class PostgresCodeIndexStore : IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    private PostgresCodeIndexStore(PostgresStoreOptions options, NpgsqlDataSource dataSource, string description)
    {
        Options = options;
        _dataSource = dataSource;
        Description = description;
    }

    /// <summary>The options the store was opened with.</summary>
    public PostgresStoreOptions Options { get; }

    /// <summary>Where the store is (host, port, database; no credentials).</summary>
    public string Description { get; }

    /// <summary>The schema version this library creates and reads.</summary>
    public static int SchemaVersion => PostgresSchema.CurrentVersion;

    internal NpgsqlDataSource DataSource => _dataSource;

    /// <summary>Connects, creates the pgvector extension and the store's schema when missing, and migrates it to <see cref="SchemaVersion"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="NpgsqlException">The server cannot be reached or refuses the connection.</exception>
    /// <exception cref="InvalidOperationException">The schema was written by a newer version of this package.</exception>
    public static async Task<PostgresCodeIndexStore> OpenAsync(PostgresStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var connectionString = PostgresConnectionString.Parse(options.ConnectionString!);

        // The vector type must exist before a data source that maps it opens its first connection.
        await using (var plain = NpgsqlDataSource.Create(connectionString.ConnectionString))
        await using (var connection = await plain.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        {
            await PostgresSchema.EnsureAsync(connection, options.Schema, cancellationToken).ConfigureAwait(false);
        }

        var builder = new NpgsqlDataSourceBuilder(connectionString.ConnectionString);
        builder.UseVector();
        return new PostgresCodeIndexStore(options, builder.Build(), PostgresConnectionString.Describe(connectionString));
    }

    /// <summary>The index of one code base, keyed by repository and branch (any strings; created on first write).</summary>
    public PostgresCodeBase CodeBase(string repository, string branch)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        ArgumentException.ThrowIfNullOrEmpty(branch);
        return new PostgresCodeBase(this, repository, branch);
    }

    /// <summary>The code bases stored, with their chunk counts, ordered by repository and branch.</summary>
    public async Task<IReadOnlyList<(string Repository, string Branch, int ChunkCount, DateTimeOffset UpdatedUtc)>> ListCodeBasesAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<(string, string, int, DateTimeOffset)>();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            $"select repository, branch, chunk_count, updated_utc from {Options.Schema}.code_bases order by repository collate \"C\", branch collate \"C\"", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return list;
    }

    /// <summary>Deletes a code base and everything stored for it; false when there was none.</summary>
    public async Task<bool> DeleteCodeBaseAsync(string repository, string branch, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"delete from {Options.Schema}.code_bases where repository = @repository and branch = @branch", connection);
        command.Parameters.AddWithValue("repository", repository);
        command.Parameters.AddWithValue("branch", branch);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => _dataSource.Dispose();
}
