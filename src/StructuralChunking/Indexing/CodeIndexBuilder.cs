using System.Collections.Immutable;
using Microsoft.Extensions.AI;
using StructuralChunking.Chunking;
using StructuralChunking.Embeddings;
using StructuralChunking.Graph;
using StructuralChunking.Search;

namespace StructuralChunking.Indexing;

/// <summary>Progress of an index build: chunks embedded so far out of those that needed embedding.</summary>
/// <param name="Embedded">Chunks embedded so far.</param>
/// <param name="ToEmbed">Chunks that needed embedding (not reused from the previous index).</param>
/// <param name="Reused">Chunks whose embedding was reused.</param>
public sealed record IndexBuildProgress(int Embedded, int ToEmbed, int Reused);

/// <summary>Builds a <see cref="CodeIndex"/> from chunks, reusing the embeddings of unchanged chunks.</summary>
public static class CodeIndexBuilder
{
    /// <summary>
    /// Chunks sent to the embedder at once. An embedder that runs batches concurrently waits for its last batch at the
    /// end of each call, so a call holds many batches' worth of chunks; progress is reported after each call.
    /// </summary>
    public const int BatchSize = 256;

    /// <summary>
    /// Embeds <paramref name="chunks"/> (with the profile's document prefix) and indexes them. Chunks whose content hash
    /// is in <paramref name="previous"/>, built with the same model, keep their stored embedding instead of being
    /// embedded again.
    /// </summary>
    /// <exception cref="ArgumentException">Two chunks share an id.</exception>
    /// <exception cref="InvalidOperationException">The embedder returned vectors of the wrong length or count.</exception>
    public static Task<CodeIndex> BuildAsync(
        IReadOnlyList<CodeChunk> chunks,
        IEmbeddingGenerator<string, Embedding<float>> embedder,
        EmbeddingProfile profile,
        string chunkerDescription,
        IReadOnlyDictionary<string, string>? fileHashes = null,
        CodeIndex? previous = null,
        IProgress<IndexBuildProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        BuildAsync(chunks, graph: null, embedder, profile, chunkerDescription, fileHashes, previous, progress, cancellationToken);

    /// <summary>
    /// Embeds and indexes <paramref name="chunks"/> like the overload without a graph, and also stores the relations of
    /// <paramref name="graph"/> (the graph the chunks were cut from) between the chunks, so that hybrid search can pass
    /// score from declarations to the code that acts on them (see <see cref="SearchOptions.GraphWeight"/>).
    /// </summary>
    /// <exception cref="ArgumentException">Two chunks share an id.</exception>
    /// <exception cref="InvalidOperationException">The embedder returned vectors of the wrong length or count.</exception>
    public static Task<CodeIndex> BuildAsync(
        IReadOnlyList<CodeChunk> chunks,
        CodeGraph? graph,
        IEmbeddingGenerator<string, Embedding<float>> embedder,
        EmbeddingProfile profile,
        string chunkerDescription,
        IReadOnlyDictionary<string, string>? fileHashes = null,
        CodeIndex? previous = null,
        IProgress<IndexBuildProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var cache = EmbeddingCache(previous, profile);
        return BuildAsync(chunks, graph, embedder, profile, chunkerDescription, fileHashes, previous?.Metadata,
            hash => cache.TryGetValue(hash, out var ordinal) ? previous!.Vectors[ordinal].ToArray() : null, progress, cancellationToken);
    }

    /// <summary>
    /// Embeds and indexes <paramref name="chunks"/> like the overload with a previous index, reusing embeddings a store
    /// kept instead: a chunk whose content hash is a key of <paramref name="reusableEmbeddings"/> keeps that embedding.
    /// </summary>
    /// <param name="chunks">The chunks.</param>
    /// <param name="graph">The graph the chunks were cut from, or <c>null</c>.</param>
    /// <param name="embedder">The model.</param>
    /// <param name="profile">The model's profile.</param>
    /// <param name="chunkerDescription">The chunker and its options.</param>
    /// <param name="fileHashes">Content hash of every indexed file.</param>
    /// <param name="previous">The stored index's metadata: its calibrated minimum scores and confidence model are kept when model and chunker are the same.</param>
    /// <param name="reusableEmbeddings">Embeddings made by the same model for the same document prefix, by chunk content hash.</param>
    /// <param name="progress">Receives progress; may be <c>null</c>.</param>
    /// <param name="cancellationToken">Stops the build.</param>
    /// <exception cref="ArgumentException">Two chunks share an id.</exception>
    /// <exception cref="InvalidOperationException">The embedder returned vectors of the wrong length or count.</exception>
    public static Task<CodeIndex> BuildAsync(
        IReadOnlyList<CodeChunk> chunks,
        CodeGraph? graph,
        IEmbeddingGenerator<string, Embedding<float>> embedder,
        EmbeddingProfile profile,
        string chunkerDescription,
        IReadOnlyDictionary<string, string>? fileHashes,
        IndexMetadata? previous,
        IReadOnlyDictionary<string, float[]> reusableEmbeddings,
        IProgress<IndexBuildProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reusableEmbeddings);
        return BuildAsync(chunks, graph, embedder, profile, chunkerDescription, fileHashes, previous,
            hash => reusableEmbeddings.TryGetValue(hash, out var vector) && vector.Length == profile.Dimensions ? vector : null, progress, cancellationToken);
    }

    private static async Task<CodeIndex> BuildAsync(
        IReadOnlyList<CodeChunk> chunks,
        CodeGraph? graph,
        IEmbeddingGenerator<string, Embedding<float>> embedder,
        EmbeddingProfile profile,
        string chunkerDescription,
        IReadOnlyDictionary<string, string>? fileHashes,
        IndexMetadata? previous,
        Func<string, float[]?> reusable,
        IProgress<IndexBuildProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(profile);

        var redactions = new List<Security.SecretRedaction>();
        var ordered = chunks.Select(c => RedactChunk(c, redactions)).OrderBy(c => c.Id, StringComparer.Ordinal).ToArray();
        for (var i = 1; i < ordered.Length; i++)
        {
            if (string.Equals(ordered[i - 1].Id, ordered[i].Id, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Two chunks share the id '{ordered[i].Id}'.", nameof(chunks));
            }
        }

        var vectors = new float[ordered.Length][];
        var pending = new List<int>();
        // Chunks with the same embedding text (generated members, copied files) are embedded once.
        var copies = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var firstWithText = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < ordered.Length; i++)
        {
            if (reusable(ordered[i].ContentHash) is { } stored)
            {
                vectors[i] = stored;
            }
            else if (firstWithText.TryGetValue(ordered[i].ContentHash, out var first))
            {
                if (!copies.TryGetValue(ordered[i].ContentHash, out var list))
                {
                    list = [];
                    copies.Add(ordered[i].ContentHash, list);
                }

                list.Add(i);
            }
            else
            {
                firstWithText.Add(ordered[i].ContentHash, i);
                pending.Add(i);
            }
        }

        // Similar lengths in one call: an embedder pads each batch to its longest text, and chunk ids (the order above)
        // say nothing about length. Longest first, so the estimate of the remaining time only improves.
        pending.Sort((a, b) =>
        {
            var byLength = ordered[b].EmbeddingText.Length.CompareTo(ordered[a].EmbeddingText.Length);
            return byLength != 0 ? byLength : a.CompareTo(b);
        });

        var reused = ordered.Length - pending.Count - copies.Sum(c => c.Value.Count);
        progress?.Report(new IndexBuildProgress(0, pending.Count, reused));
        for (var start = 0; start < pending.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = pending.Skip(start).Take(BatchSize).ToList();
            var embeddings = await embedder.GenerateAsync(batch.Select(i => profile.ForDocument(ordered[i].EmbeddingText)), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (embeddings.Count != batch.Count)
            {
                throw new InvalidOperationException($"The embedder returned {embeddings.Count} vectors for {batch.Count} texts.");
            }

            for (var j = 0; j < batch.Count; j++)
            {
                var vector = embeddings[j].Vector;
                if (vector.Length != profile.Dimensions)
                {
                    throw new InvalidOperationException($"The embedder returned a vector of {vector.Length} dimensions; model '{profile.ModelId}' should give {profile.Dimensions}.");
                }

                vectors[batch[j]] = vector.ToArray();
            }

            progress?.Report(new IndexBuildProgress(Math.Min(start + BatchSize, pending.Count), pending.Count, reused));
        }

        foreach (var (hash, list) in copies)
        {
            foreach (var i in list)
            {
                vectors[i] = vectors[firstWithText[hash]];
            }
        }

        var index = new FlatVectorIndex(profile.Dimensions, ordered.Length);
        foreach (var vector in vectors)
        {
            index.Add(vector);
        }

        var sameModelAndChunker = previous is not null && previous.ModelId == profile.ModelId && previous.Chunker == chunkerDescription;
        var metadata = new IndexMetadata
        {
            ModelId = profile.ModelId,
            Dimensions = profile.Dimensions,
            QueryPrefix = profile.QueryPrefix,
            DocumentPrefix = profile.DocumentPrefix,
            Chunker = chunkerDescription,
            FileHashes = fileHashes ?? new Dictionary<string, string>(),
            // A threshold calibrated for the same model and chunker stays valid across re-indexing.
            MinScores = sameModelAndChunker
                ? previous!.MinScores
                : new Dictionary<string, float>(),
            Confidence = sameModelAndChunker ? previous!.Confidence : null,
            ConfidenceSource = sameModelAndChunker ? previous!.ConfidenceSource : ConfidenceSource.Shipped,
            Redactions = redactions,
        };

        var relations = graph is null ? null : ChunkRelations.Build(ordered, graph);
        return new CodeIndex(metadata, [.. ordered], index, Bm25Index.Build(ordered.Select(c => c.LexicalText).ToList()), relations);
    }

    /// <summary>
    /// The last line of defence: whatever the chunk's texts were made from (masked source, or headers built from
    /// documentation and signatures), no secret is embedded or stored. Mask padding is shortened so it costs no tokens.
    /// </summary>
    private static CodeChunk RedactChunk(CodeChunk chunk, List<Security.SecretRedaction> redactions)
    {
        var embedding = Security.SecretRedactor.Replace(chunk.EmbeddingText, out var inEmbedding);
        var lexical = Security.SecretRedactor.Replace(chunk.LexicalText, out var inLexical);
        var display = Security.SecretRedactor.Replace(chunk.DisplayText, out var inDisplay);
        var found = Math.Max(inEmbedding, Math.Max(inLexical, inDisplay));
        for (var i = 0; i < found; i++)
        {
            redactions.Add(new Security.SecretRedaction(chunk.Path, chunk.StartLine, "in-chunk"));
        }

        return ReferenceEquals(embedding, chunk.EmbeddingText) && ReferenceEquals(lexical, chunk.LexicalText) && ReferenceEquals(display, chunk.DisplayText)
            ? chunk
            : chunk with { EmbeddingText = embedding, LexicalText = lexical, DisplayText = display };
    }

    private static Dictionary<string, int> EmbeddingCache(CodeIndex? previous, EmbeddingProfile profile)
    {
        var cache = new Dictionary<string, int>(StringComparer.Ordinal);
        if (previous is null || previous.Metadata.ModelId != profile.ModelId || previous.Metadata.Dimensions != profile.Dimensions ||
            previous.Metadata.DocumentPrefix != profile.DocumentPrefix)
        {
            return cache;
        }

        for (var i = 0; i < previous.Chunks.Length; i++)
        {
            cache.TryAdd(previous.Chunks[i].ContentHash, i);
        }

        return cache;
    }
}
