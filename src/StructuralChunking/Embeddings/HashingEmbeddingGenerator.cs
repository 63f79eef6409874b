using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using StructuralChunking.Identifiers;

namespace StructuralChunking.Embeddings;

/// <summary>
/// A deterministic, model-free embedder: feature hashing of identifier words, word bigrams, character trigrams and whole
/// identifiers, with sublinear term weighting, L2-normalised. The offline fallback and the fast test double.
/// </summary>
/// <remarks>
/// <para>Every identifier is split into words (<see cref="IdentifierSplitter"/>), so <c>useAdminJwtValidationMiddleware</c>
/// and the query "admin jwt validation" share features. Each feature is hashed (64-bit FNV-1a, seeded per feature type)
/// to a dimension and a sign; its weight is <c>(1 + ln tf) × typeWeight</c>, and common English words count a tenth.</para>
/// <para>Thread-safe; no state beyond options. Vectors are identical on every machine and run.</para>
/// </remarks>
public sealed class HashingEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private const ulong WordSeed = 0x9E3779B97F4A7C15UL;
    private const ulong BigramSeed = 0xC2B2AE3D27D4EB4FUL;
    private const ulong TrigramSeed = 0x165667B19E3779F9UL;
    private const ulong IdentifierSeed = 0x27D4EB2F165667C5UL;
    private const float StopWordFactor = 0.1f;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "is", "are", "was", "be", "to", "of", "in", "on", "for", "and", "or", "it", "its", "that", "this",
        "with", "as", "by", "at", "from", "where", "what", "which", "how", "when", "does", "do", "there", "then", "than",
        "into", "if", "else", "so", "we", "you", "can", "will", "whose", "who", "not", "no",
    };

    private readonly HashingEmbeddingOptions _options;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <summary>Creates the embedder.</summary>
    public HashingEmbeddingGenerator(HashingEmbeddingOptions? options = null)
    {
        _options = options ?? new HashingEmbeddingOptions();
        _options.Validate();
        Profile = new EmbeddingProfile($"hash-{_options.Dimensions}", _options.Dimensions);
        _metadata = new EmbeddingGeneratorMetadata("structchunk-hashing", null, Profile.ModelId, _options.Dimensions);
    }

    /// <summary>The model id (<c>hash-512</c> by default) and dimension; no prefixes.</summary>
    public EmbeddingProfile Profile { get; }

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var vector = new float[_options.Dimensions];
            Embed(value ?? string.Empty, vector);
            result.Add(new Embedding<float>(vector) { ModelId = Profile.ModelId, CreatedAt = null });
        }

        return Task.FromResult(result);
    }

    /// <summary>Writes the embedding of <paramref name="text"/> into <paramref name="destination"/> (length = dimensions).</summary>
    public void Embed(string text, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (destination.Length != _options.Dimensions)
        {
            throw new ArgumentException($"Destination must have {_options.Dimensions} elements.", nameof(destination));
        }

        destination.Clear();
        var counts = new Dictionary<(ulong Hash, byte Kind), float>();
        var words = new List<string>();
        var scratch = new List<string>();
        foreach (var range in IdentifierSplitter.EnumerateIdentifiers(text))
        {
            var identifier = text.AsSpan()[range];
            scratch.Clear();
            IdentifierSplitter.Split(identifier, scratch);
            if (scratch.Count > 1)
            {
                Count(counts, Hash(IdentifierSeed, string.Concat(scratch)), 3, 1f);
            }

            words.AddRange(scratch);
        }

        Span<char> buffer = stackalloc char[66];
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var stop = StopWords.Contains(word);
            Count(counts, Hash(WordSeed, word), 0, stop ? StopWordFactor : 1f);
            if (i + 1 < words.Count && !stop && !StopWords.Contains(words[i + 1]))
            {
                Count(counts, Hash(BigramSeed, word, words[i + 1]), 1, 1f);
            }

            if (!stop && word.Length >= 3)
            {
                // Trigrams of "^word$" so prefixes and suffixes count as features of their own.
                var padded = buffer[..(Math.Min(word.Length, 64) + 2)];
                padded[0] = '^';
                word.AsSpan(0, padded.Length - 2).CopyTo(padded[1..]);
                padded[^1] = '$';
                for (var j = 0; j + 3 <= padded.Length; j++)
                {
                    Count(counts, Hash(TrigramSeed, padded.Slice(j, 3)), 2, 1f);
                }
            }
        }

        foreach (var ((hash, kind), tf) in counts)
        {
            var typeWeight = kind switch
            {
                0 => _options.WordWeight,
                1 => _options.BigramWeight,
                2 => _options.CharTrigramWeight,
                _ => _options.IdentifierWeight,
            };
            var weight = (1f + MathF.Log(Math.Max(tf, 1f))) * typeWeight * Math.Min(tf, 1f);
            var index = (int)(hash % (ulong)destination.Length);
            destination[index] += (hash >> 63) == 0 ? weight : -weight;
        }

        var norm = TensorPrimitives.Norm(destination);
        if (norm > 0f)
        {
            TensorPrimitives.Divide(destination, norm, destination);
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return _metadata;
        }

        if (serviceType == typeof(EmbeddingProfile))
        {
            return Profile;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    // A stop word counts a fraction; several occurrences still grow sublinearly.
    private static void Count(Dictionary<(ulong, byte), float> counts, ulong hash, byte kind, float amount)
    {
        var key = (hash, kind);
        counts[key] = counts.GetValueOrDefault(key) + amount;
    }

    private static ulong Hash(ulong seed, ReadOnlySpan<char> text)
    {
        var hash = 14695981039346656037UL ^ seed;
        foreach (var c in text)
        {
            hash ^= char.ToLowerInvariant(c);
            hash *= 1099511628211UL;
        }

        // FNV's low bits mix poorly; a final avalanche spreads them before the modulo.
        hash ^= hash >> 33;
        hash *= 0xFF51AFD7ED558CCDUL;
        hash ^= hash >> 33;
        return hash;
    }

    private static ulong Hash(ulong seed, string first, string second) =>
        Hash(seed, string.Concat(first, "\u0001", second));
}
