using Microsoft.Extensions.AI;
using StructuralChunking.Embeddings;
using StructuralChunking.Onnx;

namespace StructuralChunking.Tests.Onnx;

/// <summary>The int8 variant of MiniLM that the model package generates at build time from the float model.</summary>
public sealed class QuantizedModelTests(BuiltInModelsFixture models) : IClassFixture<BuiltInModelsFixture>
{
    private static readonly string[] Texts =
    [
        "find the middleware that validates JWT tokens",
        "def use_admin_jwt_validation_middleware(request, next)",
        "public static string ReadBearerToken(HttpRequest request) => request.Headers[\"Authorization\"].ToString();",
        "path: Shop/Inventory.cs\nscope: Shop > Inventory > StatusOf (method)\nwords: status of, stock level\npublic StockStatus StatusOf(StockLevel level) { return level.Available > 0 ? StockStatus.InStock : StockStatus.Out; }",
    ];

    [Fact]
    public void Int8_IsItsOwnModel_SoAnIndexNeverMixesItsVectorsWithTheFloatModels()
    {
        using var quantized = OnnxEmbeddingModels.Create(OnnxEmbeddingModels.MiniLMInt8);

        Assert.Equal(new EmbeddingProfile("minilm-int8", 384), quantized.Profile);
        Assert.Equal("minilm-int8", quantized.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId);
        Assert.NotEqual(models.MiniLm.Profile.ModelId, quantized.Profile.ModelId);
        Assert.Equal(models.MiniLm.Options.MaxTokens, quantized.Options.MaxTokens);
        Assert.Equal(models.MiniLm.Options.Pooling, quantized.Options.Pooling);
    }

    [Fact]
    public void Int8_IsSmallerThanTheFloatModel_AndItsVectorsStayCloseToIt()
    {
        var floatModel = Path.Combine(OnnxEmbeddingModels.DefaultModelsDirectory, OnnxEmbeddingModels.MiniLM, "model.onnx");
        var int8Model = Path.Combine(OnnxEmbeddingModels.DefaultModelsDirectory, OnnxEmbeddingModels.MiniLMInt8, "model.onnx");
        using var quantized = OnnxEmbeddingModels.Create(OnnxEmbeddingModels.MiniLMInt8);

        var expected = models.MiniLm.Embed(Texts);
        var actual = quantized.Embed(Texts);

        // The matrix weights went from 4 bytes to 1; the word embeddings (about 47 MB) stay float.
        Assert.True(new FileInfo(int8Model).Length < new FileInfo(floatModel).Length * 0.7);
        for (var i = 0; i < Texts.Length; i++)
        {
            var cosine = System.Numerics.Tensors.TensorPrimitives.Dot(expected[i], actual[i]);
            Assert.InRange(cosine, 0.99f, 0.99999f);
        }

        // Ranking survives: the question is still closest to the code it asks about.
        Assert.True(Dot(actual[0], actual[1]) > Dot(actual[0], actual[3]));
    }

    // Chunk texts as the indexer writes them, several languages, embedded in one call as indexing does (ONNX Runtime
    // quantizes each call's activations with one scale, so one text's outliers coarsen the others').
    private static readonly string[] Chunks =
    [
        "path: billing/invoice.py\nscope: billing.invoice > Invoice > total (method)\ndoc: The amount due, taxes included.\nwords: total, line items, tax rate\ndef total(self):\n    subtotal = sum(item.price * item.quantity for item in self.items)\n    return round(subtotal * (1 + self.tax_rate), 2)\n",
        "path: src/http/retry.ts\nscope: retry > withRetry (function)\nwords: with retry, attempts, backoff\nexport async function withRetry<T>(call: () => Promise<T>, attempts = 3): Promise<T> {\n  for (let i = 1; ; i++) {\n    try { return await call(); } catch (e) { if (i >= attempts) throw e; await sleep(2 ** i * 100); }\n  }\n}\n",
        "path: Storage/FileCache.cs\nscope: Storage > FileCache > TryRead (method)\ndoc: Reads a cached entry; a damaged file counts as a miss and is deleted.\nwords: try read, cache entry, checksum\ncalled by: Storage > FileCache > GetOrAdd\npublic bool TryRead(string key, out byte[] value)\n{\n    var path = PathOf(key);\n    value = File.Exists(path) ? File.ReadAllBytes(path) : [];\n    if (value.Length > 0 && Checksum(value) == _index[key]) return true;\n    File.Delete(path);\n    return false;\n}\n",
        "path: lib/cli/parse.js\nscope: parse > parseArgs (function)\ndoc: Splits argv into options and positional arguments.\nwords: parse args, options, positional\nfunction parseArgs(argv) {\n  const options = {}; const rest = [];\n  for (const arg of argv) {\n    if (arg.startsWith('--')) { const [k, v] = arg.slice(2).split('='); options[k] = v ?? true; } else rest.push(arg);\n  }\n  return { options, rest };\n}\n",
        "path: server/router.go\nscope: server > Router > Handle (method)\nwords: handle, route, middleware\nfunc (r *Router) Handle(method, pattern string, h http.Handler) {\n\tr.mu.Lock()\n\tdefer r.mu.Unlock()\n\tr.routes = append(r.routes, route{method: method, pattern: pattern, handler: r.wrap(h)})\n}\n",
        "path: Accounts/PasswordHasher.cs\nscope: Accounts > PasswordHasher > Verify (method)\ndoc: Compares a password with its stored PBKDF2 hash in constant time.\nwords: verify, password hash, salt, iterations\npublic static bool Verify(string password, string stored)\n{\n    var parts = stored.Split('.');\n    var salt = Convert.FromBase64String(parts[1]);\n    var expected = Convert.FromBase64String(parts[2]);\n    var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, int.Parse(parts[0]), HashAlgorithmName.SHA256, expected.Length);\n    return CryptographicOperations.FixedTimeEquals(actual, expected);\n}\n",
        "path: src/store/slice.ts\nscope: slice > todosSlice (variable)\nwords: todos slice, reducers, add todo, toggle todo\nconst todosSlice = createSlice({\n  name: 'todos',\n  initialState: [] as Todo[],\n  reducers: {\n    addTodo(state, action: PayloadAction<string>) { state.push({ id: nanoid(), text: action.payload, done: false }); },\n    toggleTodo(state, action: PayloadAction<string>) { const t = state.find(x => x.id === action.payload); if (t) t.done = !t.done; },\n  },\n});\n",
        "path: Scheduling/JobRunner.cs\nscope: Scheduling > JobRunner (class)\ndoc: Runs queued jobs on a fixed number of workers and retries the failed ones with a delay.\nwords: job runner, workers, retry delay, queue\npublic sealed class JobRunner : IAsyncDisposable\n    private readonly Channel<Job> _queue;\n    public JobRunner(int workers, TimeSpan retryDelay) \u2026\n    public ValueTask EnqueueAsync(Job job, CancellationToken cancellationToken) \u2026\n    public async ValueTask DisposeAsync() \u2026\n",
        "where is the password compared with the stored hash",
        "retry a failing call with exponential backoff",
        "how are command line options parsed",
        "what happens when a cached file is damaged",
    ];

    [Fact]
    public void Int8_KeepsTheFloatModelsVectors_OnABatchOfCodeChunksAndQueries()
    {
        using var quantized = OnnxEmbeddingModels.Create(OnnxEmbeddingModels.MiniLMInt8);

        var expected = models.MiniLm.Embed(Chunks);
        var actual = quantized.Embed(Chunks);

        // Per-tensor int8 activations over BERT's outlier channels (ten times the others' range) left a mean cosine
        // of about 0.992 and single texts near 0.98; with those channels kept float it is about 0.998.
        var cosines = Enumerable.Range(0, Chunks.Length).Select(i => Dot(expected[i], actual[i])).ToArray();
        Assert.All(cosines, c => Assert.InRange(c, 0.994f, 1.0001f));
        Assert.True(cosines.Average() >= 0.996, $"mean cosine {cosines.Average():F4}");

        // Each question still finds the chunk that answers it, as with the float model.
        for (var q = 8; q < Chunks.Length; q++)
        {
            var best = Enumerable.Range(0, 8).MaxBy(c => Dot(actual[q], actual[c]));
            Assert.Equal(Enumerable.Range(0, 8).MaxBy(c => Dot(expected[q], expected[c])), best);
        }
    }

    [Fact]
    public void Int8_FeedForwardActivation_IsNeitherMaskedNorGathered_ItsOutlierChannelsHaveAProductOfTheirOwn()
    {
        var path = Path.Combine(OnnxEmbeddingModels.DefaultModelsDirectory, OnnxEmbeddingModels.MiniLMInt8, "model.onnx");
        var graph = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (Output: o, Node: n))).ToDictionary(p => p.Output, p => p.Node, StringComparer.Ordinal);
        var products = graph.Node.Where(n => n.OpType == "DynamicQuantizeMatMul").ToList();
        long Rows(global::Onnx.NodeProto product) => initializers[product.Input[1]].Dims[0];

        // Each layer's output projection reads the GELU output itself (a Mul), not a masked copy of it...
        var outputProjections = products.Where(p => Rows(p) == 1536).ToList();
        Assert.Equal(6, outputProjections.Count);
        Assert.All(outputProjections, p => Assert.DoesNotContain("_inliers", p.Input[0], StringComparison.Ordinal));
        Assert.DoesNotContain(graph.Node, n => n.OpType == "Gather" && outputProjections.Any(p => n.Input[0] == p.Input[0]));

        // ...and its outlier channels come from a small int8 product of the input projection's columns.
        var small = products.Where(p => initializers[p.Input[1]].Dims[1] < 384).ToList();
        Assert.Equal(6, small.Count);
        Assert.All(small, p => Assert.Equal(384, Rows(p)));
        Assert.All(outputProjections, p => Assert.Equal("Mul", producers[p.Input[0]].OpType));
    }

    [Fact]
    public void ConcurrentBatches_GiveEveryTextTheVectorItsBatchGetsRunAlone()
    {
        // Texts of many lengths in a shuffled order: they fall into batches of different sizes and lengths. The int8
        // model quantizes each batch's activations with one scale, so a text's vector depends on its batch: running
        // batches at once must not change which texts share one.
        var texts = Enumerable.Range(0, 120)
            .Select(i => string.Join('\n', Enumerable.Repeat(Chunks[(i * 7) % Chunks.Length], 1 + ((i * 5) % 4))) + $" // {i}")
            .ToArray();
        var options = OnnxEmbeddingModels.GetOptions(OnnxEmbeddingModels.MiniLMInt8) with { BatchSize = 8, IntraOpThreads = 1 };
        using var oneAtATime = OnnxEmbeddingModels.Create(OnnxEmbeddingModels.MiniLMInt8, options);
        using var concurrent = OnnxEmbeddingModels.Create(OnnxEmbeddingModels.MiniLMInt8, options with { ConcurrentBatches = 3 });
        var reports = new List<int>();

        var expected = oneAtATime.Embed(texts);
        var actual = concurrent.Embed(texts, new RecordingProgress(reports));

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }

        Assert.True(reports.Count > 3, $"{reports.Count} progress reports");
        Assert.Equal(reports.Order(), reports);
        Assert.Equal(texts.Length, reports[^1]);
    }

    [Fact]
    public void ConcurrentBatches_DefaultToTheCoresLeftForTheThreadsOfEachCall()
    {
        // Setting only the threads per call never asks for more threads than cores; an explicit number is kept.
        Assert.Equal(1, new OnnxEmbeddingOptions { IntraOpThreads = Environment.ProcessorCount }.EffectiveConcurrentBatches);
        Assert.Equal(Math.Clamp(Environment.ProcessorCount, 1, 4), new OnnxEmbeddingOptions { IntraOpThreads = 1 }.EffectiveConcurrentBatches);
        var defaults = new OnnxEmbeddingOptions();
        Assert.InRange(defaults.EffectiveConcurrentBatches * defaults.IntraOpThreads, 1, Environment.ProcessorCount);
        Assert.Equal(3, new OnnxEmbeddingOptions { IntraOpThreads = 64, ConcurrentBatches = 3 }.EffectiveConcurrentBatches);
    }

    [Fact]
    public void ConcurrentBatches_StopWhenCancelled()
    {
        var texts = Enumerable.Range(0, 64).Select(i => $"{Chunks[i % Chunks.Length]} // {i}").ToArray();
        using var cancellation = new CancellationTokenSource();
        var options = OnnxEmbeddingModels.GetOptions(OnnxEmbeddingModels.MiniLMInt8) with { BatchSize = 4, IntraOpThreads = 1, ConcurrentBatches = 2 };
        using var concurrent = OnnxEmbeddingModels.Create(OnnxEmbeddingModels.MiniLMInt8, options);
        var reports = new List<int>();

        // Cancelled after the first batch: the batches in flight stop and no other starts.
        Assert.ThrowsAny<OperationCanceledException>(() => concurrent.Embed(texts, new RecordingProgress(reports, _ => cancellation.Cancel()), cancellation.Token));
        Assert.InRange(reports.Count, 1, 2);
    }

    private static float Dot(float[] a, float[] b) => System.Numerics.Tensors.TensorPrimitives.Dot(a, b);

    /// <summary>Records each report on the reporting thread (<see cref="Progress{T}"/> would post them elsewhere).</summary>
    private sealed class RecordingProgress(List<int> reports, Action<int>? then = null) : IProgress<int>
    {
        public void Report(int value)
        {
            lock (reports)
            {
                reports.Add(value);
            }

            then?.Invoke(value);
        }
    }
}
