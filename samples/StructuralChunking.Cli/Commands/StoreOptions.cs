using System.CommandLine;
using Npgsql;
using StructuralChunking.Postgres;

namespace StructuralChunking.Cli.Commands;

/// <summary><c>--store</c>, <c>--repository</c>, <c>--branch</c>, <c>--exact</c>: an index in PostgreSQL instead of an index file.</summary>
internal sealed class StoreOptions
{
    public Option<string?> Store { get; } = new("--store")
    {
        Description = "Keep the index in PostgreSQL with pgvector instead of a file: a URI as psql accepts it (postgres://USER:PASSWORD@HOST:PORT/DB?sslmode=disable) or an Npgsql connection string.",
    };

    public Option<string?> Repository { get; } = new("--repository") { Description = "With --store: the code base's repository key (default: the full path of the folder)." };

    public Option<string> Branch { get; } = new("--branch") { Description = "With --store: the code base's branch key.", DefaultValueFactory = _ => "main" };

    public Option<bool> Exact { get; } = new("--exact") { Description = "With --store: compare every vector instead of using the HNSW index." };

    public void AddTo(Command command, bool search)
    {
        command.Options.Add(Store);
        command.Options.Add(Repository);
        command.Options.Add(Branch);
        if (search)
        {
            command.Options.Add(Exact);
        }
    }

    /// <summary>Opens the store and the code base the options name; <c>null</c> without <c>--store</c>.</summary>
    public async Task<(PostgresCodeIndexStore Store, PostgresCodeBase CodeBase)?> OpenAsync(ParseResult parseResult, string folder, CancellationToken cancellationToken)
    {
        if (parseResult.GetValue(Store) is not { } connection)
        {
            return null;
        }

        PostgresCodeIndexStore store;
        try
        {
            store = await PostgresCodeIndexStore.OpenAsync(new PostgresStoreOptions { ConnectionString = connection, ExactVectorSearch = parseResult.GetValue(Exact) }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or NpgsqlException or InvalidOperationException)
        {
            throw new CliUserException($"Cannot open the store: {ex.Message}");
        }

        var repository = parseResult.GetValue(Repository) ?? Path.GetFullPath(folder);
        return (store, store.CodeBase(repository, parseResult.GetValue(Branch)!));
    }
}
