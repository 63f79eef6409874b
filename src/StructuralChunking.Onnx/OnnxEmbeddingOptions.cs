using System.Text.Json;
using System.Text.Json.Serialization;

namespace StructuralChunking.Onnx;

/// <summary>
/// Options for <see cref="OnnxEmbeddingGenerator"/>: the model's conventions (pooling, normalization, prefixes, length,
/// casing) and run-time settings (batch size, threads). Defaults suit all-MiniLM-L6-v2.
/// </summary>
/// <remarks>
/// A model folder can carry the conventions in a <c>structchunk-model.json</c> file with the same property names in
/// camelCase, for example <c>{ "pooling": "cls", "maxTokens": 512, "queryPrefix": "query: " }</c>; see
/// <see cref="FromJsonFile"/>. A record, so a variant is one expression:
/// <c>OnnxEmbeddingModels.GetOptions("minilm") with { BatchSize = 64 }</c>.
/// </remarks>
public sealed record OnnxEmbeddingOptions
{
    /// <summary>The name of the optional settings file next to <c>model.onnx</c>.</summary>
    public const string SettingsFileName = "structchunk-model.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The model id reported in profiles and metadata; <c>null</c> for <c>onnx:&lt;folder name&gt;</c>.</summary>
    public string? ModelId { get; init; }

    /// <summary>How token vectors are pooled. Default <see cref="EmbeddingPooling.Mean"/>.</summary>
    public EmbeddingPooling Pooling { get; init; } = EmbeddingPooling.Mean;

    /// <summary>Scale every vector to unit length, so a dot product is the cosine. Default <c>true</c>.</summary>
    public bool Normalize { get; init; } = true;

    /// <summary>
    /// The most tokens per input, <c>[CLS]</c> and <c>[SEP]</c> included; longer inputs are cut. Default 256 (what
    /// all-MiniLM-L6-v2 was trained with; BERT-size models accept up to 512).
    /// </summary>
    public int MaxTokens { get; init; } = 256;

    /// <summary>Text the model wants before a query (see <see cref="Embeddings.EmbeddingProfile.QueryPrefix"/>). Default empty.</summary>
    public string QueryPrefix { get; init; } = string.Empty;

    /// <summary>Text the model wants before a document. Default empty.</summary>
    public string DocumentPrefix { get; init; } = string.Empty;

    /// <summary>Lower-case and strip accents before WordPiece (uncased vocabularies). Default <c>true</c>.</summary>
    public bool LowerCase { get; init; } = true;

    /// <summary>
    /// The model output holding token vectors (<c>[batch, tokens, dims]</c>) or pooled vectors (<c>[batch, dims]</c>);
    /// <c>null</c> picks <c>last_hidden_state</c>, <c>token_embeddings</c> or <c>sentence_embedding</c>, in that order.
    /// </summary>
    public string? OutputName { get; init; }

    /// <summary>The most texts per inference call. Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>
    /// The most tokens (texts × padded length) per inference call; a text longer than this still runs, alone.
    /// Default 512: larger batches spill the attention and feed-forward intermediates out of the CPU caches. On a 2-core
    /// AVX-512 machine, code chunks (about 150 tokens each, sorted by length) took 11% less CPU in batches of at most 512
    /// tokens than of 2,048 with the float MiniLM, and 12–15% less with the int8 one (docs/PERFORMANCE.md).
    /// </summary>
    public int MaxBatchTokens { get; init; } = 512;

    /// <summary>
    /// Threads ONNX Runtime uses inside one inference call. Default <see cref="Environment.ProcessorCount"/> divided
    /// by the number of batches run at once by default, which is the core count up to 4 (so 1 on up to 4 cores, 2 on
    /// 8): several single-threaded batches keep the cores busier than one batch on all of them.
    /// </summary>
    public int IntraOpThreads { get; init; } = Math.Max(1, Environment.ProcessorCount / DefaultConcurrentBatches);

    /// <summary>
    /// Batches run at once, each on its own thread with <see cref="IntraOpThreads"/> threads inside its inference call.
    /// The batches are the same as when they run one at a time, so every text gets the same vector either way. Default
    /// <c>null</c>: as many as there are cores for <see cref="IntraOpThreads"/> threads each, at most 4 (so setting only
    /// <see cref="IntraOpThreads"/> never asks for more threads than cores). On two cores, two single-threaded batches
    /// at once embedded chunks in 8–20% less wall time than one batch on two threads, whose threads wait for each other
    /// at every operator, and two batches of two threads each were slower than either (docs/PERFORMANCE.md). A single
    /// text (a query) runs alone either way.
    /// </summary>
    public int? ConcurrentBatches { get; init; }

    /// <summary>The batches run at once: <see cref="ConcurrentBatches"/>, or the default it describes.</summary>
    internal int EffectiveConcurrentBatches => ConcurrentBatches ?? Math.Clamp(Environment.ProcessorCount / Math.Max(1, IntraOpThreads), 1, 4);

    private static int DefaultConcurrentBatches => Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>
    /// Let ONNX Runtime's worker threads spin while they wait for work between operators. Default <c>false</c>: spinning
    /// shaves microseconds off each operator on an idle machine, but on a busy one it burns the cores that the other
    /// thread of the same call (and every other process) needs.
    /// </summary>
    public bool AllowSpinning { get; init; }

    /// <summary>
    /// A folder where an optimized copy of the model is kept (about the model's size on disk), so that creating the
    /// next session skips parsing and optimizing the model: on all-MiniLM-L6-v2 about 0.35 s of CPU instead of 1 s, the
    /// embeddings identical to the bit. Default <c>null</c>: no copy is written. <see cref="DefaultOptimizedModelCacheDirectory"/>
    /// is the per-user cache folder. A copy is tied to the model file (path, length, last write time) and the ONNX Runtime
    /// version (the four copies used last are kept); any failure to write or read it falls back to loading the model
    /// itself. Not read from
    /// <c>structchunk-model.json</c>: it is a setting of the machine, not of the model.
    /// </summary>
    [JsonIgnore]
    public string? OptimizedModelCacheDirectory { get; init; }

    /// <summary>
    /// The per-user cache folder for <see cref="OptimizedModelCacheDirectory"/>: <c>$XDG_CACHE_HOME/structchunk/onnx</c>
    /// (else <c>~/.cache/structchunk/onnx</c>) on Linux and macOS, <c>%LOCALAPPDATA%\structchunk\onnx</c> on Windows;
    /// <c>null</c> when the system names no such folder.
    /// </summary>
    public static string? DefaultOptimizedModelCacheDirectory
    {
        get
        {
            string? root;
            if (OperatingSystem.IsWindows())
            {
                root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            }
            else
            {
                root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
                if (string.IsNullOrEmpty(root) || !Path.IsPathRooted(root))
                {
                    var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                    root = string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".cache");
                }
            }

            return string.IsNullOrEmpty(root) ? null : Path.Combine(root, "structchunk", "onnx");
        }
    }

    /// <summary>Reads options from a <c>structchunk-model.json</c> file; absent properties keep their defaults.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not valid JSON for these options.</exception>
    public static OnnxEmbeddingOptions FromJsonFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model settings file not found: {path}", path);
        }

        try
        {
            using var stream = File.OpenRead(path);
            var options = JsonSerializer.Deserialize<OnnxEmbeddingOptions>(stream, JsonOptions)
                ?? throw new InvalidDataException($"{path} holds null instead of a settings object.");
            options.Validate();
            return options;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid model settings file: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Checks the options, reporting every problem at once.</summary>
    /// <exception cref="ArgumentException">One or more options are out of range.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (MaxTokens is < 3 or > 8192)
        {
            errors.Add($"{nameof(MaxTokens)} must be between 3 and 8192 (was {MaxTokens}).");
        }

        if (BatchSize is < 1 or > 1024)
        {
            errors.Add($"{nameof(BatchSize)} must be between 1 and 1024 (was {BatchSize}).");
        }

        if (MaxBatchTokens is < 1 or > 1_048_576)
        {
            errors.Add($"{nameof(MaxBatchTokens)} must be between 1 and 1048576 (was {MaxBatchTokens}).");
        }

        if (IntraOpThreads < 1)
        {
            errors.Add($"{nameof(IntraOpThreads)} must be at least 1 (was {IntraOpThreads}).");
        }

        if (ConcurrentBatches is < 1 or > 256)
        {
            errors.Add($"{nameof(ConcurrentBatches)} must be between 1 and 256 (was {ConcurrentBatches}).");
        }

        if (!Enum.IsDefined(Pooling))
        {
            errors.Add($"{nameof(Pooling)} must be {nameof(EmbeddingPooling.Mean)} or {nameof(EmbeddingPooling.Cls)} (was {Pooling}).");
        }

        if (QueryPrefix is null || DocumentPrefix is null)
        {
            errors.Add($"{nameof(QueryPrefix)} and {nameof(DocumentPrefix)} must not be null (use an empty string).");
        }

        if (ModelId is { Length: 0 } || OutputName is { Length: 0 })
        {
            errors.Add($"{nameof(ModelId)} and {nameof(OutputName)} must be null or non-empty.");
        }

        if (OptimizedModelCacheDirectory is { Length: 0 })
        {
            errors.Add($"{nameof(OptimizedModelCacheDirectory)} must be null or a folder.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid ONNX embedding options: " + string.Join(" ", errors));
        }
    }
}
