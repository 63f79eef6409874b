using System.Collections.Immutable;
using System.Text.Json.Serialization;
using StructuralChunking.Graph;

namespace StructuralChunking.Context;

/// <summary>
/// The best evidence for a query within a token budget: the search hits above the index's threshold, each with the
/// signatures of the definitions that explain it (callers, callees, the members it implements), merged per file in
/// source order. Built by <see cref="CodeSearchEngine.GetContextAsync"/>; rendered by <see cref="ToMarkdown"/>.
/// </summary>
public sealed record ContextPack
{
    /// <summary>The query.</summary>
    public required string Query { get; init; }

    /// <summary>The token budget the pack was built for.</summary>
    public required int Budget { get; init; }

    /// <summary>Tokens of the Markdown rendering (<see cref="Markdown"/>), counted with <see cref="TokenCounter"/>; never above <see cref="Budget"/>.</summary>
    public required int TokenCount { get; init; }

    /// <summary>What counted the tokens: the model's tokenizer, or an approximation when the model has none.</summary>
    public required string TokenCounter { get; init; }

    /// <summary>Why the pack ends where it does.</summary>
    public required ContextPackStop Stop { get; init; }

    /// <summary>One sentence saying why the pack ends where it does, for people and assistants.</summary>
    public required string Note { get; init; }

    /// <summary>The minimum score the hits had to reach (cosine, or BM25 in lexical mode); <c>null</c> when the index has none.</summary>
    public float? MinScore { get; init; }

    /// <summary>Search hits above the threshold (at most the search's top).</summary>
    public int HitCount { get; init; }

    /// <summary>Hits in the pack, in full, shortened or as a signature.</summary>
    public int IncludedHitCount { get; init; }

    /// <summary>The files, best hit first; items inside a file in source order.</summary>
    public ImmutableArray<ContextFile> Files { get; init; } = [];

    /// <summary>The pack as Markdown: one section per file, one fenced block per item with its lines and reason (left out of JSON, which carries the same items).</summary>
    [JsonIgnore]
    public string Markdown { get; init; } = string.Empty;

    /// <summary>The Markdown rendering (<see cref="Markdown"/>).</summary>
    public string ToMarkdown() => Markdown;
}

/// <summary>The items of one file in a <see cref="ContextPack"/>.</summary>
/// <param name="Path">Path relative to the indexed root.</param>
/// <param name="Language">Language id.</param>
/// <param name="Items">Items in source order, never overlapping.</param>
public sealed record ContextFile(string Path, string Language, ImmutableArray<ContextItem> Items);

/// <summary>One piece of code in a <see cref="ContextPack"/>.</summary>
public sealed record ContextItem
{
    /// <summary>Qualified name of the definition, or <c>null</c> for file-level code.</summary>
    public string? Symbol { get; init; }

    /// <summary>Id of the definition in the index (see <see cref="IndexedSymbol.Id"/>).</summary>
    public required string SymbolId { get; init; }

    /// <summary>Kind of the definition.</summary>
    public SymbolKind Kind { get; init; }

    /// <summary>1-based first line shown.</summary>
    public required int StartLine { get; init; }

    /// <summary>1-based last line shown (for a signature, the definition's last line).</summary>
    public required int EndLine { get; init; }

    /// <summary>Why it is in the pack, in one line: the hit's rank and score, or its relation to a hit.</summary>
    public required string Reason { get; init; }

    /// <summary>How much of the definition is shown.</summary>
    public ContextItemContent Content { get; init; }

    /// <summary>1-based rank of the search hit when the item is one (the best when several merged), else <c>null</c>.</summary>
    public int? Rank { get; init; }

    /// <summary>The code: the definition's lines, or its signature.</summary>
    public required string Text { get; init; }

    /// <summary>Tokens of the item's Markdown block.</summary>
    public int Tokens { get; init; }
}

/// <summary>How much of a definition a <see cref="ContextItem"/> shows.</summary>
public enum ContextItemContent
{
    /// <summary>The whole definition.</summary>
    Full,

    /// <summary>Its first lines, cut to fit the budget (the cut is marked in the text).</summary>
    Truncated,

    /// <summary>Only its signature: graph context, or a hit the budget had no room for in full.</summary>
    Signature,
}

/// <summary>Why a <see cref="ContextPack"/> ends where it does.</summary>
public enum ContextPackStop
{
    /// <summary>Nothing scores above the minimum score: the pack is empty on purpose.</summary>
    NoHits,

    /// <summary>Every hit above the minimum score is in the pack; nothing weaker was added to fill the budget.</summary>
    Threshold,

    /// <summary>The search's top was reached; more results may score above the minimum score.</summary>
    HitLimit,

    /// <summary>The budget ran out before every hit above the minimum score was in the pack.</summary>
    Budget,
}
