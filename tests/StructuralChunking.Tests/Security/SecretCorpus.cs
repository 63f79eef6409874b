namespace StructuralChunking.Tests.Security;

/// <summary>
/// Secrets of every detected kind, planted in source files of several languages. The values are assembled at run time
/// so that no scanner mistakes this repository for a leak.
/// </summary>
internal static class SecretCorpus
{
    public static readonly string PrivateKeyBody = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7" + "VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu";
    public static readonly string Aws = "AKIA" + "IOSFODNN7" + "EXAMPLQ";
    public static readonly string GitHub = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z" + "A5b";
    public static readonly string GitHubPat = "github_pat_" + "11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEF";
    public static readonly string Slack = "xoxb-" + "123456789012-1234567890123-" + "AbCdEfGhIjKlMnOpQrStUvWx";
    public static readonly string DbPassword = "Zq7" + "!vR2pLm9";
    public static readonly string Django = "django-insecure-" + "k9#2m$x8v!q4w7e1r5t0y3u6i" + "&p";
    public static readonly string ApiKey = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc";
    public static readonly string UrlPassword = "hunter2" + "Xy9Q";

    /// <summary>Every value that must never appear in a stored text.</summary>
    public static IEnumerable<string> Values =>
        [PrivateKeyBody[..40], Aws, GitHub, GitHubPat, Slack, DbPassword, Django, ApiKey, UrlPassword];

    /// <summary>Relative path → content.</summary>
    public static IReadOnlyDictionary<string, string> Files => new Dictionary<string, string>
    {
        ["Keys.cs"] = $$"""
            namespace Corpus;

            /// <summary>Holds the signing key for the private key loader.</summary>
            public static class Keys
            {
                public const string SigningKey = @"-----BEGIN PRIVATE KEY-----
            {{PrivateKeyBody}}
            {{PrivateKeyBody}}
            -----END PRIVATE KEY-----";

                public static string AwsKeyId() => "{{Aws}}";

                private static readonly string GitHubToken = "{{GitHub}}";

                public static string Connection() => "Server=db;Database=shop;User Id=app;Password={{DbPassword}};";

                public static string Slack() => "{{Slack}}" + GitHubToken;
            }
            """,
        ["settings.py"] = $$"""
            SECRET_KEY = '{{Django}}'
            GITHUB_PAT = "{{GitHubPat}}"

            def database_url():
                return "postgres://admin:{{UrlPassword}}@db.internal:5432/shop"
            """,
        ["client.js"] = $$"""
            const config = { apiKey: "{{ApiKey}}", region: "eu-west-1" };

            function connect(options) {
              return fetch(options.url, { headers: { Authorization: "token " + config.apiKey } });
            }
            """,
    };
}
