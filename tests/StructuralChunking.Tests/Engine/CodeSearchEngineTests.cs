using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using StructuralChunking.Chunking;
using StructuralChunking.Embeddings;
using StructuralChunking.Evaluation;
using StructuralChunking.FrontEnds;
using StructuralChunking.Graph;
using StructuralChunking.Indexing;
using StructuralChunking.Roslyn;
using StructuralChunking.Tests.Support;
using StructuralChunking.TreeSitter;

namespace StructuralChunking.Tests.Engine;

/// <summary>The library entry point on a mixed repository: a C# solution and a Python folder, indexed in one call.</summary>
public sealed class CodeSearchEngineTests
{
    private static CodeSearchEngine CreateEngine(IEmbeddingGenerator<string, Embedding<float>>? embedder = null) =>
        new(new CodeSearchEngineOptions
        {
            Embedder = embedder ?? new HashingEmbeddingGenerator(),
            FrontEnds = { new CSharpFrontEnd(), new TreeSitterFrontEnd() },
        });

    [Fact]
    public async Task One_call_indexes_a_solution_and_a_python_folder_into_one_searchable_index()
    {
        using var repo = CopyOfMixed();
        var engine = CreateEngine();

        var result = await engine.IndexAsync(repo.Path);

        Assert.False(result.UpToDate);
        Assert.Equal(IndexingOptions.DefaultIndexPath(repo.Path), result.IndexPath);
        Assert.True(File.Exists(result.IndexPath));
        Assert.Equal(["csharp", "tree-sitter"], result.CodeBase!.FrontEnds.Select(f => f.FrontEnd));
        var csharp = Assert.IsType<CSharpGraphResult>(result.CodeBase.FrontEnds[0].Details);
        // Read as data by default: nothing from the repository runs unless the user trusts its build.
        Assert.Equal(CSharpLoadMode.ProjectFiles, csharp.Mode);
        Assert.Contains(result.CodeBase.Graph.Symbols, s => s.QualifiedName == "Ledger.LateFeePolicy.LateFee" && s.Language == "csharp");
        Assert.Contains(result.CodeBase.Graph.Symbols, s => s.QualifiedName.EndsWith("send_overdue_reminders", StringComparison.Ordinal) && s.Language == "python");
        Assert.Equal(result.ChunkCount, result.EmbeddedChunkCount);
        Assert.Equal(5, result.FileCount);

        var hits = await engine.SearchAsync(result.Index, "send_overdue_reminders");
        Assert.NotEmpty(hits);
        Assert.Equal("scripts/reminders.py", hits[0].Path);
        hits = await engine.SearchAsync(result.Index, "LateFeePolicy.LateFee");
        Assert.NotEmpty(hits);
        Assert.Equal("Ledger/LateFeePolicy.cs", hits[0].Path);
    }

    [Fact]
    public async Task A_run_reports_the_time_of_each_stage_it_went_through()
    {
        using var repo = CopyOfMixed();
        var engine = CreateEngine();

        var result = await engine.IndexAsync(repo.Path);
        var upToDate = await engine.IndexAsync(repo.Path);

        Assert.Equal([IndexingStage.Discovering, IndexingStage.Parsing, IndexingStage.Chunking, IndexingStage.Embedding, IndexingStage.Saving],
            result.StageTimes.Select(t => t.Stage));
        Assert.All(result.StageTimes, t => Assert.True(t.Elapsed >= TimeSpan.Zero));
        Assert.True(result.StageTimes.Sum(t => t.Elapsed.Ticks) <= result.Elapsed.Ticks);
        // Nothing was parsed or embedded the second time: only discovery ran.
        Assert.Equal([IndexingStage.Discovering], upToDate.StageTimes.Select(t => t.Stage));
    }

    [Fact]
    public async Task The_index_keeps_its_graph_relations_in_memory_and_on_disk()
    {
        // Graph ranking needs the relations: an index that lost them on the way to disk ranks like one without a graph.
        using var repo = CopyOfMixed();
        var engine = CreateEngine();

        var result = await engine.IndexAsync(repo.Path);

        Assert.True(result.Index.HasGraph);
        Assert.True(CodeIndex.Load(result.IndexPath).HasGraph);
        Assert.True(engine.OpenIndex(result.IndexPath).HasGraph);
    }

    [Fact]
    public async Task A_trusted_build_loads_through_msbuild_and_is_not_up_to_date_for_an_untrusted_index()
    {
        using var repo = CopyOfMixed();
        await CreateEngine().IndexAsync(repo.Path);
        var trusted = new CodeSearchEngine(new CodeSearchEngineOptions
        {
            Embedder = new HashingEmbeddingGenerator(),
            FrontEnds = { new CSharpFrontEnd(new CSharpGraphOptions { TrustProjectBuild = true }), new TreeSitterFrontEnd() },
        });

        var result = await trusted.IndexAsync(repo.Path);

        Assert.False(result.UpToDate);
        Assert.Equal(CSharpLoadMode.MSBuild, Assert.IsType<CSharpGraphResult>(result.CodeBase!.FrontEnds[0].Details).Mode);
        Assert.Contains(result.Index.Chunks, c => c.SymbolName?.StartsWith("Ledger.LateFeePolicy", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task An_index_written_by_an_older_chunker_version_is_rebuilt_reusing_every_unchanged_embedding()
    {
        using var repo = CopyOfMixed();
        var current = CreateEngine();
        var older = new CodeSearchEngine(new CodeSearchEngineOptions
        {
            Embedder = new HashingEmbeddingGenerator(),
            FrontEnds = { new CSharpFrontEnd(), new TreeSitterFrontEnd() },
            Chunker = new OlderVersion(current.Chunker),
        });
        await older.IndexAsync(repo.Path);

        var result = await current.IndexAsync(repo.Path);

        Assert.StartsWith("structural v", current.Chunker.Description, StringComparison.Ordinal);
        Assert.False(result.UpToDate);
        Assert.Equal(0, result.EmbeddedChunkCount);
        Assert.Equal(result.ChunkCount, result.ReusedChunkCount);
        Assert.True((await current.IndexAsync(repo.Path)).UpToDate);
    }

    /// <summary>The same chunks under the description an earlier release wrote (before the text version was part of it).</summary>
    private sealed class OlderVersion(ICodeChunker inner) : ICodeChunker
    {
        public string Name => inner.Name;

        public string Description => System.Text.RegularExpressions.Regex.Replace(inner.Description, @"^structural v\d+ ", "structural ");

        public IReadOnlyList<CodeChunk> Chunk(CodeGraph graph, SourceTexts sources, IReadOnlyList<ChunkSourceFile> files, CancellationToken cancellationToken = default) =>
            inner.Chunk(graph, sources, files, cancellationToken);
    }

    [Fact]
    public async Task A_second_run_is_up_to_date_and_an_edit_re_embeds_only_what_changed()
    {
        using var repo = CopyOfMixed();
        var engine = CreateEngine();
        var first = await engine.IndexAsync(repo.Path);

        var second = await engine.IndexAsync(repo.Path);
        Assert.True(second.UpToDate);
        Assert.Equal(first.ChunkCount, second.ChunkCount);
        Assert.Equal(0, second.EmbeddedChunkCount);

        var script = Path.Combine(repo.Path, "scripts", "reminders.py");
        File.WriteAllText(script, File.ReadAllText(script).Replace("is overdue.", "is overdue; please pay.", StringComparison.Ordinal));
        var third = await engine.IndexAsync(repo.Path);

        Assert.False(third.UpToDate);
        Assert.Equal(1, third.ChangedFileCount);
        Assert.True(third.EmbeddedChunkCount is > 0 and <= 3, $"embedded {third.EmbeddedChunkCount}");
        Assert.Equal(third.ChunkCount - third.EmbeddedChunkCount, third.ReusedChunkCount);
        var csharp = third.CodeBase!.FrontEnds.Single(f => f.FrontEnd == "csharp");
        Assert.Equal(csharp.DocumentCount, csharp.ReusedDocumentCount);
    }

    [Fact]
    public async Task A_deleted_file_leaves_the_index_and_a_renamed_one_is_found_under_its_new_name()
    {
        using var repo = CopyOfMixed();
        var engine = CreateEngine();
        await engine.IndexAsync(repo.Path);

        File.Delete(Path.Combine(repo.Path, "scripts", "export_csv.py"));
        File.Move(Path.Combine(repo.Path, "scripts", "reminders.py"), Path.Combine(repo.Path, "scripts", "dunning.py"));
        var result = await engine.IndexAsync(repo.Path);

        Assert.DoesNotContain(result.Index.Chunks, c => c.Path is "scripts/export_csv.py" or "scripts/reminders.py");
        Assert.DoesNotContain("scripts/export_csv.py", result.Index.Metadata.FileHashes.Keys);
        var hits = await engine.SearchAsync(result.Index, "send_overdue_reminders");
        Assert.NotEmpty(hits);
        Assert.Equal("scripts/dunning.py", hits[0].Path);
    }

    [Fact]
    public async Task The_csharp_cache_follows_a_deleted_and_a_renamed_document()
    {
        using var repo = CopyOfMixed();
        var engine = CreateEngine();
        await engine.IndexAsync(repo.Path);

        File.Move(Path.Combine(repo.Path, "Ledger", "LateFeePolicy.cs"), Path.Combine(repo.Path, "Ledger", "Fees.cs"));
        File.Delete(Path.Combine(repo.Path, "Ledger", "Invoice.cs"));
        var cached = await engine.IndexAsync(repo.Path);
        var cold = await engine.LoadAsync(repo.Path);

        Assert.DoesNotContain(cached.Index.Chunks, c => c.Path is "Ledger/LateFeePolicy.cs" or "Ledger/Invoice.cs");
        Assert.Contains(cached.Index.Chunks, c => c.Path == "Ledger/Fees.cs" && c.SymbolName?.StartsWith("Ledger.LateFeePolicy", StringComparison.Ordinal) == true);
        static string[] Describe(CodeGraph graph) =>
            [.. graph.Symbols.Select(s => $"{s.Id} {s.QualifiedName} {s.Location}"), .. graph.Edges.Select(e => e.ToString())];
        Assert.Equal(Describe(cold.Graph), Describe(cached.CodeBase!.Graph));
    }

    [Fact]
    public async Task Cancelling_mid_run_throws_and_leaves_the_previous_index_intact()
    {
        using var repo = CopyOfMixed();
        var engine = CreateEngine();
        var first = await engine.IndexAsync(repo.Path);
        var before = File.ReadAllBytes(first.IndexPath);
        File.AppendAllText(Path.Combine(repo.Path, "scripts", "export_csv.py"), "\n\ndef noop():\n    return None\n");

        using var cancellation = new CancellationTokenSource();
        var progress = new CancelAt(IndexingStage.Chunking, cancellation);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.IndexAsync(repo.Path, progress: progress, cancellationToken: cancellation.Token));

        Assert.True(progress.Cancelled);
        Assert.Equal(before, File.ReadAllBytes(first.IndexPath));
    }

    [Fact]
    public async Task Cancelling_while_embedding_and_while_a_query_is_embedded_stops_both()
    {
        using var repo = CopyOfMixed();
        using var cancellation = new CancellationTokenSource();
        var embedder = new GatedEmbedder(new HashingEmbeddingGenerator());
        var engine = CreateEngine(embedder);

        // The first embedding call blocks until cancelled: a cancellation in the middle of embedding, not before it.
        var indexing = engine.IndexAsync(repo.Path, cancellationToken: cancellation.Token);
        await embedder.Entered.Task.WaitAsync(TimeSpan.FromMinutes(2));
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => indexing);
        Assert.False(File.Exists(IndexingOptions.DefaultIndexPath(repo.Path)));

        var index = (await CreateEngine().IndexAsync(repo.Path)).Index;
        using var queryCancellation = new CancellationTokenSource();
        var gated = new GatedEmbedder(new HashingEmbeddingGenerator());
        var search = CreateEngine(gated).SearchAsync(index, "late fee of an overdue invoice", cancellationToken: queryCancellation.Token);
        await gated.Entered.Task.WaitAsync(TimeSpan.FromMinutes(2));
        queryCancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => search);
    }

    [Fact]
    public async Task Missing_paths_and_unopenable_entry_points_are_argument_errors()
    {
        using var repo = CopyOfMixed();
        var noCSharp = new CodeSearchEngine(new CodeSearchEngineOptions { Embedder = new HashingEmbeddingGenerator(), FrontEnds = { new TreeSitterFrontEnd() } });

        var missing = await Assert.ThrowsAsync<ArgumentException>(() => CreateEngine().IndexAsync(Path.Combine(repo.Path, "nope")));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
        var unopenable = await Assert.ThrowsAsync<ArgumentException>(() => noCSharp.IndexAsync(Path.Combine(repo.Path, "Mixed.sln")));
        Assert.Contains("No front end can open", unopenable.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new CodeSearchEngine(new CodeSearchEngineOptions()));
    }

    [Fact]
    public async Task Without_the_csharp_front_end_tree_sitter_parses_the_csharp_files()
    {
        using var repo = CopyOfMixed();
        var engine = new CodeSearchEngine(new CodeSearchEngineOptions { Embedder = new HashingEmbeddingGenerator(), FrontEnds = { new TreeSitterFrontEnd() } });

        var codeBase = await engine.LoadAsync(repo.Path);

        var frontEnd = Assert.Single(codeBase.FrontEnds);
        Assert.Equal(new HashSet<string> { "csharp", "python" }, ((TreeSitterGraphResult)frontEnd.Details!).DocumentsByLanguage.Keys.ToHashSet());
        Assert.Contains(codeBase.Graph.Symbols, s => s.Name == "LateFee" && s.Kind == SymbolKind.Method);
    }

    [Fact]
    public void The_service_collection_builds_an_engine_from_registered_front_ends_and_embedder()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new HashingEmbeddingGenerator());
        services.AddCSharpFrontEnd();
        services.AddTreeSitterFrontEnd();
        services.AddStructuralChunking(options => options.Chunking = new StructuralChunking.Chunking.ChunkingOptions { TokenBudget = 128 });

        using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<CodeSearchEngine>();

        Assert.Equal(["csharp", "tree-sitter"], engine.Options.FrontEnds.Select(f => f.Name));
        Assert.Equal("hash-512", engine.Profile.ModelId);
        Assert.Contains("budget=128", engine.Chunker.Description, StringComparison.Ordinal);
        Assert.Same(engine, provider.GetRequiredService<CodeSearchEngine>());
    }

    [Fact]
    public async Task Evaluate_scores_a_query_set_and_calibrate_stores_a_threshold_that_search_then_applies()
    {
        using var repo = CopyOfMixed();
        var engine = CreateEngine();
        var index = (await engine.IndexAsync(repo.Path)).Index;
        EvalQuery[] queries =
        [
            new("q1", "send_overdue_reminders e-mails customers whose invoice is past due", "natural", [new RelevantLocation("scripts/reminders.py", 6)]),
            new("q2", "write_invoices_csv export rows to a csv file", "natural", [new RelevantLocation("scripts/export_csv.py", 4)]),
            new("n1", "kubernetes pod autoscaling quota", "negative", []),
        ];

        var report = await engine.EvaluateAsync(index, queries);
        Assert.Equal(1.0, report.Symbol.Mrr10);
        Assert.Equal(2, report.Symbol.Queries);

        var (calibrated, calibration) = await engine.CalibrateAsync(index, queries);
        Assert.NotNull(calibration.Threshold);
        Assert.Equal(calibration.Threshold!.Value, calibrated.Metadata.MinScores["hybrid"]);
        Assert.Empty(index.Metadata.MinScores);
        var kept = await engine.SearchAsync(calibrated, queries[0].Query);
        Assert.NotEmpty(kept);
        // Exact name matches bypass the threshold; every other result clears it.
        Assert.All(kept.Where(hit => hit.Symbol?.EndsWith("send_overdue_reminders", StringComparison.Ordinal) != true),
            hit => Assert.True(hit.ThresholdScore >= calibration.Threshold.Value, $"{hit.Symbol} {hit.ThresholdScore} < {calibration.Threshold}"));
        Assert.True((await engine.SearchAsync(calibrated, queries[2].Query)).Count <= (await engine.SearchAsync(index, queries[2].Query)).Count);
    }

    [Fact]
    public async Task Files_of_a_front_end_that_cannot_run_are_still_indexed_as_file_level_code_with_a_diagnostic()
    {
        using var repo = CopyOfMixed();
        var engine = new CodeSearchEngine(new CodeSearchEngineOptions
        {
            Embedder = new HashingEmbeddingGenerator(),
            FrontEnds = { new CSharpFrontEnd(), new UnavailableFrontEnd() },
        });

        var result = await engine.IndexAsync(repo.Path);

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Severity == GraphLoadSeverity.Error);
        Assert.Contains("native library missing", diagnostic.Message, StringComparison.Ordinal);
        var python = result.Index.Chunks.Where(c => c.Path.StartsWith("scripts/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(python);
        Assert.All(python, c => Assert.Null(c.SymbolName));
        Assert.Contains(result.Index.Chunks, c => c.SymbolName?.StartsWith("Ledger.LateFeePolicy", StringComparison.Ordinal) == true);
    }

    private static TempDirectory CopyOfMixed()
    {
        var folder = new TempDirectory();
        var source = RepositoryPaths.Fixture("Mixed");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (!relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".structchunk"))
            {
                folder.Write(relative, File.ReadAllText(file));
            }
        }

        return folder;
    }

    /// <summary>An embedder that blocks every call until it is cancelled, and says when a call has started.</summary>
    private sealed class GatedEmbedder(HashingEmbeddingGenerator inner) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            Entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return await inner.GenerateAsync(values, options, cancellationToken);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => inner.GetService(serviceType, serviceKey);

        public void Dispose() => inner.Dispose();
    }

    /// <summary>A front end whose native part is missing on this machine, as the tree-sitter one reports it.</summary>
    private sealed class UnavailableFrontEnd : ICodeFrontEnd
    {
        public string Name => "broken";

        public string Description => Name;

        public IReadOnlySet<string> Languages { get; } = new HashSet<string> { "python" };

        public bool CanOpen(string path) => false;

        public Task<FrontEndResult> LoadAsync(FrontEndRequest request, IProgress<GraphBuildProgress>? progress, CancellationToken cancellationToken) =>
            Task.FromResult(FrontEndResult.Unavailable(Name, "The native library missing here. Files in python are chunked without structure."));
    }

    /// <summary>Cancels when the run reaches a stage: a cancellation in the middle of the work, not before it.</summary>
    private sealed class CancelAt(IndexingStage stage, CancellationTokenSource source) : IProgress<IndexingProgress>
    {
        public bool Cancelled { get; private set; }

        public void Report(IndexingProgress value)
        {
            if (value.Stage == stage && !Cancelled)
            {
                Cancelled = true;
                source.Cancel();
            }
        }
    }
}
