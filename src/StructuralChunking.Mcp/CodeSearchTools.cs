using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using ModelContextProtocol;
using ModelContextProtocol.Server;
using StructuralChunking.Context;
using StructuralChunking.Graph;
using StructuralChunking.Indexing;
using StructuralChunking.Search;

namespace StructuralChunking.Mcp;

/// <summary>
/// The MCP tools over a <see cref="LiveCodeIndex"/>: search, context packs, symbol lookup, callers, callees,
/// implementations and index status. Every answer is JSON (context packs: Markdown by default); a bad argument or an
/// index that is not ready is an MCP tool error with a message the model can act on, never a dead server.
/// </summary>
/// <remarks>Thread-safe: each call reads the index current when it starts.</remarks>
public sealed class CodeSearchTools
{
    /// <summary>JSON of tool answers: camelCase, enums as camelCase names, no nulls, not indented.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Code is full of < > & and quotes; the answers go to tools and models, never into HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private const int SnippetLines = 12;
    private const string NoGraph = "This index holds no code graph: relations are unknown, not absent.";
    private readonly LiveCodeIndex _live;
    private readonly TimeSpan _readyTimeout;

    /// <summary>Creates the tools.</summary>
    /// <param name="live">The index served.</param>
    /// <param name="readyTimeout">How long a call waits for the first index while it is being built; default 30 s.</param>
    public CodeSearchTools(LiveCodeIndex live, TimeSpan? readyTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(live);
        _live = live;
        _readyTimeout = readyTimeout ?? TimeSpan.FromSeconds(30);
    }

    /// <summary>Hybrid (semantic + lexical + graph) code search.</summary>
    [McpServerTool(Name = "search_code", Title = "Search code", ReadOnly = true, Idempotent = true, OpenWorld = false, Destructive = false)]
    [Description("Search the indexed code base by meaning and by identifiers (hybrid semantic + BM25 + call-graph ranking). " +
        "Returns ranked definitions (path, lines, symbol, signature, a short snippet, scores, and why graph ranking promoted a hit). " +
        "Returns no results when nothing scores above the index's calibrated minimum score: treat that as 'not in this code base', not as a reason to guess. " +
        "For code to read within a token budget, prefer get_context_pack.")]
    public async Task<string> SearchCode(
        [Description("What you are looking for, in words or identifiers, e.g. 'where is the JWT validated' or 'PlaceOrder'.")] string query,
        [Description("Most results (1-50). Default 10.")] int top = 10,
        [Description("Only code whose path matches this glob, relative to the indexed root: '*' within a folder, '**' across folders, e.g. 'src/**/*.cs'.")] string? pathGlob = null,
        [Description("Only code in this language id, e.g. 'csharp', 'python', 'typescript', 'javascript', 'go', 'java', 'rust'.")] string? language = null,
        [Description("Only definitions of this kind: class, struct, record, interface, enum, method, constructor, property, field, function, type, ...")] string? kind = null,
        [Description("Test code: 'include' (ranked below production code, the default), 'exclude', or 'only'.")] string tests = "include",
        CancellationToken cancellationToken = default)
    {
        if (top is < 1 or > 50)
        {
            throw new McpException($"top must be between 1 and 50 (was {top}).");
        }

        var index = await IndexAsync(cancellationToken).ConfigureAwait(false);
        var options = SearchOptionsFor(top, pathGlob, language, kind, tests);
        var results = await Guard(() => _live.Engine.SearchAsync(index, query, options, cancellationToken)).ConfigureAwait(false);
        var navigator = SymbolNavigator.For(index);
        var minScore = options.MinScore ?? (index.Metadata.MinScores.TryGetValue("hybrid", out var calibrated) ? calibrated : null);
        var answer = new SearchAnswer
        {
            Query = query,
            MinScore = minScore,
            Note = results.Count == 0 ? "Nothing scores above the minimum score: the code base probably has no answer to this query." : null,
            Results = [.. results.Select(r =>
            {
                var symbol = navigator.Of(r);
                var snippet = r.Chunk.DisplayText.TrimEnd('\n').Split('\n');
                return new SearchHit
                {
                    Rank = r.Rank,
                    Score = MathF.Round(r.Score, 5),
                    Cosine = r.DenseScore is { } d ? MathF.Round(d, 4) : null,
                    Path = r.Path,
                    StartLine = r.StartLine,
                    EndLine = r.EndLine,
                    Symbol = r.Symbol,
                    SymbolId = symbol.Id,
                    Kind = r.Kind.ToWireName(),
                    Language = r.Chunk.Language,
                    Signature = symbol.Signature,
                    Via = r.Via,
                    Test = (r.Chunk.Traits & SymbolTraits.Test) != 0 ? true : null,
                    Snippet = string.Join("\n", snippet.Take(SnippetLines)) + (snippet.Length > SnippetLines ? "\n⋯" : string.Empty),
                };
            })],
        };
        return JsonSerializer.Serialize(answer, Json);
    }

    /// <summary>Files ranked by the evidence of their definitions: which files to open or edit for a question or a bug report.</summary>
    [McpServerTool(Name = "search_files", Title = "Search files", ReadOnly = true, Idempotent = true, OpenWorld = false, Destructive = false)]
    [Description("Rank the files of the indexed code base for a question or a pasted bug report (prose, error messages, stack traces, code): " +
        "each file is scored by all of its matching definitions, and file paths, stack frames and names in the text that resolve to the code base count most. " +
        "Returns distinct files (path, score, whether the text names it) with their best definitions as reasons. " +
        "Use it to decide which files to open or change; use search_code or get_context_pack for the code itself.")]
    public async Task<string> SearchFiles(
        [Description("The question or the whole bug report, stack trace included.")] string query,
        [Description("Most files (1-30). Default 5.")] int top = 5,
        [Description("Only files whose path matches this glob, e.g. 'src/**'.")] string? pathGlob = null,
        [Description("Test code: 'include' (ranked below production code, the default), 'exclude', or 'only'.")] string tests = "include",
        CancellationToken cancellationToken = default)
    {
        if (top is < 1 or > 30)
        {
            throw new McpException($"top must be between 1 and 30 (was {top}).");
        }

        var index = await IndexAsync(cancellationToken).ConfigureAwait(false);
        var options = SearchOptionsFor(top, pathGlob, language: null, kind: null, tests);
        var files = await Guard(() => _live.Engine.SearchFilesAsync(index, query, options, cancellationToken)).ConfigureAwait(false);
        var answer = new FileAnswer
        {
            Query = query,
            Note = files.Count == 0 ? "No file scores above the minimum score: the code base probably has no answer to this query." : null,
            Files = [.. files.Select(f => new FileHit
            {
                Rank = f.Rank,
                Path = f.Path,
                Score = MathF.Round(f.Score, 5),
                Named = f.Named ? true : null,
                Reasons = [.. f.Reasons.Select(r => new FileReason { Symbol = r.Symbol, StartLine = r.StartLine, EndLine = r.EndLine, Via = r.Via })],
            })],
        };
        return JsonSerializer.Serialize(answer, Json);
    }

    /// <summary>A token-budgeted context pack.</summary>
    [McpServerTool(Name = "get_context_pack", Title = "Get a context pack", ReadOnly = true, Idempotent = true, OpenWorld = false, Destructive = false)]
    [Description("The best evidence for a question within a token budget: the search hits above the relevance threshold, each with the " +
        "signatures of the code that explains it (what it implements, calls, is called by), merged per file in source order, " +
        "deduplicated, with path, lines and a one-line reason per item. Tokens are counted with the embedding model's tokenizer. " +
        "It stops at the threshold rather than padding the budget with weak matches, and its note says where and why it stopped. " +
        "Use it before reading files: it usually names the right 2 files instead of the wrong 8.")]
    public async Task<string> GetContextPack(
        [Description("The question or task, in words or identifiers, e.g. 'how are retries configured for HTTP calls'.")] string query,
        [Description("Most tokens in the pack (64-100000). Default 4000.")] int budget = ContextPackOptions.DefaultBudget,
        [Description("'markdown' (default: fenced code per item, for reading) or 'json' (files, items, lines, reasons, text).")] string format = "markdown",
        [Description("Only hits whose path matches this glob, e.g. 'src/**'.")] string? pathGlob = null,
        [Description("Test code: 'include' (the default), 'exclude', or 'only'.")] string tests = "include",
        CancellationToken cancellationToken = default)
    {
        if (budget is < ContextPackOptions.MinBudget or > 100_000)
        {
            throw new McpException($"budget must be between {ContextPackOptions.MinBudget} and 100000 tokens (was {budget}).");
        }

        if (format is not ("markdown" or "json"))
        {
            throw new McpException($"format must be 'markdown' or 'json' (was '{format}').");
        }

        var index = await IndexAsync(cancellationToken).ConfigureAwait(false);
        var options = new ContextPackOptions { Budget = budget, Search = SearchOptionsFor(10, pathGlob, null, null, tests) };
        var pack = await Guard(() => _live.Engine.GetContextAsync(index, query, options, cancellationToken)).ConfigureAwait(false);
        return format == "json" ? JsonSerializer.Serialize(pack, Json) : pack.Markdown;
    }

    /// <summary>A definition by name or id.</summary>
    [McpServerTool(Name = "get_symbol", Title = "Get a symbol", ReadOnly = true, Idempotent = true, OpenWorld = false, Destructive = false)]
    [Description("Look up a definition by name or id: its kind, location (path and lines), signature, documentation and, by default, its source. " +
        "Accepts an id from another tool's answer, a qualified name ('Orders.OrderService.PlaceOrder'), a partial one ('OrderService.PlaceOrder') " +
        "or a simple name ('PlaceOrder'); several definitions may match a simple name.")]
    public async Task<string> GetSymbol(
        [Description("An id (symbolId from search_code or get_context_pack), or a qualified, partial or simple name.")] string nameOrId,
        [Description("Include the definition's source text. Default true.")] bool includeSource = true,
        [Description("Most matches (1-20). Default 5.")] int max = 5,
        CancellationToken cancellationToken = default)
    {
        if (max is < 1 or > 20)
        {
            throw new McpException($"max must be between 1 and 20 (was {max}).");
        }

        var navigator = SymbolNavigator.For(await IndexAsync(cancellationToken).ConfigureAwait(false));
        var matches = navigator.Find(nameOrId, max);
        string? note = null;
        if (matches.Count == 0)
        {
            matches = navigator.FindContaining(nameOrId, max);
            if (matches.Count == 0)
            {
                throw new McpException($"No definition named or with id '{nameOrId}' in the index. Use search_code to find it by meaning.");
            }

            note = $"'{nameOrId}' has no definition of its own in the index (small members are stored with their type): these definitions contain it, the ones that seem to declare it first.";
        }

        var answer = new SymbolAnswer
        {
            Note = note,
            Matches = [.. matches.Select(s => Describe(s) with { Source = includeSource ? navigator.GetText(s) : null })],
        };
        return JsonSerializer.Serialize(answer, Json);
    }

    /// <summary>Callers of a definition.</summary>
    [McpServerTool(Name = "find_callers", Title = "Find callers", ReadOnly = true, Idempotent = true, OpenWorld = false, Destructive = false)]
    [Description("The definitions that call a function or method (or read or write a property), from the compiler-built call graph " +
        "(Roslyn for C#, tree-sitter for other languages). Each with path, lines and signature.")]
    public Task<string> FindCallers(
        [Description("An id or a qualified, partial or simple name of the definition.")] string nameOrId,
        [Description("Most results (1-100). Default 20.")] int max = 20,
        CancellationToken cancellationToken = default) =>
        RelatedAsync(nameOrId, SymbolRelation.Callers, max, cancellationToken);

    /// <summary>Callees of a definition.</summary>
    [McpServerTool(Name = "find_callees", Title = "Find callees", ReadOnly = true, Idempotent = true, OpenWorld = false, Destructive = false)]
    [Description("The definitions a function or method calls, from the call graph. Each with path, lines and signature.")]
    public Task<string> FindCallees(
        [Description("An id or a qualified, partial or simple name of the definition.")] string nameOrId,
        [Description("Most results (1-100). Default 20.")] int max = 20,
        CancellationToken cancellationToken = default) =>
        RelatedAsync(nameOrId, SymbolRelation.Callees, max, cancellationToken);

    /// <summary>Implementations of a definition, and what it implements.</summary>
    [McpServerTool(Name = "find_implementations", Title = "Find implementations", ReadOnly = true, Idempotent = true, OpenWorld = false, Destructive = false)]
    [Description("The definitions that implement or override an interface member, abstract or virtual member (or the body of a declaration), " +
        "and, under 'implements', the members the definition itself implements or overrides. Each with path, lines and signature.")]
    public async Task<string> FindImplementations(
        [Description("An id or a qualified, partial or simple name of the definition.")] string nameOrId,
        [Description("Most results (1-100). Default 20.")] int max = 20,
        CancellationToken cancellationToken = default)
    {
        var (navigator, symbol, others, note) = await ResolveAsync(nameOrId, max, cancellationToken).ConfigureAwait(false);
        var answer = new RelatedAnswer
        {
            Symbol = Describe(symbol),
            Relation = "implementations",
            Related = [.. navigator.Related(symbol, SymbolRelation.Implementations, max).Select(Describe)],
            Implements = [.. navigator.Related(symbol, SymbolRelation.Implements, max).Select(Describe)],
            Note = note ?? (navigator.Index.HasGraph ? null : NoGraph),
            OtherMatches = others,
        };
        return JsonSerializer.Serialize(answer, Json);
    }

    /// <summary>What is served.</summary>
    [McpServerTool(Name = "index_status", Title = "Index status", ReadOnly = true, Idempotent = true, OpenWorld = false, Destructive = false)]
    [Description("What the server answers from: the folder or index file, files and chunks, the embedding model, whether the code graph is present, " +
        "the calibrated minimum scores, and whether it is re-indexing after file changes (the previous index answers meanwhile).")]
    public string IndexStatus() => JsonSerializer.Serialize(_live.Status, Json);

    private async Task<string> RelatedAsync(string nameOrId, SymbolRelation relation, int max, CancellationToken cancellationToken)
    {
        var (navigator, symbol, others, note) = await ResolveAsync(nameOrId, max, cancellationToken).ConfigureAwait(false);
        var answer = new RelatedAnswer
        {
            Symbol = Describe(symbol),
            Relation = relation.ToString().ToLowerInvariant(),
            Related = [.. navigator.Related(symbol, relation, max).Select(Describe)],
            Note = note ?? (navigator.Index.HasGraph ? null : NoGraph),
            OtherMatches = others,
        };
        return JsonSerializer.Serialize(answer, Json);
    }

    private async Task<(SymbolNavigator Navigator, IndexedSymbol Symbol, IReadOnlyList<SymbolInfo>? Others, string? Note)> ResolveAsync(string nameOrId, int max, CancellationToken cancellationToken)
    {
        if (max is < 1 or > 100)
        {
            throw new McpException($"max must be between 1 and 100 (was {max}).");
        }

        var navigator = SymbolNavigator.For(await IndexAsync(cancellationToken).ConfigureAwait(false));
        var matches = navigator.Find(nameOrId, 10);
        var contained = false;
        if (matches.Count == 0)
        {
            // A member stored inside its type: its type's relations are the closest the index knows.
            matches = navigator.FindContaining(nameOrId, 10).Where(s => s.Kind.IsType()).ToList();
            contained = true;
            if (matches.Count == 0)
            {
                throw new McpException($"No definition named or with id '{nameOrId}' in the index. Use search_code to find it by meaning.");
            }
        }

        return (navigator, matches[0], matches.Count > 1 ? [.. matches.Skip(1).Select(Describe)] : null, contained
            ? $"'{nameOrId}' has no definition of its own in the index (small members are stored with their type): these are the relations of {matches[0].Name}, which contains it."
            : null);
    }

    private static SymbolInfo Describe(IndexedSymbol symbol) => new()
    {
        Id = symbol.Id,
        Name = symbol.Name,
        Kind = symbol.Kind.ToWireName(),
        Language = symbol.Language,
        Path = symbol.Path,
        StartLine = symbol.StartLine,
        EndLine = symbol.EndLine,
        Signature = symbol.Signature,
        Documentation = symbol.Documentation,
        Test = (symbol.Traits & SymbolTraits.Test) != 0 ? true : null,
    };

    private async Task<CodeIndex> IndexAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _live.GetIndexAsync(_readyTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new McpException(ex.Message);
        }
    }

    private static SearchOptions SearchOptionsFor(int top, string? pathGlob, string? language, string? kind, string tests)
    {
        if (!Enum.TryParse<TestCodeInclusion>(tests, ignoreCase: true, out var inclusion) || !Enum.IsDefined(inclusion))
        {
            throw new McpException($"tests must be 'include', 'exclude' or 'only' (was '{tests}').");
        }

        IReadOnlySet<SymbolKind>? kinds = null;
        if (!string.IsNullOrWhiteSpace(kind))
        {
            if (!SymbolKindExtensions.TryParseWireName(kind.Trim(), out var parsed))
            {
                throw new McpException($"Unknown kind '{kind}'. Known kinds: {string.Join(", ", Enum.GetValues<SymbolKind>().Select(k => k.ToWireName()))}.");
            }

            kinds = new HashSet<SymbolKind> { parsed };
        }

        return new SearchOptions
        {
            Top = top,
            CandidatePool = Math.Max(100, top),
            PathGlob = string.IsNullOrWhiteSpace(pathGlob) ? null : pathGlob.Trim(),
            Languages = string.IsNullOrWhiteSpace(language) ? null : new HashSet<string>(StringComparer.OrdinalIgnoreCase) { language.Trim() },
            Kinds = kinds,
            Tests = inclusion,
        };
    }

    /// <summary>Turns the library's argument and model errors into tool errors the model can read.</summary>
    private static async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or IndexModelMismatchException)
        {
            throw new McpException(ex.Message, ex);
        }
    }

    private sealed record FileAnswer
    {
        public required string Query { get; init; }

        public string? Note { get; init; }

        public required IReadOnlyList<FileHit> Files { get; init; }
    }

    private sealed record FileHit
    {
        public int Rank { get; init; }

        public required string Path { get; init; }

        public float Score { get; init; }

        public bool? Named { get; init; }

        public required IReadOnlyList<FileReason> Reasons { get; init; }
    }

    private sealed record FileReason
    {
        public string? Symbol { get; init; }

        public int StartLine { get; init; }

        public int EndLine { get; init; }

        public string? Via { get; init; }
    }

    private sealed record SearchAnswer
    {
        public required string Query { get; init; }

        public float? MinScore { get; init; }

        public string? Note { get; init; }

        public required IReadOnlyList<SearchHit> Results { get; init; }
    }

    private sealed record SearchHit
    {
        public int Rank { get; init; }

        public float Score { get; init; }

        public float? Cosine { get; init; }

        public required string Path { get; init; }

        public int StartLine { get; init; }

        public int EndLine { get; init; }

        public string? Symbol { get; init; }

        public required string SymbolId { get; init; }

        public required string Kind { get; init; }

        public required string Language { get; init; }

        public required string Signature { get; init; }

        public string? Via { get; init; }

        public bool? Test { get; init; }

        public required string Snippet { get; init; }
    }

    private sealed record SymbolAnswer
    {
        public string? Note { get; init; }

        public required IReadOnlyList<SymbolInfo> Matches { get; init; }
    }

    private sealed record SymbolInfo
    {
        public required string Id { get; init; }

        public string? Name { get; init; }

        public required string Kind { get; init; }

        public required string Language { get; init; }

        public required string Path { get; init; }

        public int StartLine { get; init; }

        public int EndLine { get; init; }

        public required string Signature { get; init; }

        public string? Documentation { get; init; }

        public bool? Test { get; init; }

        public string? Source { get; init; }
    }

    private sealed record RelatedAnswer
    {
        public required SymbolInfo Symbol { get; init; }

        public required string Relation { get; init; }

        public required IReadOnlyList<SymbolInfo> Related { get; init; }

        public IReadOnlyList<SymbolInfo>? Implements { get; init; }

        public string? Note { get; init; }

        public IReadOnlyList<SymbolInfo>? OtherMatches { get; init; }
    }
}
