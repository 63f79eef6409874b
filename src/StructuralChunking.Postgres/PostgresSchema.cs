using Npgsql;

namespace StructuralChunking.Postgres;

/// <summary>
/// The store's tables, created and migrated by the package: <c>schema_version</c> records the version reached, and each
/// migration runs once, in a transaction, under an advisory lock so two processes starting at once do not race.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The schema version this library writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Migration <c>n</c> takes a database from version <c>n</c> to <c>n + 1</c>; <c>{s}</c> is the schema name.</summary>
    private static readonly string[] Migrations =
    [
        """
        create table {s}.code_bases (
            id bigint generated always as identity primary key,
            repository text not null,
            branch text not null,
            model_id text not null,
            dimensions int not null,
            metadata text not null,
            chunk_count int not null default 0,
            lexical_length bigint not null default 0,
            updated_utc timestamptz not null default now(),
            unique (repository, branch));
        create table {s}.chunks (
            pk bigint generated always as identity primary key,
            code_base_id bigint not null references {s}.code_bases (id) on delete cascade,
            id text not null,
            group_key text not null,
            simple_name text,
            symbol_id text,
            symbol_name text,
            symbol_kind int not null,
            language text not null,
            path text not null,
            start_line int not null,
            end_line int not null,
            start_byte int not null,
            end_byte int not null,
            part_index int not null,
            part_count int not null,
            traits int not null,
            embedding_text text not null,
            lexical_text text not null,
            display_text text not null,
            content_hash text not null,
            token_count int not null,
            role int not null,
            relation_targets text[] not null,
            relation_kinds int[] not null,
            lexical_length int not null,
            fingerprint text not null,
            dimensions int not null,
            embedding vector not null,
            unique (code_base_id, id));
        create index on {s}.chunks (code_base_id, group_key);
        create index on {s}.chunks (code_base_id, simple_name);
        create index on {s}.chunks (code_base_id, content_hash);
        create table {s}.chunk_terms (
            code_base_id bigint not null,
            term text not null,
            chunk_pk bigint not null references {s}.chunks (pk) on delete cascade,
            tf int not null,
            primary key (code_base_id, term, chunk_pk));
        create index on {s}.chunk_terms (chunk_pk);
        """,
    ];

    /// <summary>Creates or migrates the schema to <see cref="CurrentVersion"/>.</summary>
    /// <exception cref="InvalidOperationException">The database was migrated by a newer version of the library.</exception>
    public static async Task EnsureAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"select pg_advisory_xact_lock(hashtext('structchunk:{schema}'))", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, "create extension if not exists vector", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"create schema if not exists {schema}", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"create table if not exists {schema}.schema_version (version int not null)", cancellationToken).ConfigureAwait(false);
        int version;
        await using (var command = new NpgsqlCommand($"select coalesce(max(version), 0) from {schema}.schema_version", connection, transaction))
        {
            version = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }

        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The schema '{schema}' is at version {version}; this version of StructuralChunking.Postgres knows up to {CurrentVersion}. Use a newer version of the package.");
        }

        for (; version < CurrentVersion; version++)
        {
            await ExecuteAsync(connection, transaction, Migrations[version].Replace("{s}", schema, StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, transaction, $"delete from {schema}.schema_version; insert into {schema}.schema_version values ({CurrentVersion})", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates the HNSW index for vectors of <paramref name="dimensions"/> when missing: one partial expression index per
    /// dimension, since a code base's model fixes it and an HNSW index needs a fixed dimension.
    /// </summary>
    public static async Task EnsureVectorIndexAsync(NpgsqlConnection connection, string schema, int dimensions, CancellationToken cancellationToken)
    {
        var name = $"chunks_embedding_hnsw_{dimensions}";
        await using (var exists = new NpgsqlCommand("select 1 from pg_indexes where schemaname = @schema and indexname = @name", connection))
        {
            exists.Parameters.AddWithValue("schema", schema);
            exists.Parameters.AddWithValue("name", name);
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }
        }

        await ExecuteAsync(connection, null,
            $"create index if not exists {name} on {schema}.chunks using hnsw ((embedding::vector({dimensions})) vector_cosine_ops) where dimensions = {dimensions}",
            cancellationToken).ConfigureAwait(false);
    }

    public static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
