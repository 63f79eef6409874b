using System.Text;

namespace StructuralChunking.TreeSitter.Internal;

/// <summary>Reads the query files embedded in this assembly: grammar tags copied by the native build, and ours.</summary>
internal static class QuerySources
{
    private const string Prefix = "StructuralChunking.TreeSitter.Queries.";

    /// <summary>The concatenated sources of <paramref name="spec"/>'s queries.</summary>
    /// <exception cref="InvalidDataException">A query file is not embedded (the native build did not run).</exception>
    public static string Load(LanguageSpec spec)
    {
        var text = new StringBuilder();
        foreach (var resource in spec.QueryResources)
        {
            text.Append(Read(resource)).Append('\n');
        }

        return text.ToString();
    }

    public static string Read(string resource)
    {
        using var stream = typeof(QuerySources).Assembly.GetManifestResourceStream(Prefix + resource)
            ?? throw new InvalidDataException($"Query file '{resource}' is not embedded in {typeof(QuerySources).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
