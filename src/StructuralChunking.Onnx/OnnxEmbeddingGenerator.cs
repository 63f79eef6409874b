using System.Buffers;
using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace StructuralChunking.Onnx;

/// <summary>
/// Embeds texts locally with a BERT- or RoBERTa-family ONNX model (<c>model.onnx</c> plus its tokenizer) through
/// ONNX Runtime, as a Microsoft.Extensions.AI <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>.
/// </summary>
/// <remarks>
/// <para><b>Speed.</b> One <see cref="InferenceSession"/> serves every call (its <c>Run</c> is thread-safe). Texts are
/// tokenized, sorted by token count and batched (up to <see cref="OnnxEmbeddingOptions.BatchSize"/> texts and
/// <see cref="OnnxEmbeddingOptions.MaxBatchTokens"/> padded tokens), each batch padded only to its own longest text, so
/// short texts do not pay for long ones. Up to <see cref="OnnxEmbeddingOptions.ConcurrentBatches"/> batches run at
/// once, each on its own thread (the same batches as one at a time, so the same vectors). Input and output buffers come
/// from <see cref="ArrayPool{T}"/>; ONNX Runtime writes straight into the pooled output buffer.</para>
/// <para><b>Results</b> come back in input order. A float model's results do not depend on what else is in the batch
/// (padding is masked); a model whose activations ONNX Runtime quantizes per call (<c>minilm-int8</c>) gets one
/// activation scale per batch, so its vectors move slightly with the texts batched together (mean 1 − cos 1.3e-3 between
/// batches of 2,048 and of 512 tokens, against 2e-3 to the float model).
/// Prefixes are not added here: use <see cref="Profile"/> (<see cref="Embeddings.EmbeddingProfile.ForQuery"/>) so an index
/// treats every model alike.</para>
/// <para><b>Work</b> of <see cref="Embed(IReadOnlyList{string}, IProgress{int}?, CancellationToken)"/> runs on the calling
/// thread and, with concurrent batches, on up to <see cref="OnnxEmbeddingOptions.ConcurrentBatches"/> − 1 more;
/// <see cref="GenerateAsync"/> runs it on the thread pool.
/// Cancellation is checked between batches and also stops the batches in flight.</para>
/// </remarks>
public sealed class OnnxEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The provider name in <see cref="EmbeddingGeneratorMetadata"/>.</summary>
    public const string ProviderName = "onnxruntime";

    /// <summary>
    /// Key of an <see cref="IProgress{T}"/> of <see cref="int"/> in <see cref="EmbeddingGenerationOptions.AdditionalProperties"/>:
    /// <see cref="GenerateAsync"/> reports the number of texts embedded so far to it.
    /// </summary>
    public const string ProgressPropertyName = "structchunk.progress";

    private const string InputIdsName = "input_ids";
    private const string AttentionMaskName = "attention_mask";
    private const string TokenTypeIdsName = "token_type_ids";

    // Tokenize and sort this many batches at a time (and at least MinWindowTexts texts): long runs get length-sorted
    // batches without holding every text's tokens at once. Concurrent batches wait for each other at the end of a
    // window, so a window of one-text batches still holds enough texts to keep every thread busy.
    private const int BatchesPerWindow = 32;
    private const int MinWindowTexts = 512;

    private static readonly string[] PreferredOutputs = ["last_hidden_state", "token_embeddings", "sentence_embedding"];

    private readonly InferenceSession _session;
    private readonly SessionOptions _sessionOptions;
    private readonly OnnxEmbeddingOptions _options;
    private readonly string[] _inputNames;
    private readonly InputKind[] _inputKinds;
    private readonly bool[] _inputIsInt32;
    private readonly bool _hasAttentionMask;
    private readonly string[] _outputNames;
    private readonly bool _outputIsPooled;
    private readonly EmbeddingGeneratorMetadata _metadata;

    private OnnxEmbeddingGenerator(string modelPath, IModelTokenizer tokenizer, OnnxEmbeddingOptions options, string modelId)
    {
        _options = options;
        Tokenizer = tokenizer;
        SessionOptions? created = null;
        SessionOptions CreateOptions()
        {
            created?.Dispose();
            created = new SessionOptions
            {
                IntraOpNumThreads = options.IntraOpThreads,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            created.AddSessionConfigEntry("session.intra_op.allow_spinning", options.AllowSpinning ? "1" : "0");
            return created;
        }

        try
        {
            _session = options.OptimizedModelCacheDirectory is { } cacheDirectory
                ? Internal.OptimizedModelCache.CreateSession(modelPath, cacheDirectory, CreateOptions)
                : new InferenceSession(modelPath, CreateOptions());
            _sessionOptions = created!;
            (_inputNames, _inputKinds, _inputIsInt32) = ReadInputs(_session, modelPath);
            _hasAttentionMask = Array.IndexOf(_inputKinds, InputKind.AttentionMask) >= 0;
            var (outputName, isPooled, dimensions) = ReadOutput(_session, modelPath, options.OutputName);
            _outputNames = [outputName];
            _outputIsPooled = isPooled;
            if (dimensions <= 0)
            {
                // A fully dynamic output shape: one tiny run tells the width.
                Profile = new Embeddings.EmbeddingProfile(modelId, 0, options.QueryPrefix, options.DocumentPrefix);
                dimensions = Embed(["a"])[0].Length;
            }

            Profile = new Embeddings.EmbeddingProfile(modelId, dimensions, options.QueryPrefix, options.DocumentPrefix);
            _metadata = new EmbeddingGeneratorMetadata(ProviderName, new Uri(Path.GetFullPath(modelPath)), modelId, dimensions);
        }
        catch
        {
            _session?.Dispose();
            created?.Dispose();
            throw;
        }
    }

    private enum InputKind
    {
        InputIds,
        AttentionMask,
        TokenTypeIds,
    }

    /// <summary>Model id, dimensions, prefixes and length limit.</summary>
    public Embeddings.EmbeddingProfile Profile { get; }

    /// <summary>The model's tokenizer; also the exact <see cref="Chunking.ITokenCounter"/> for chunk budgets.</summary>
    public IModelTokenizer Tokenizer { get; }

    /// <summary>The options in use.</summary>
    public OnnxEmbeddingOptions Options => _options;

    /// <summary>
    /// Loads a model from a folder holding <c>model.onnx</c> and its tokenizer, plus optionally
    /// <c>structchunk-model.json</c> with the model's conventions.
    /// </summary>
    /// <remarks>
    /// The tokenizer is the first of: <c>vocab.txt</c> (WordPiece, BERT-style; <see cref="OnnxEmbeddingOptions.LowerCase"/>
    /// applies), <c>vocab.json</c> + <c>merges.txt</c> (byte-level BPE, RoBERTa-style, with <c>&lt;s&gt;</c>,
    /// <c>&lt;/s&gt;</c> and <c>&lt;pad&gt;</c>), <c>tokenizer.json</c> (either kind; its own normalizer decides casing and
    /// its post-processor the start and end tokens).
    /// </remarks>
    /// <param name="folder">The model folder.</param>
    /// <param name="options">
    /// Options; <c>null</c> reads <c>structchunk-model.json</c> when the folder has one and takes the defaults otherwise.
    /// Options given here are used as they are and the file is ignored.
    /// </param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException"><c>model.onnx</c> or every tokenizer file is missing, or only one of <c>vocab.json</c> and <c>merges.txt</c> is there.</exception>
    /// <exception cref="NotSupportedException"><c>tokenizer.json</c> describes a tokenizer other than WordPiece or byte-level BPE.</exception>
    /// <exception cref="InvalidDataException">A tokenizer file is malformed.</exception>
    /// <exception cref="InvalidOperationException">The model's inputs or outputs are not those of a text encoder.</exception>
    public static OnnxEmbeddingGenerator FromFolder(string folder, OnnxEmbeddingOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var fullPath = Path.GetFullPath(folder);
        if (!Directory.Exists(fullPath))
        {
            throw new DirectoryNotFoundException($"Embedding model folder not found: {fullPath}");
        }

        var modelPath = Path.Combine(fullPath, "model.onnx");
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"The embedding model folder {fullPath} has no model.onnx.", modelPath);
        }

        if (options is null)
        {
            var settingsPath = Path.Combine(fullPath, OnnxEmbeddingOptions.SettingsFileName);
            options = File.Exists(settingsPath) ? OnnxEmbeddingOptions.FromJsonFile(settingsPath) : new OnnxEmbeddingOptions();
        }

        options.Validate();
        var modelId = options.ModelId ?? OnnxEmbeddingModels.FolderPrefix + Path.GetFileName(Path.TrimEndingDirectorySeparator(fullPath));
        var tokenizer = LoadTokenizer(fullPath, options.LowerCase);
        return new OnnxEmbeddingGenerator(modelPath, tokenizer, options, modelId);
    }

    private static IModelTokenizer LoadTokenizer(string folder, bool lowerCase)
    {
        var wordPieces = Path.Combine(folder, "vocab.txt");
        if (File.Exists(wordPieces))
        {
            return BertCodeTokenizer.FromVocabularyFile(wordPieces, lowerCase);
        }

        var vocabulary = Path.Combine(folder, "vocab.json");
        var merges = Path.Combine(folder, "merges.txt");
        if (File.Exists(vocabulary) && File.Exists(merges))
        {
            return ByteLevelBpeTokenizer.FromFiles(vocabulary, merges);
        }

        var tokenizerJson = Path.Combine(folder, "tokenizer.json");
        if (File.Exists(tokenizerJson))
        {
            return Internal.TokenizerJsonFile.Load(tokenizerJson);
        }

        if (File.Exists(vocabulary) || File.Exists(merges))
        {
            var (present, missing) = File.Exists(vocabulary) ? (vocabulary, merges) : (merges, vocabulary);
            throw new FileNotFoundException(
                $"The embedding model folder {folder} has {Path.GetFileName(present)} but no {Path.GetFileName(missing)}: a BPE tokenizer needs both (or a tokenizer.json).", missing);
        }

        throw new FileNotFoundException(
            $"The embedding model folder {folder} has no tokenizer: add vocab.txt (WordPiece), vocab.json + merges.txt (byte-level BPE) or tokenizer.json next to model.onnx.", wordPieces);
    }

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        cancellationToken.ThrowIfCancellationRequested();
        if (options?.Dimensions is { } dimensions && dimensions != Profile.Dimensions)
        {
            throw new NotSupportedException($"Model '{Profile.ModelId}' produces {Profile.Dimensions} dimensions; {dimensions} were asked for.");
        }

        if (options?.ModelId is { } modelId && !string.Equals(modelId, Profile.ModelId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"This generator runs model '{Profile.ModelId}', not '{modelId}'.", nameof(options));
        }

        IProgress<int>? progress = null;
        if (options?.AdditionalProperties is { } properties && properties.TryGetValue(ProgressPropertyName, out IProgress<int>? reporter))
        {
            progress = reporter;
        }

        var texts = values as IReadOnlyList<string> ?? values.ToList();

        // Inference is CPU-bound and takes tens of milliseconds per batch: run it on the thread pool so the caller's
        // thread (a UI, a request handler, an MCP server's read loop) is never blocked.
        return Task.Run(() => ToEmbeddings(texts, progress, cancellationToken), cancellationToken);
    }

    private GeneratedEmbeddings<Embedding<float>> ToEmbeddings(IReadOnlyList<string> texts, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var vectors = Embed(texts, progress, cancellationToken, out var tokenCount);
        var created = DateTimeOffset.UtcNow;
        var result = new GeneratedEmbeddings<Embedding<float>>(vectors.Length)
        {
            Usage = new UsageDetails { InputTokenCount = tokenCount, TotalTokenCount = tokenCount },
        };
        foreach (var vector in vectors)
        {
            result.Add(new Embedding<float>(vector) { ModelId = Profile.ModelId, CreatedAt = created });
        }

        return result;
    }

    /// <summary>Embeds texts as they are (no prefix added), returning one vector per text in input order.</summary>
    /// <param name="texts">The texts.</param>
    /// <param name="progress">Receives the number of texts embedded so far, after each batch.</param>
    /// <param name="cancellationToken">Checked between batches; also stops a batch in flight.</param>
    public float[][] Embed(IReadOnlyList<string> texts, IProgress<int>? progress = null, CancellationToken cancellationToken = default) =>
        Embed(texts, progress, cancellationToken, out _);

    /// <summary>Embeds one text as it is (no prefix added).</summary>
    public float[] Embed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Embed([text])[0];
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

        // The profile indexes record and check: model id, dimension and prefixes.
        if (serviceType == typeof(Embeddings.EmbeddingProfile))
        {
            return Profile;
        }

        if (serviceType == typeof(InferenceSession))
        {
            return _session;
        }

        if (serviceType.IsInstanceOfType(this))
        {
            return this;
        }

        return serviceType.IsInstanceOfType(Tokenizer) ? Tokenizer : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _session.Dispose();
        _sessionOptions.Dispose();
    }

    private float[][] Embed(IReadOnlyList<string> texts, IProgress<int>? progress, CancellationToken cancellationToken, out long tokenCount)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var results = new float[texts.Count][];
        tokenCount = 0;
        if (texts.Count == 0)
        {
            return results;
        }

        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions);
        var windowSize = Math.Max(_options.BatchSize * BatchesPerWindow, MinWindowTexts);
        var tokens = new int[Math.Min(windowSize, texts.Count)][];
        var lengths = new int[tokens.Length];
        var order = new int[tokens.Length];
        var done = 0;
        for (var windowStart = 0; windowStart < texts.Count; windowStart += windowSize)
        {
            var count = Math.Min(windowSize, texts.Count - windowStart);
            for (var i = 0; i < count; i++)
            {
                var text = texts[windowStart + i] ?? throw new ArgumentException($"Text {windowStart + i} is null.", nameof(texts));
                tokens[i] = Tokenizer.EncodeForModel(text, _options.MaxTokens);
                lengths[i] = tokens[i].Length;
                order[i] = windowStart + i;
                tokenCount += lengths[i];
            }

            // Shortest first: each batch then pads to a length close to all of its members'.
            Array.Sort(lengths, order, 0, count);
            var batches = new List<(int Start, int End)>();
            for (var batchStart = 0; batchStart < count;)
            {
                var batchEnd = BatchEnd(lengths, batchStart, count);
                batches.Add((batchStart, batchEnd));
                batchStart = batchEnd;
            }

            var workers = Math.Min(_options.EffectiveConcurrentBatches, batches.Count);
            if (workers <= 1)
            {
                foreach (var (batchStart, batchEnd) in batches)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    RunBatch(tokens, order.AsSpan(batchStart, batchEnd - batchStart), windowStart, lengths[batchEnd - 1], results, runOptions, cancellationToken);
                    done += batchEnd - batchStart;
                    progress?.Report(done);
                }
            }
            else
            {
                done = RunConcurrently(batches, workers, tokens, order, lengths, windowStart, results, runOptions, progress, done, cancellationToken);
            }

            Array.Clear(tokens);
        }

        return results;
    }

    // The same batches as one at a time (so the same vectors: a quantized model's activation scale depends on the batch),
    // taken in order by `workers` threads, each running its own batch; the calling thread is one of them.
    private int RunConcurrently(
        List<(int Start, int End)> batches,
        int workers,
        int[][] tokens,
        int[] order,
        int[] lengths,
        int windowStart,
        float[][] results,
        RunOptions runOptions,
        IProgress<int>? progress,
        int done,
        CancellationToken cancellationToken)
    {
        var next = -1;
        var progressLock = new object();
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void Work()
        {
            try
            {
                int index;
                while (!stop.IsCancellationRequested && (index = Interlocked.Increment(ref next)) < batches.Count)
                {
                    var (batchStart, batchEnd) = batches[index];
                    RunBatch(tokens, order.AsSpan(batchStart, batchEnd - batchStart), windowStart, lengths[batchEnd - 1], results, runOptions, cancellationToken);
                    lock (progressLock)
                    {
                        done += batchEnd - batchStart;
                        progress?.Report(done);
                    }
                }
            }
            catch (Exception ex)
            {
                // The other threads stop before their next batch.
                errors.Enqueue(ex);
                stop.Cancel();
            }
        }

        var others = new Task[workers - 1];
        for (var i = 0; i < others.Length; i++)
        {
            others[i] = Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        Work();
        Task.WaitAll(others, CancellationToken.None);
        cancellationToken.ThrowIfCancellationRequested();
        if ((errors.FirstOrDefault(e => e is not OperationCanceledException) ?? errors.FirstOrDefault()) is { } error)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }

        return done;
    }

    // Lengths ascend, so a batch's padded size is its size times the length of its last text.
    private int BatchEnd(int[] lengths, int batchStart, int count)
    {
        var limit = Math.Min(batchStart + _options.BatchSize, count);
        var end = batchStart + 1;
        while (end < limit && (end - batchStart + 1) * lengths[end] <= _options.MaxBatchTokens)
        {
            // Without a mask the model would attend to padding: batch only texts of one length.
            if (!_hasAttentionMask && lengths[end] != lengths[batchStart])
            {
                break;
            }

            end++;
        }

        return end;
    }

    private void RunBatch(
        int[][] tokens,
        ReadOnlySpan<int> batch,
        int windowStart,
        int sequenceLength,
        float[][] results,
        RunOptions runOptions,
        CancellationToken cancellationToken)
    {
        var rows = batch.Length;
        var cells = rows * sequenceLength;
        long[] shape = [rows, sequenceLength];
        var rented = new object[_inputNames.Length];
        var values = new OrtValue[_inputNames.Length];
        float[]? output = null;
        OrtValue? outputValue = null;
        try
        {
            for (var input = 0; input < _inputNames.Length; input++)
            {
                if (_inputIsInt32[input])
                {
                    var buffer = ArrayPool<int>.Shared.Rent(cells);
                    rented[input] = buffer;
                    FillInput(_inputKinds[input], tokens, batch, windowStart, sequenceLength, Tokenizer.PaddingTokenId, buffer.AsSpan(0, cells));
                    values[input] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, cells), shape);
                }
                else
                {
                    var buffer = ArrayPool<long>.Shared.Rent(cells);
                    rented[input] = buffer;
                    FillInput(_inputKinds[input], tokens, batch, windowStart, sequenceLength, Tokenizer.PaddingTokenId, buffer.AsSpan(0, cells));
                    values[input] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, cells), shape);
                }
            }

            var dimensions = Profile.Dimensions;
            if (dimensions <= 0)
            {
                // Only the constructor's probe gets here, with its single one-token text.
                using var probe = _session.Run(runOptions, _inputNames, values, _outputNames);
                dimensions = (int)probe[0].GetTensorTypeAndShape().Shape[^1];
                output = ArrayPool<float>.Shared.Rent(probe[0].GetTensorDataAsSpan<float>().Length);
                probe[0].GetTensorDataAsSpan<float>().CopyTo(output);
            }
            else
            {
                var outputCells = _outputIsPooled ? rows * dimensions : cells * dimensions;
                output = ArrayPool<float>.Shared.Rent(outputCells);
                long[] outputShape = _outputIsPooled ? [rows, dimensions] : [rows, sequenceLength, dimensions];
                outputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, output.AsMemory(0, outputCells), outputShape);
                _session.Run(runOptions, _inputNames, values, _outputNames, [outputValue]);
            }

            for (var row = 0; row < rows; row++)
            {
                var index = batch[row];
                results[index] = Pool(output, row, tokens[index - windowStart].Length, sequenceLength, dimensions);
            }
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("Embedding was cancelled.", cancellationToken);
        }
        finally
        {
            outputValue?.Dispose();
            if (output is not null)
            {
                ArrayPool<float>.Shared.Return(output);
            }

            for (var input = 0; input < values.Length; input++)
            {
                values[input]?.Dispose();
                switch (rented[input])
                {
                    case int[] ints:
                        ArrayPool<int>.Shared.Return(ints);
                        break;
                    case long[] longs:
                        ArrayPool<long>.Shared.Return(longs);
                        break;
                }
            }
        }
    }

    private static void FillInput<T>(InputKind kind, int[][] tokens, ReadOnlySpan<int> batch, int windowStart, int sequenceLength, int paddingId, Span<T> buffer)
        where T : struct, System.Numerics.IBinaryInteger<T>
    {
        // Padded ids carry the tokenizer's padding id: the mask hides them from attention, but RoBERTa-style models also
        // derive position ids from which ids are padding. Mask and token types pad with 0.
        if (kind == InputKind.InputIds)
        {
            buffer.Fill(T.CreateTruncating(paddingId));
        }
        else
        {
            buffer.Clear();
        }

        if (kind == InputKind.TokenTypeIds)
        {
            return;
        }

        for (var row = 0; row < batch.Length; row++)
        {
            var ids = tokens[batch[row] - windowStart];
            var destination = buffer.Slice(row * sequenceLength, ids.Length);
            if (kind == InputKind.AttentionMask)
            {
                destination.Fill(T.One);
                continue;
            }

            for (var i = 0; i < ids.Length; i++)
            {
                destination[i] = T.CreateTruncating(ids[i]);
            }
        }
    }

    private float[] Pool(float[] output, int row, int length, int sequenceLength, int dimensions)
    {
        var vector = new float[dimensions];
        if (_outputIsPooled)
        {
            output.AsSpan(row * dimensions, dimensions).CopyTo(vector);
        }
        else if (_options.Pooling == EmbeddingPooling.Cls)
        {
            output.AsSpan(row * sequenceLength * dimensions, dimensions).CopyTo(vector);
        }
        else
        {
            // Mean over the real tokens ([CLS] and [SEP] included, padding not), as sentence-transformers does.
            var rowStart = row * sequenceLength * dimensions;
            for (var t = 0; t < length; t++)
            {
                TensorPrimitives.Add<float>(vector, output.AsSpan(rowStart + (t * dimensions), dimensions), vector);
            }

            TensorPrimitives.Divide<float>(vector, length, vector);
        }

        if (_options.Normalize)
        {
            var norm = TensorPrimitives.Norm<float>(vector);
            TensorPrimitives.Divide<float>(vector, Math.Max(norm, 1e-12f), vector);
        }

        return vector;
    }

    private static (string[] Names, InputKind[] Kinds, bool[] IsInt32) ReadInputs(InferenceSession session, string modelPath)
    {
        var names = new string[session.InputMetadata.Count];
        var kinds = new InputKind[names.Length];
        var isInt32 = new bool[names.Length];
        var index = 0;
        foreach (var (name, metadata) in session.InputMetadata)
        {
            kinds[index] = name switch
            {
                InputIdsName => InputKind.InputIds,
                AttentionMaskName => InputKind.AttentionMask,
                TokenTypeIdsName => InputKind.TokenTypeIds,
                _ => throw new InvalidOperationException(
                    $"The model {modelPath} has an input '{name}' this generator cannot fill; it fills {InputIdsName}, {AttentionMaskName} and {TokenTypeIdsName}."),
            };
            if (metadata.ElementDataType is not (TensorElementType.Int64 or TensorElementType.Int32) || metadata.Dimensions.Length != 2)
            {
                throw new InvalidOperationException(
                    $"The model {modelPath} input '{name}' is {metadata.ElementDataType}[{string.Join(", ", metadata.Dimensions)}]; a [batch, tokens] int64 or int32 tensor is needed.");
            }

            names[index] = name;
            isInt32[index] = metadata.ElementDataType == TensorElementType.Int32;
            index++;
        }

        if (Array.IndexOf(kinds, InputKind.InputIds) < 0)
        {
            throw new InvalidOperationException(
                $"The model {modelPath} has no '{InputIdsName}' input (its inputs: {string.Join(", ", names)}); it is not a BERT-style text encoder.");
        }

        return (names, kinds, isInt32);
    }

    private static (string Name, bool IsPooled, int Dimensions) ReadOutput(InferenceSession session, string modelPath, string? wanted)
    {
        var outputs = session.OutputMetadata;
        string? name = wanted;
        if (name is null)
        {
            foreach (var candidate in PreferredOutputs)
            {
                if (outputs.ContainsKey(candidate))
                {
                    name = candidate;
                    break;
                }
            }
        }

        if (name is null || !outputs.TryGetValue(name, out var metadata))
        {
            var what = wanted is null ? $"none of {string.Join(", ", PreferredOutputs)}" : $"no output '{wanted}'";
            throw new InvalidOperationException(
                $"The model {modelPath} has {what} (its outputs: {string.Join(", ", outputs.Keys)}); set {nameof(OnnxEmbeddingOptions.OutputName)}.");
        }

        if (metadata.ElementDataType != TensorElementType.Float || metadata.Dimensions.Length is not (2 or 3))
        {
            throw new InvalidOperationException(
                $"The model {modelPath} output '{name}' is {metadata.ElementDataType}[{string.Join(", ", metadata.Dimensions)}]; float [batch, tokens, dims] or [batch, dims] is needed.");
        }

        return (name, metadata.Dimensions.Length == 2, metadata.Dimensions[^1]);
    }
}
