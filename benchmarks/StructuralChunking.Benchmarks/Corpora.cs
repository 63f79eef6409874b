namespace StructuralChunking.Benchmarks;

/// <summary>
/// Where the benchmark corpora are. They are the evaluation corpora of the project (laid out by
/// <c>benchmarks/get-corpora.sh</c>); their location comes from <c>STRUCTCHUNK_CORPORA</c>.
/// </summary>
internal static class Corpora
{
    public static string NewtonsoftJson => Require(Path.Combine("newtonsoft-json-6.0.8", "newtonsoft-json-6.0.8", "Src", "Newtonsoft.Json"));

    /// <summary>requests 2.28.1 (Python): its corpus root is Debian's python3-requests, as its corpus.json says.</summary>
    public static string Requests => Optional("requests-2.28.1", "/usr/lib/python3/dist-packages/requests");

    /// <summary>commander 15.1.0 (JavaScript): the unpacked npm tarball (<c>package/</c>) in its set's folder.</summary>
    public static string Commander => Require(Path.Combine("commander-15.1.0", "package"));

    private static string Optional(string relative, string fallback)
    {
        var root = Environment.GetEnvironmentVariable("STRUCTCHUNK_CORPORA");
        if (!string.IsNullOrEmpty(root) && Directory.Exists(Path.Combine(root, relative)))
        {
            return Path.Combine(root, relative);
        }

        return Directory.Exists(fallback)
            ? fallback
            : throw new DirectoryNotFoundException($"Neither $STRUCTCHUNK_CORPORA/{relative} nor {fallback} exists: run benchmarks/get-corpora.sh first.");
    }

    private static string Require(string relative)
    {
        var root = Environment.GetEnvironmentVariable("STRUCTCHUNK_CORPORA");
        if (string.IsNullOrEmpty(root))
        {
            throw new InvalidOperationException(
                "Set STRUCTCHUNK_CORPORA to the folder where benchmarks/get-corpora.sh laid out the evaluation corpora.");
        }

        var path = Path.Combine(root, relative);
        return Directory.Exists(path)
            ? path
            : throw new DirectoryNotFoundException($"'{path}' does not exist: run benchmarks/get-corpora.sh {root} first.");
    }
}
