using System.Text;
using StructuralChunking.Discovery;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Reliability;

/// <summary>
/// Deterministic hostile inputs for one language: random bytes, truncations and mutations of real fixture files, deep
/// nesting, giant lines, NUL bytes, byte order marks and invalid UTF-8.
/// </summary>
internal static class HostileInputs
{
    /// <summary>
    /// Inputs per language: 1,000 by default (a few seconds in CI); <c>STRUCTCHUNK_FUZZ_INPUTS</c> raises it for a long run.
    /// </summary>
    public static int Count =>
        int.TryParse(Environment.GetEnvironmentVariable("STRUCTCHUNK_FUZZ_INPUTS"), out var count) && count > 0 ? count : 1000;

    public const int Kinds = 9;

    /// <summary>Real files of <paramref name="language"/> from the fixtures (JavaScript's when there are none).</summary>
    public static List<byte[]> Samples(string language)
    {
        var files = Directory.GetFiles(RepositoryPaths.Fixture(""), "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => LanguageIds.FromPath(f) == language)
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes)
            .ToList();
        return files.Count > 0 ? files : Samples(LanguageIds.JavaScript);
    }

    /// <summary>Input number <paramref name="i"/>: the kind cycles so every kind gets a ninth of the inputs.</summary>
    public static byte[] Make(Random random, int i, List<byte[]> samples)
    {
        var real = samples[random.Next(samples.Count)];
        return (i % Kinds) switch
        {
            0 => RandomBytes(random, random.Next(0, 600)),
            1 => real[..random.Next(0, real.Length + 1)],
            2 => Mutate(random, real),
            3 => Nested(random, random.Next(1, i % 50 == 3 ? 60_000 : 400)),
            // Over the minified-line limit (skipped by discovery) or just under it (parsed, then cut for display).
            4 => GiantLine(random, real, i % 2 == 0 ? random.Next(20_001, 300_000) : random.Next(1_000, 4_000)),
            5 => Insert(random, real, [0]),
            6 => [.. Boms[random.Next(Boms.Length)], .. real],
            7 => Insert(random, real, InvalidUtf8[random.Next(InvalidUtf8.Length)]),
            _ => Concatenated(random, real),
        };
    }

    private static readonly byte[][] Boms = [[0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xFE, 0xFF], [0xFF, 0xFE, 0x00, 0x00], [0xEF, 0xBB]];

    private static readonly byte[][] InvalidUtf8 = [[0xC3], [0xE9], [0x80], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF], [0xFF]];

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] source)
    {
        var copy = (byte[])source.Clone();
        for (var i = 0; i < 16 && copy.Length > 0; i++)
        {
            const string Noise = "{}()[]<>\"'`;:#/\\\n*$@";
            copy[random.Next(copy.Length)] = (byte)Noise[random.Next(Noise.Length)];
        }

        return copy;
    }

    private static byte[] Nested(Random random, int depth)
    {
        var open = "([{<"[random.Next(4)];
        var text = new StringBuilder(depth * 4 + 32);
        text.Append("x = ");
        text.Append(open, depth);
        text.Append('1');
        if (random.Next(2) == 0)
        {
            text.Append(open switch { '(' => ')', '[' => ']', '{' => '}', _ => '>' }, depth);
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    // Bytes drawn from a real file, with its line feeds turned into spaces: one line of plausible tokens.
    private static byte[] GiantLine(Random random, byte[] real, int length)
    {
        var line = new byte[length];
        for (var i = 0; i < line.Length; i++)
        {
            if (real.Length == 0)
            {
                line[i] = (byte)'a';
                continue;
            }

            var first = real[random.Next(real.Length)];
            line[i] = first is (byte)'\n' or (byte)'\r' ? (byte)' ' : real[random.Next(real.Length)];
        }

        return [.. line.Select(static b => b is (byte)'\n' ? (byte)' ' : b)];
    }

    private static byte[] Insert(Random random, byte[] source, byte[] insert)
    {
        var at = random.Next(0, source.Length + 1);
        return [.. source[..at], .. insert, .. source[at..]];
    }

    private static byte[] Concatenated(Random random, byte[] real)
    {
        var copies = random.Next(2, 4);
        var result = new List<byte>();
        for (var i = 0; i < copies; i++)
        {
            result.AddRange(real[..random.Next(0, real.Length + 1)]);
        }

        return [.. result];
    }
}
