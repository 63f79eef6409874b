namespace StructuralChunking.Benchmarks;

/// <summary>
/// Where the benchmark corpora are. They are the evaluation corpora of the project (laid out by
/// <c>benchmarks/get-corpora.sh</c>); their location comes from <c>STRUCTCHUNK_CORPORA</c>.
/// </summary>
internal static class Corpora
{
    public static string NewtonsoftJson => Require(Path.Combine("newtonsoft-json-6.0.8", "Src", "Newtonsoft.Json"));

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
