using StructuralChunking.Embeddings;
using StructuralChunking.Indexing;
using StructuralChunking.Search;
using StructuralChunking.Tests.Support;
using StructuralChunking.TreeSitter;

namespace StructuralChunking.Tests.Search;

/// <summary>Issue reports and stack traces as queries, on the Python fixture (a real tree-sitter index).</summary>
public sealed class ReportSearchTests(ReportSearchTests.PythonFixture fixture) : IClassFixture<ReportSearchTests.PythonFixture>
{
    private readonly CodeSearchEngine _engine = fixture.Engine;
    private readonly CodeIndex _index = fixture.Index;

    /// <summary>The Python fixture, copied and indexed once for the class.</summary>
    public sealed class PythonFixture : IAsyncLifetime, IDisposable
    {
        private readonly TempDirectory _folder = new();

        public CodeSearchEngine Engine { get; } = new(new CodeSearchEngineOptions { Embedder = new HashingEmbeddingGenerator(), FrontEnds = { new TreeSitterFrontEnd() } });

        public CodeIndex Index { get; private set; } = null!;

        public string Root => _folder.Path;

        public async Task InitializeAsync()
        {
            var source = RepositoryPaths.Fixture("python");
            foreach (var file in Directory.EnumerateFiles(source, "*.py", SearchOption.AllDirectories))
            {
                var target = Path.Combine(_folder.Path, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }

            Index = (await Engine.IndexAsync(_folder.Path)).Index;
        }

        public Task DisposeAsync() => Task.CompletedTask;

        public void Dispose() => _folder.Dispose();
    }

    private const string Traceback = """
        Traceback (most recent call last):
          File "/usr/lib/python3.11/site-packages/flask/app.py", line 2190, in wsgi_app
            response = self.full_dispatch_request()
          File "/srv/app/auth/middleware/admin_jwt_validator.py", line 8, in middleware
            token = read_bearer_token(request.headers)
          File "/srv/app/auth/tokens.py", line 19, in _split
            return token.split(".")
        AttributeError: 'NoneType' object has no attribute 'split'
        """;

    [Fact]
    public void Written_paths_resolve_by_their_trailing_segments_and_framework_files_do_not()
    {
        Assert.Equal(["auth/tokens.py"], _index.ResolvePath("/srv/app/auth/tokens.py"));
        Assert.Equal(["auth/tokens.py"], _index.ResolvePath("tokens.py"));
        Assert.Equal(["auth/middleware/admin_jwt_validator.py"], _index.ResolvePath(@"C:\app\auth\middleware\admin_jwt_validator.py"));
        Assert.Empty(_index.ResolvePath("/usr/lib/python3.11/site-packages/flask/app.py"));
        // Only the file name is shared with ours, under another folder: a framework's file, not ours.
        Assert.Empty(_index.ResolvePath("/usr/lib/python3.11/site-packages/jwt/tokens.py"));
    }

    [Fact]
    public async Task A_pasted_traceback_returns_the_frames_definitions_closest_to_the_error_first()
    {
        var results = await _engine.SearchAsync(_index, Traceback, new SearchOptions { MinScore = float.NegativeInfinity });

        Assert.Equal("auth/tokens.py", results[0].Path);
        // TokenDecoder is small enough to be one chunk: the frame's line places _split in it.
        Assert.Equal("auth.tokens.TokenDecoder", results[0].Symbol);
        Assert.Contains(results.Take(3), r => r.Symbol?.EndsWith("middleware", StringComparison.Ordinal) == true || r.Symbol?.EndsWith("useAdminJwtValidationMiddleware", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_frame_in_our_code_is_returned_even_below_the_minimum_score()
    {
        // The threshold decides whether anything answers; a stack frame in our code says what does.
        var strict = new SearchOptions { MinScore = 0.99f };

        var results = await _engine.SearchAsync(_index, Traceback, strict);
        var withoutAnalysis = await _engine.SearchAsync(_index, Traceback, new SearchOptions { MinScore = 0.99f, QueryAnalysis = QueryAnalysisMode.Off });

        Assert.Equal("auth.tokens.TokenDecoder", results[0].Symbol);
        Assert.Contains(results, r => r.Symbol == "auth.middleware.admin_jwt_validator.useAdminJwtValidationMiddleware");
        Assert.DoesNotContain(withoutAnalysis, r => r.Symbol == "auth.tokens.TokenDecoder");
    }

    [Fact]
    public async Task Without_analysis_the_same_traceback_ranks_differently()
    {
        // The evidence must be what moves the frame's definition: with analysis off the first result is decided by
        // text similarity alone, and the frame list is not consulted.
        var on = await _engine.SearchAsync(_index, Traceback, new SearchOptions { MinScore = float.NegativeInfinity });
        var off = await _engine.SearchAsync(_index, Traceback, new SearchOptions { MinScore = float.NegativeInfinity, QueryAnalysis = QueryAnalysisMode.Off });

        Assert.True(on[0].Score > off[0].Score, $"{on[0].Symbol} {on[0].Score} vs {off[0].Symbol} {off[0].Score}");
    }

    [Fact]
    public async Task File_level_search_ranks_distinct_files_with_their_best_definitions_as_reasons()
    {
        var files = await _engine.SearchFilesAsync(_index, Traceback, new SearchOptions { MinScore = float.NegativeInfinity, Top = 5 });

        Assert.Equal("auth/tokens.py", files[0].Path);
        Assert.True(files[0].Named);
        Assert.Equal(files.Count, files.Select(f => f.Path).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, files.Count), files.Select(f => f.Rank));
        Assert.All(files, f => Assert.InRange(f.Reasons.Count, 1, 3));
        Assert.All(files, f => Assert.All(f.Reasons, r => Assert.Equal(f.Path, r.Path)));
        Assert.Contains(files, f => f.Path == "auth/middleware/admin_jwt_validator.py" && f.Named);
        for (var i = 1; i < files.Count; i++)
        {
            Assert.True(files[i - 1].Score >= files[i].Score);
        }
    }

    [Fact]
    public async Task A_file_with_several_matching_definitions_outranks_one_with_a_single_match_when_decay_counts_them()
    {
        const string query = "decode the token and split it into parts, TokenDecoder decode _split";
        var best = await _engine.SearchFilesAsync(_index, query, new SearchOptions { MinScore = float.NegativeInfinity, FileScoreDecay = 0 });
        var summed = await _engine.SearchFilesAsync(_index, query, new SearchOptions { MinScore = float.NegativeInfinity, FileScoreDecay = 1 });

        var tokens = summed.Single(f => f.Path == "auth/tokens.py");
        Assert.True(tokens.Reasons.Count >= 2);
        Assert.True(tokens.Score > best.Single(f => f.Path == "auth/tokens.py").Score);
    }

    [Fact]
    public async Task A_short_question_ranks_exactly_as_with_analysis_off()
    {
        const string question = "read the bearer token from the headers";
        var auto = await _engine.SearchAsync(_index, question, new SearchOptions { MinScore = float.NegativeInfinity });
        var off = await _engine.SearchAsync(_index, question, new SearchOptions { MinScore = float.NegativeInfinity, QueryAnalysis = QueryAnalysisMode.Off });

        Assert.Equal(off.Select(r => (r.Chunk.Id, r.Score)), auto.Select(r => (r.Chunk.Id, r.Score)));
    }
}
