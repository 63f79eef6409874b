using Npgsql;

namespace StructuralChunking.Postgres;

/// <summary>Turns a PostgreSQL URI (as <c>psql</c> accepts it) or an Npgsql connection string into an Npgsql connection string.</summary>
public static class PostgresConnectionString
{
    /// <summary>
    /// Parses <paramref name="value"/>: <c>postgres://</c> or <c>postgresql://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=…</c>
    /// (user, password and database percent-decoded; parameters <c>sslmode</c>, <c>application_name</c>,
    /// <c>connect_timeout</c>, <c>options</c>), or anything else as an Npgsql connection string.
    /// </summary>
    /// <exception cref="ArgumentException">The value is neither.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        if (!value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) && !value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return new NpgsqlConnectionStringBuilder(value);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"Not a PostgreSQL URI nor a connection string: {ex.Message}", nameof(value), ex);
            }
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            throw new ArgumentException("Not a valid PostgreSQL URI (postgres://USER:PASSWORD@HOST:PORT/DATABASE).", nameof(value));
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = string.IsNullOrEmpty(uri.Host) ? "localhost" : uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
        };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var parameter = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            switch (key)
            {
                case "sslmode":
                    builder.SslMode = parameter switch
                    {
                        "disable" => SslMode.Disable,
                        "allow" => SslMode.Allow,
                        "prefer" => SslMode.Prefer,
                        "require" => SslMode.Require,
                        "verify-ca" => SslMode.VerifyCA,
                        "verify-full" => SslMode.VerifyFull,
                        _ => throw new ArgumentException($"Unknown sslmode '{parameter}' in the PostgreSQL URI.", nameof(value)),
                    };
                    break;
                case "application_name":
                    builder.ApplicationName = parameter;
                    break;
                case "connect_timeout":
                    builder.Timeout = int.Parse(parameter, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "options":
                    builder.Options = parameter;
                    break;
                default:
                    throw new ArgumentException($"The PostgreSQL URI parameter '{key}' is not supported; use an Npgsql connection string for it.", nameof(value));
            }
        }

        return builder;
    }

    /// <summary>Where a connection string points, without credentials (for messages).</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return $"postgres://{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
    }
}
