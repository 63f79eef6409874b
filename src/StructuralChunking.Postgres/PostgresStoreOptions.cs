namespace StructuralChunking.Postgres;

/// <summary>How <see cref="PostgresCodeIndexStore"/> connects and searches.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>
    /// The server: a PostgreSQL URI as <c>psql</c> accepts it (<c>postgres://USER:PASSWORD@HOST:PORT/DB?sslmode=disable</c>)
    /// or an Npgsql connection string (<c>Host=…;Username=…;Password=…;Database=…</c>). Required.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The PostgreSQL schema the store's tables live in, created when missing. Default <c>structchunk</c>.</summary>
    public string Schema { get; set; } = "structchunk";

    /// <summary>
    /// Search vectors exactly (a scan of the code base's vectors) instead of through the HNSW index. Default <c>false</c>:
    /// the approximate index, which the final ranking then scores exactly.
    /// </summary>
    public bool ExactVectorSearch { get; set; }

    /// <summary>
    /// How many HNSW candidates a vector search explores (<c>hnsw.ef_search</c>, at least the candidate pool). Default 200;
    /// more raises recall and costs time.
    /// </summary>
    public int HnswEfSearch { get; set; } = 200;

    /// <summary>
    /// Candidates fetched beyond <see cref="Search.SearchOptions.CandidatePool"/> from each list, so that the
    /// database's double-precision order and the index's single-precision order agree on the pool. Default 16.
    /// </summary>
    public int CandidateMargin { get; set; } = 16;

    /// <summary>Throws unless the options are usable, naming every problem.</summary>
    /// <exception cref="ArgumentException">They are not.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            problems.Add("No connection string or PostgreSQL URI was given.");
        }

        if (string.IsNullOrWhiteSpace(Schema) || !Schema.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_') || char.IsDigit(Schema[0]))
        {
            problems.Add($"The schema name '{Schema}' must be lower-case letters, digits and underscores, not starting with a digit.");
        }

        if (HnswEfSearch is < 1 or > 1000)
        {
            problems.Add($"HnswEfSearch must be between 1 and 1000 (pgvector's range); it is {HnswEfSearch}.");
        }

        if (CandidateMargin < 0)
        {
            problems.Add($"CandidateMargin must not be negative; it is {CandidateMargin}.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems));
        }
    }
}
