using Npgsql;
using StructuralChunking.Embeddings;
using StructuralChunking.Indexing;
using StructuralChunking.Postgres;
using StructuralChunking.Search;
using StructuralChunking.Tests.Support;
using StructuralChunking.TreeSitter;

namespace StructuralChunking.Tests.Postgres;

/// <summary>The PostgreSQL store against a real server: schema, sync, same answers as the index file, two code bases, the CLI.</summary>
[Collection(PostgresServerGroup.Name)]
public sealed class PostgresStoreTests(PostgresServer server)
{
    private static CodeSearchEngine CreateEngine() => new(new CodeSearchEngineOptions
    {
        Embedder = new HashingEmbeddingGenerator(),
        FrontEnds = { new TreeSitterFrontEnd() },
    });

    [Fact]
    public async Task The_schema_is_created_at_the_current_version_migrated_from_an_empty_one_and_a_newer_one_is_refused()
    {
        // A database where an earlier run created only the version table (version 0) is migrated, not recreated.
        await using (var connection = new NpgsqlConnection(server.DirectConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("create schema s_migrate; create table s_migrate.schema_version (version int not null)", connection);
            await command.ExecuteNonQueryAsync();
        }

        await using (var store = await server.OpenAsync("s_migrate"))
        {
            Assert.Empty(await store.ListCodeBasesAsync());
        }

        await using (var again = await server.OpenAsync("s_migrate"))
        {
            Assert.Empty(await again.ListCodeBasesAsync());
        }

        await using (var connection = new NpgsqlConnection(server.DirectConnectionString))
        {
            await connection.OpenAsync();
            await using var versions = new NpgsqlCommand("select array_agg(version) from s_migrate.schema_version", connection);
            Assert.Equal([PostgresCodeIndexStore.SchemaVersion], (int[])(await versions.ExecuteScalarAsync())!);
            await using var newer = new NpgsqlCommand("update s_migrate.schema_version set version = 99", connection);
            await newer.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => server.OpenAsync("s_migrate"));
        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sync_writes_only_the_changed_file_and_deletes_the_chunks_of_a_removed_file()
    {
        using var repo = CopyOf(Path.Combine(RepositoryPaths.Root, "tests", "Fixtures", "python", "auth"));
        var engine = CreateEngine();
        await using var store = await server.OpenAsync("s_sync", pooled: false);
        var codeBase = store.CodeBase("auth", "main");

        var first = await engine.IndexToStoreAsync(repo.Path, codeBase);
        Assert.Equal(first.ChunkCount, first.StoreSync!.Written);
        Assert.Equal(first.ChunkCount, first.EmbeddedChunkCount);

        var again = await engine.IndexToStoreAsync(repo.Path, codeBase);
        Assert.Equal(new StoreSyncResult { Unchanged = first.ChunkCount }, again.StoreSync);
        Assert.Equal(0, again.EmbeddedChunkCount);

        var files = first.Index.Chunks.Select(c => c.Path).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count >= 2);
        var edited = files[0];
        var maxPk = await ScalarAsync<long>("select max(pk) from s_sync.chunks");
        await File.AppendAllTextAsync(Path.Combine(repo.Path, edited), "\n\ndef rotate_signing_keys(keyring):\n    return sorted(keyring)\n");

        var changed = await engine.IndexToStoreAsync(repo.Path, codeBase);
        Assert.Equal(1, changed.ChangedFileCount);
        var written = await ListAsync($"select path from s_sync.chunks where pk > {maxPk}");
        Assert.NotEmpty(written);
        Assert.All(written, path => Assert.Equal(edited, path));
        Assert.Equal(written.Count, changed.StoreSync!.Written);
        Assert.Equal(changed.ChunkCount - written.Count, changed.StoreSync.Unchanged);
        Assert.Contains(await engine.SearchStoreAsync(codeBase, "rotate_signing_keys"), r => r.Path == edited);

        var removed = files[1];
        var removedCount = changed.Index.Chunks.Count(c => c.Path == removed);
        File.Delete(Path.Combine(repo.Path, removed));
        var after = await engine.IndexToStoreAsync(repo.Path, codeBase);
        Assert.Equal(removedCount, after.StoreSync!.Deleted);

        // Chunks of other files are rewritten exactly where their row changed (a header or relation naming a removed definition).
        var before = StoredChunks.FromIndex(changed.Index).ToDictionary(c => c.Chunk.Id);
        var rewritten = StoredChunks.FromIndex(after.Index).Where(c => before[c.Chunk.Id].Fingerprint != c.Fingerprint).ToList();
        Assert.Equal(rewritten.Count, after.StoreSync.Written);
        Assert.All(rewritten, c => Assert.NotEqual(removed, c.Chunk.Path));
        Assert.Equal(0L, await ScalarAsync<long>($"select count(*) from s_sync.chunks where path = '{removed}'"));
        Assert.Equal(0L, await ScalarAsync<long>("select count(*) from s_sync.chunk_terms t where not exists (select 1 from s_sync.chunks c where c.pk = t.chunk_pk)"));
        Assert.Equal((long)after.ChunkCount, await ScalarAsync<long>("select count(*) from s_sync.chunks"));
    }

    [Fact]
    public async Task Exact_search_in_the_store_gives_the_index_files_top_10_in_every_mode()
    {
        // The library's own search and indexing code: a few hundred chunks, more than the candidate pool.
        using var repo = new TempDirectory();
        foreach (var folder in new[] { "Search", "Indexing", "Identifiers", "Chunking" })
        {
            CopyInto(Path.Combine(RepositoryPaths.Root, "src", "StructuralChunking", folder), Path.Combine(repo.Path, folder));
        }

        var engine = CreateEngine();
        using var output = new TempDirectory();
        var file = await engine.IndexAsync(repo.Path, new IndexingOptions { IndexPath = Path.Combine(output.Path, "index.scidx") });
        Assert.True(file.ChunkCount > 250, $"{file.ChunkCount} chunks");
        await using var store = await server.OpenAsync("s_same", exact: true);
        var codeBase = store.CodeBase("self", "main");
        await engine.IndexToStoreAsync(repo.Path, codeBase);

        string[] queries =
        [
            "reciprocal rank fusion of dense and lexical lists", "split an identifier into words", "checksum mismatch when reading the index",
            "EnsureReplaceable", "IndexFile.Write", "bm25 document frequency", "which chunks pass score to the code that reads them",
            "top k heap threshold", "normalise a vector before the scan", "part 2 of a split definition", "where are secrets redacted", "TermFrequencies",
        ];
        var compared = 0;
        foreach (var mode in new[] { SearchMode.Hybrid, SearchMode.Dense, SearchMode.Lexical })
        {
            foreach (var query in queries)
            {
                var options = new SearchOptions { Mode = mode };
                var expected = await engine.SearchAsync(file.Index, query, options);
                var actual = await engine.SearchStoreAsync(codeBase, query, options);
                Assert.Equal(expected.Select(r => (r.Chunk.Id, r.StartLine, r.EndLine, r.Via)), actual.Select(r => (r.Chunk.Id, r.StartLine, r.EndLine, r.Via)));
                Assert.Equal(expected.Select(r => r.Score), actual.Select(r => r.Score), (a, b) => Math.Abs(a - b) < 1e-6f);
                Assert.Equal(expected.Select(r => r.LexicalScore ?? 0), actual.Select(r => r.LexicalScore ?? 0), (a, b) => Math.Abs(a - b) < 1e-4f);
                // The "no answer" evidence too: which query words the code base knows is a fact about the whole corpus.
                Assert.Equal(expected.Select(r => r.Signals?.QueryWordsKnown ?? -1), actual.Select(r => r.Signals?.QueryWordsKnown ?? -1), (a, b) => Math.Abs(a - b) < 1e-4f);
                compared += expected.Count;
            }
        }

        Assert.True(compared > 200, $"{compared} results compared");

        // Filters select the candidates in SQL with the same rules.
        var filtered = new SearchOptions { PathGlob = "Search/**", Kinds = new HashSet<StructuralChunking.Graph.SymbolKind> { StructuralChunking.Graph.SymbolKind.Method } };
        var expectedFiltered = await engine.SearchAsync(file.Index, "score of a document", filtered);
        Assert.NotEmpty(expectedFiltered);
        Assert.Equal(expectedFiltered.Select(r => r.Chunk.Id), (await engine.SearchStoreAsync(codeBase, "score of a document", filtered)).Select(r => r.Chunk.Id));
    }

    [Fact]
    public async Task Two_code_bases_sync_at_the_same_time_and_each_answers_from_its_own_chunks()
    {
        using var python = CopyOf(Path.Combine(RepositoryPaths.Root, "tests", "Fixtures", "python", "auth"));
        using var javascript = CopyOf(Path.Combine(RepositoryPaths.Root, "tests", "Fixtures", "javascript", "lib"));
        var engine = CreateEngine();
        await using var store = await server.OpenAsync("s_two", exact: false);
        var first = store.CodeBase("auth", "main");
        var second = store.CodeBase("lib", "main");

        var results = await Task.WhenAll(engine.IndexToStoreAsync(python.Path, first), engine.IndexToStoreAsync(javascript.Path, second));

        Assert.All(results, r => Assert.Equal(r.ChunkCount, r.StoreSync!.Written));
        Assert.Equal(["auth", "lib"], (await store.ListCodeBasesAsync()).Select(c => c.Repository));
        var pythonPaths = results[0].Index.Chunks.Select(c => c.Path).ToHashSet();
        var javascriptPaths = results[1].Index.Chunks.Select(c => c.Path).ToHashSet();
        foreach (var query in new[] { "validate a token", "export the module functions", "password hash" })
        {
            Assert.All(await engine.SearchStoreAsync(first, query), r => Assert.Contains(r.Path, pythonPaths));
            Assert.All(await engine.SearchStoreAsync(second, query), r => Assert.Contains(r.Path, javascriptPaths));
        }

        Assert.True(await store.DeleteCodeBaseAsync("lib", "main"));
        Assert.Empty(await engine.SearchStoreAsync(second, "export the module functions"));
        Assert.NotEmpty(await engine.SearchStoreAsync(first, "validate a token", new SearchOptions { Mode = SearchMode.Lexical }));
    }

    [Fact]
    public async Task The_cli_indexes_into_and_searches_a_store_given_as_a_postgres_uri()
    {
        using var repo = CopyOf(Path.Combine(RepositoryPaths.Root, "tests", "Fixtures", "python", "auth"));
        var store = server.Uri;

        var index = await Support.Cli.Run("index", repo.Path, "--embedder", "hash", "--store", store, "--repository", "cli-auth");
        Assert.True(index.ExitCode == 0, index.Error);
        Assert.Contains("written", index.Output, StringComparison.Ordinal);

        var search = await Support.Cli.Run("search", "verify the jwt signature", "--store", store, "--repository", "cli-auth", "--json");
        Assert.True(search.ExitCode == 0, search.Error);
        Assert.Contains(".py", search.Output, StringComparison.Ordinal);

        var missing = await Support.Cli.Run("search", "anything", "--store", store, "--repository", "nothing-here");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("Nothing is stored", missing.Error, StringComparison.Ordinal);
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(server.DirectConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task<List<string>> ListAsync(string sql)
    {
        var list = new List<string>();
        await using var connection = new NpgsqlConnection(server.DirectConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }

    private static TempDirectory CopyOf(string source)
    {
        var folder = new TempDirectory();
        CopyInto(source, folder.Path);
        return folder;
    }

    private static void CopyInto(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (!relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".structchunk"))
            {
                var destination = Path.Combine(target, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(file, destination);
            }
        }
    }
}

/// <summary>Store URIs and connection strings, without a server.</summary>
public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void A_psql_uri_becomes_a_connection_string_and_a_connection_string_passes_through()
    {
        var uri = PostgresConnectionString.Parse("postgres://me:p%40ss@db.example:6543/code?sslmode=disable&application_name=structchunk");
        Assert.Equal(("db.example", 6543, "me", "p@ss", "code", SslMode.Disable, "structchunk"), (uri.Host, uri.Port, uri.Username, uri.Password, uri.Database, uri.SslMode, uri.ApplicationName));
        Assert.Equal("postgres://db.example:6543/code", PostgresConnectionString.Describe(uri));

        var plain = PostgresConnectionString.Parse("Host=localhost;Username=me;Database=code;Maximum Pool Size=1");
        Assert.Equal(("localhost", 5432, 1), (plain.Host, plain.Port, plain.MaxPoolSize));

        Assert.Throws<ArgumentException>(() => PostgresConnectionString.Parse("postgres://me@db/code?sslmode=sometimes"));
        Assert.Throws<ArgumentException>(() => PostgresConnectionString.Parse("postgres://me@db/code?target_session_attrs=any"));
    }
}
