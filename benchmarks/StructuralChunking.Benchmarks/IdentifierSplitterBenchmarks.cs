using System.Text;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using StructuralChunking.Identifiers;

namespace StructuralChunking.Benchmarks;

/// <summary>
/// Splits a fixed, deterministic set of identifiers in the styles real code mixes. Results are per identifier.
/// </summary>
[MemoryDiagnoser]
public partial class IdentifierSplitterBenchmarks
{
    private const int IdentifierCount = 1_000;

    private static readonly string[] Words =
    [
        "order", "user", "admin", "jwt", "validation", "middleware", "service", "handler", "created", "request",
        "response", "http", "xml", "json", "id", "url", "api", "client", "server", "factory", "repository", "context",
        "async", "cache", "token", "session", "data", "task", "parse", "get", "set", "use", "build", "file", "name",
        "count", "index", "buffer", "stream", "config", "options", "manager", "provider", "event", "effect", "state",
    ];

    private static readonly string[] Acronyms = ["HTTP", "XML", "JSON", "ID", "URL", "API", "SQL", "CSV", "IO", "UI"];

    private string[] _identifiers = [];

    [GlobalSetup]
    public void Setup()
    {
        // A fixed seed keeps the set identical across runs and machines.
        var random = new Random(20_240_601);
        _identifiers = new string[IdentifierCount];
        for (var i = 0; i < IdentifierCount; i++)
        {
            _identifiers[i] = MakeIdentifier(random, i % 8);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = IdentifierCount)]
    public int NaiveRegexSplit()
    {
        var total = 0;
        foreach (var identifier in _identifiers)
        {
            foreach (Match match in NaiveWord().Matches(identifier))
            {
                total += match.Value.ToLowerInvariant().Length;
            }
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = IdentifierCount)]
    public int EnumerateWords()
    {
        var total = 0;
        foreach (var identifier in _identifiers)
        {
            foreach (var range in IdentifierSplitter.EnumerateWords(identifier))
            {
                total += range.End.Value - range.Start.Value;
            }
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = IdentifierCount)]
    public int Split()
    {
        var total = 0;
        foreach (var identifier in _identifiers)
        {
            total += IdentifierSplitter.Split(identifier).Count;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = IdentifierCount)]
    public int SplitToText()
    {
        var total = 0;
        foreach (var identifier in _identifiers)
        {
            total += IdentifierSplitter.SplitToText(identifier).Length;
        }

        return total;
    }

    // What a first attempt usually looks like: camel humps, acronyms and digit runs via one pattern.
    [GeneratedRegex("[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex NaiveWord();

    private static string MakeIdentifier(Random random, int style)
    {
        var wordCount = random.Next(1, 5);
        var builder = new StringBuilder();
        for (var w = 0; w < wordCount; w++)
        {
            var word = random.Next(6) == 0 ? Acronyms[random.Next(Acronyms.Length)] : Words[random.Next(Words.Length)];
            switch (style)
            {
                case 0: // camelCase with acronyms
                    builder.Append(w == 0 ? word.ToLowerInvariant() : Capitalize(word));
                    break;
                case 1: // PascalCase
                    builder.Append(Capitalize(word));
                    break;
                case 2: // snake_case
                    builder.Append(w == 0 ? "" : "_").Append(word.ToLowerInvariant());
                    break;
                case 3: // SCREAMING_CASE
                    builder.Append(w == 0 ? "" : "_").Append(word.ToUpperInvariant());
                    break;
                case 4: // _privateField / m_field
                    builder.Append(w == 0 ? (random.Next(2) == 0 ? "_" : "m_") + word.ToLowerInvariant() : Capitalize(word));
                    break;
                case 5: // IInterface
                    builder.Append(w == 0 ? "I" : "").Append(Capitalize(word));
                    break;
                case 6: // dotted or ::-qualified
                    builder.Append(w == 0 ? "" : random.Next(2) == 0 ? "." : "::").Append(Capitalize(word));
                    break;
                default: // digits and plural acronyms
                    builder.Append(w == 0 ? word.ToLowerInvariant() : word.ToUpperInvariant() + (random.Next(2) == 0 ? "s" : random.Next(100).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    break;
            }
        }

        return builder.ToString();
    }

    private static string Capitalize(string word) =>
        word.Length > 0 && char.IsLower(word[0]) ? string.Concat(char.ToUpperInvariant(word[0]).ToString(), word.AsSpan(1)) : word;
}
