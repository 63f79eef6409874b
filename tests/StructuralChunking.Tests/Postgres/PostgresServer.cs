using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StructuralChunking.Postgres;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Postgres;

/// <summary>
/// A real PostgreSQL with pgvector on 127.0.0.1 for the store tests: PGlite (PostgreSQL compiled to WebAssembly) served
/// over the wire protocol by tests/Postgres/server.mjs. It serves one connection at a time, so every store a test opens
/// has a pool of one and is disposed before the next opens. When it cannot start, the tests fail and say why.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private Process? _process;

    public int Port { get; private set; }

    /// <summary>A psql-style URI for the server.</summary>
    public string Uri => $"postgres://postgres@127.0.0.1:{Port}/postgres?sslmode=disable";

    /// <summary>The Npgsql connection string the stores use: SSL off, one connection.</summary>
    public string ConnectionString => new Npgsql.NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = "postgres",
        SslMode = Npgsql.SslMode.Disable,
        MaxPoolSize = 1,
        Timeout = 60,
        CommandTimeout = 300,
    }.ConnectionString;

    public async Task InitializeAsync()
    {
        var folder = Path.Combine(RepositoryPaths.Root, "tests", "Postgres");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "@electric-sql", "pglite-socket")))
        {
            // .ci/run installs it; a developer's first run does it here.
            await RunAsync("npm", "ci --ignore-scripts --no-audit --no-fund", folder, TimeSpan.FromMinutes(5));
        }

        Port = FreePort();
        var start = new ProcessStartInfo("node", $"server.mjs {Port}")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"The PostgreSQL test server needs node (20 or later) on PATH: {ex.Message}", ex);
        }

        var errors = _process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (true)
        {
            var line = await _process.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                throw new InvalidOperationException($"The PostgreSQL test server (tests/Postgres/server.mjs) exited before it was ready: {await errors}");
            }

            if (line.StartsWith("ready", StringComparison.Ordinal))
            {
                break;
            }
        }
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(10_000))
            {
                _process.Kill();
            }
        }

        _process?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>For the tests' own queries: unpooled, so the connection is closed (and the server free) when disposed.</summary>
    public string DirectConnectionString => new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString;

    /// <summary>Opens a store in its own schema, so tests do not see each other's code bases.</summary>
    /// <remarks>Unpooled stores leave the server free between their operations, for tests that also query it directly.</remarks>
    public Task<PostgresCodeIndexStore> OpenAsync(string schema, bool exact = true, bool pooled = true) =>
        PostgresCodeIndexStore.OpenAsync(new PostgresStoreOptions { ConnectionString = pooled ? ConnectionString : DirectConnectionString, Schema = schema, ExactVectorSearch = exact });

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string arguments, string folder, TimeSpan limit)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {arguments}' in {folder} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresServerGroup : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL server";
}
