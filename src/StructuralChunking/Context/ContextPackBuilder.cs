using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using StructuralChunking.Chunking;
using StructuralChunking.Graph;
using StructuralChunking.Indexing;
using StructuralChunking.Search;

namespace StructuralChunking.Context;

/// <summary>
/// Packs search hits and their graph context into a token budget. Three passes, each only adding what still fits:
/// every hit as a signature (so the pack names all of them before it spends tokens on any body), then each hit in rank
/// order in full (or shortened when only part of it fits) followed by the signatures of the definitions that explain
/// it. A full item absorbs the items its lines contain, so a type and its member are never both sent in full, and
/// overlapping items of one file merge into one.
/// </summary>
internal sealed class ContextPackBuilder
{
    private static readonly SymbolRelation[] RelationOrder =
        [SymbolRelation.Implements, SymbolRelation.Callees, SymbolRelation.Callers, SymbolRelation.Implementations, SymbolRelation.Users];

    /// <summary>Fewer lines than this say little more than the signature: such a hit stays a signature.</summary>
    private const int MinTruncatedLines = 4;

    private readonly SymbolNavigator _navigator;
    private readonly ITokenCounter _counter;
    private readonly ContextPackOptions _options;
    private readonly List<Entry> _entries = [];
    private readonly Dictionary<string, int> _fileHeadingCost = new(StringComparer.Ordinal);
    private int _used;
    private int _sequence;

    private ContextPackBuilder(SymbolNavigator navigator, ITokenCounter counter, ContextPackOptions options)
    {
        _navigator = navigator;
        _counter = counter;
        _options = options;
    }

    public static ContextPack Build(CodeIndex index, string query, IReadOnlyList<SearchResult> results, SearchOptions search, ITokenCounter counter, ContextPackOptions options)
    {
        var builder = new ContextPackBuilder(SymbolNavigator.For(index), counter, options);
        var modeName = search.Mode.ToString().ToLowerInvariant();
        float? minScore = search.MinScore ?? (index.Metadata.MinScores.TryGetValue(modeName, out var calibrated) ? calibrated : null);
        if (minScore is { } m && float.IsNegativeInfinity(m))
        {
            minScore = null;
        }

        return builder.Run(query, results, search, minScore);
    }

    private ContextPack Run(string query, IReadOnlyList<SearchResult> results, SearchOptions search, float? minScore)
    {
        // The header is written last (its note depends on how packing went); reserve the room its longest form takes.
        _used = Count(Header(query, Note(ContextPackStop.Budget, 9999, 9999, 9999, 9999, minScore)));
        var hits = results.Select(r => (Result: r, Symbol: _navigator.Of(r))).ToList();
        var included = new List<(SearchResult Result, IndexedSymbol Symbol, Entry Entry)>();
        var stop = ContextPackStop.Threshold;
        foreach (var (result, symbol) in hits)
        {
            var entry = SignatureEntry(symbol, HitReason(result, search.Mode), result.Rank);
            if (!TryAdd(entry))
            {
                stop = ContextPackStop.Budget;
                break;
            }

            included.Add((result, symbol, entry));
        }

        foreach (var (result, symbol, entry) in included)
        {
            if (_entries.Contains(entry))
            {
                Upgrade(entry, symbol);
            }

            AddRelated(symbol, result.Rank);
        }

        if (stop != ContextPackStop.Budget)
        {
            stop = results.Count == 0 ? ContextPackStop.NoHits : results.Count >= search.Top ? ContextPackStop.HitLimit : ContextPackStop.Threshold;
        }

        // The sum of the parts' counts is what packing checked; the rendering as a whole is what the budget promises.
        while (true)
        {
            var hitsShown = _entries.Where(e => e.Rank is not null).Select(e => e.Rank).Distinct().Count() + _entries.Sum(e => e.AbsorbedHits);
            var signaturesOnly = _entries.Count(e => e.Rank is not null && e.Content == ContextItemContent.Signature);
            var note = Note(stop, results.Count, Math.Min(hitsShown, included.Count), signaturesOnly, search.Top, minScore);
            var files = Files();
            var markdown = Render(query, note, files);
            var tokens = Count(markdown);
            if (tokens <= _options.Budget || _entries.Count == 0)
            {
                return new ContextPack
                {
                    Query = query,
                    Budget = _options.Budget,
                    TokenCount = tokens,
                    TokenCounter = _counter is ApproximateTokenCounter ? "approximate" : _counter.GetType().Name,
                    Stop = stop,
                    Note = note,
                    MinScore = minScore,
                    HitCount = results.Count,
                    IncludedHitCount = Math.Min(hitsShown, included.Count),
                    Files = files,
                    Markdown = markdown,
                };
            }

            var last = _entries.MaxBy(e => e.Sequence)!;
            Remove(last);
            if (last.Rank is not null)
            {
                stop = ContextPackStop.Budget;
            }
        }
    }

    /// <summary>Replaces a hit's signature with its whole definition, or as much of it as fits.</summary>
    private void Upgrade(Entry signature, IndexedSymbol symbol)
    {
        var (start, lines, text) = _navigator.Lines(symbol.Head);
        var full = new Entry
        {
            Symbol = symbol,
            StartLine = lines is null ? symbol.StartLine : start,
            EndLine = lines is null ? symbol.EndLine : start + lines.Length - 1,
            Lines = lines,
            Text = lines is null ? text : string.Join("\n", lines),
            Content = ContextItemContent.Full,
            Reasons = [.. signature.Reasons],
            Rank = signature.Rank,
        };

        // Already shown inside a larger item: that item carries this hit's reason too.
        if (_entries.FirstOrDefault(e => e != signature && e.Content != ContextItemContent.Signature && e.Path == full.Path
                && e.StartLine <= full.StartLine && full.EndLine <= e.EndLine && e.Lines is not null) is { } container)
        {
            Remove(signature);
            MergeInto(container, signature);
            var grown = Count(RenderItem(container));
            _used += grown - container.Cost;
            container.Cost = grown;
            return;
        }

        var absorbed = _entries.Where(e => e.Path == full.Path && (e == signature || Absorbs(full, e))).ToList();
        var freed = absorbed.Sum(e => e.Cost) + (absorbed.Count == _entries.Count(e => e.Path == full.Path) ? HeadingCost(full) : 0);
        foreach (var other in absorbed.Where(e => e != signature))
        {
            full.Reasons.AddRange(other.Reasons.Where(r => !full.Reasons.Contains(r)));
            full.AbsorbedHits += other.Rank is null ? other.AbsorbedHits : 1 + other.AbsorbedHits;
        }

        full.Cost = Count(RenderItem(full));
        var heading = absorbed.Count == _entries.Count(e => e.Path == full.Path) ? HeadingCost(full) : 0;
        if (_used - freed + heading + full.Cost <= _options.Budget)
        {
            Replace(absorbed, full);
            return;
        }

        // Only part of it fits: its first lines, when enough room is left for them to say something.
        var available = _options.Budget - (_used - signature.Cost);
        if (available < _options.MinTruncatedTokens)
        {
            return;
        }

        var allLines = full.Lines ?? SymbolNavigator.SplitLines(full.Text);
        var truncated = Truncate(full, allLines, available);
        if (truncated is not null && truncated.Cost <= available)
        {
            Replace([signature], truncated);
        }
    }

    /// <summary>The longest prefix of the definition's lines whose item fits <paramref name="available"/> tokens.</summary>
    private Entry? Truncate(Entry full, string[] lines, int available)
    {
        Entry? best = null;
        int low = MinTruncatedLines, high = lines.Length - 1;
        while (low <= high)
        {
            var take = (low + high) / 2;
            var lastShown = full.StartLine + take - 1;
            var candidate = new Entry
            {
                Symbol = full.Symbol,
                StartLine = full.StartLine,
                EndLine = full.Lines is null ? full.EndLine : lastShown,
                Lines = null,
                Text = string.Join("\n", lines.Take(take)) + "\n" + (full.Lines is null
                    ? string.Create(CultureInfo.InvariantCulture, $"⋯ ({lines.Length - take} more lines not shown)")
                    : string.Create(CultureInfo.InvariantCulture, $"⋯ (lines {lastShown + 1}-{full.EndLine} not shown)")),
                Content = ContextItemContent.Truncated,
                Reasons = [.. full.Reasons],
                Rank = full.Rank,
            };
            candidate.Cost = Count(RenderItem(candidate));
            if (candidate.Cost <= available)
            {
                best = candidate;
                low = take + 1;
            }
            else
            {
                high = take - 1;
            }
        }

        return best;
    }

    /// <summary>Signatures of the definitions that explain a hit: what it implements, calls, is called by, is implemented by, is used by.</summary>
    private void AddRelated(IndexedSymbol hit, int rank)
    {
        var added = 0;
        var name = ShortName(hit);
        foreach (var relation in RelationOrder)
        {
            foreach (var head in _navigator.RelatedHeads(hit.Head, relation))
            {
                if (added >= _options.MaxRelatedPerHit)
                {
                    return;
                }

                var related = _navigator.Symbol(head);
                if ((related.Traits & SymbolTraits.Test) != 0 && (hit.Traits & SymbolTraits.Test) == 0)
                {
                    // Tests explain little of the code they call and would crowd out its real callers.
                    continue;
                }

                var reason = relation switch
                {
                    SymbolRelation.Implements => $"implemented by hit {rank} `{name}`",
                    SymbolRelation.Callees => $"called by hit {rank} `{name}`",
                    SymbolRelation.Callers => $"calls hit {rank} `{name}`",
                    SymbolRelation.Implementations => $"implements hit {rank} `{name}`",
                    _ => $"uses hit {rank} `{name}`",
                };

                if (_entries.FirstOrDefault(e => e.Symbol.Head == head || (e.Path == related.Path && e.Content != ContextItemContent.Signature
                        && e.StartLine <= related.StartLine && related.EndLine <= e.EndLine)) is not null)
                {
                    continue;
                }

                if (TryAdd(SignatureEntry(related, reason, rank: null)))
                {
                    added++;
                }
            }
        }
    }

    private static Entry SignatureEntry(IndexedSymbol symbol, string reason, int? rank) => new()
    {
        Symbol = symbol,
        StartLine = symbol.StartLine,
        EndLine = symbol.EndLine,
        Text = symbol.Signature,
        Content = ContextItemContent.Signature,
        Reasons = [reason],
        Rank = rank,
    };

    private static bool Absorbs(Entry container, Entry other) =>
        container.Path == other.Path
        && ((container.StartLine <= other.StartLine && other.EndLine <= container.EndLine)
            || (other.Content != ContextItemContent.Signature && other.Lines is not null && container.Lines is not null
                && other.StartLine <= container.EndLine && container.StartLine <= other.EndLine));

    /// <summary>Puts <paramref name="replacement"/> where <paramref name="removed"/> were, merging partly overlapping lines into it.</summary>
    private void Replace(List<Entry> removed, Entry replacement)
    {
        foreach (var entry in removed)
        {
            Remove(entry);
        }

        foreach (var entry in removed.Where(e => e.Lines is not null && replacement.Lines is not null
            && (e.StartLine < replacement.StartLine || e.EndLine > replacement.EndLine)))
        {
            var start = Math.Min(entry.StartLine, replacement.StartLine);
            var end = Math.Max(entry.EndLine, replacement.EndLine);
            var merged = new string[end - start + 1];
            for (var line = start; line <= end; line++)
            {
                merged[line - start] = line >= replacement.StartLine && line <= replacement.EndLine
                    ? replacement.Lines![line - replacement.StartLine]
                    : entry.Lines![line - entry.StartLine];
            }

            replacement.StartLine = start;
            replacement.EndLine = end;
            replacement.Lines = merged;
            replacement.Text = string.Join("\n", merged);
        }

        replacement.Cost = Count(RenderItem(replacement));
        if (!TryAdd(replacement))
        {
            // Merging grew it past the budget: the parts it replaced go back as they were.
            foreach (var entry in removed)
            {
                TryAdd(entry);
            }
        }
    }

    private static void MergeInto(Entry container, Entry other)
    {
        container.Reasons.AddRange(other.Reasons.Where(r => !container.Reasons.Contains(r)));
        if (other.Rank is { } rank)
        {
            container.AbsorbedHits++;
            container.Rank ??= rank;
        }
    }

    private bool TryAdd(Entry entry)
    {
        entry.Cost = Count(RenderItem(entry));
        var heading = _entries.Any(e => e.Path == entry.Path) ? 0 : HeadingCost(entry);
        if (_used + heading + entry.Cost > _options.Budget)
        {
            return false;
        }

        entry.Sequence = ++_sequence;
        _entries.Add(entry);
        _used += heading + entry.Cost;
        return true;
    }

    private void Remove(Entry entry)
    {
        if (!_entries.Remove(entry))
        {
            return;
        }

        _used -= entry.Cost;
        if (!_entries.Any(e => e.Path == entry.Path))
        {
            _used -= HeadingCost(entry);
        }
    }

    private int HeadingCost(Entry entry)
    {
        if (!_fileHeadingCost.TryGetValue(entry.Path, out var cost))
        {
            _fileHeadingCost[entry.Path] = cost = Count(FileHeading(entry.Path, entry.Symbol.Language));
        }

        return cost;
    }

    private ImmutableArray<ContextFile> Files() =>
        [.. _entries
            .GroupBy(e => e.Path, StringComparer.Ordinal)
            .OrderBy(g => g.Min(e => e.Rank ?? int.MaxValue))
            .ThenBy(g => g.Min(e => e.Sequence))
            .Select(g => new ContextFile(g.Key, g.First().Symbol.Language, [.. g
                .OrderBy(e => e.StartLine).ThenBy(e => e.EndLine)
                .Select(e => new ContextItem
                {
                    Symbol = e.Symbol.Name,
                    SymbolId = e.Symbol.Id,
                    Kind = e.Symbol.Kind,
                    StartLine = e.StartLine,
                    EndLine = e.EndLine,
                    Reason = string.Join("; ", e.Reasons),
                    Content = e.Content,
                    Rank = e.Rank,
                    Text = e.Text,
                    Tokens = e.Cost,
                })]))];

    private int Count(string text) => _counter.CountTokens(text);

    private static string HitReason(SearchResult result, SearchMode mode)
    {
        var score = mode == SearchMode.Lexical
            ? string.Create(CultureInfo.InvariantCulture, $"bm25 {result.ThresholdScore:F2}")
            : string.Create(CultureInfo.InvariantCulture, $"cosine {result.ThresholdScore:F2}");
        return result.Via is { } via ? $"hit {result.Rank} ({score}), reached through the graph: {via}" : $"hit {result.Rank} ({score})";
    }

    private static string ShortName(IndexedSymbol symbol)
    {
        var name = symbol.Name ?? symbol.Path;
        var paren = name.IndexOf('(', StringComparison.Ordinal);
        return paren > 0 ? name[..paren] : name;
    }

    private static string Note(ContextPackStop stop, int hits, int included, int signaturesOnly, int top, float? minScore)
    {
        var threshold = minScore is { } m ? string.Create(CultureInfo.InvariantCulture, $"the minimum score ({m:F2})") : "the minimum score (none is calibrated in this index)";
        var signatures = signaturesOnly > 0 ? $"; {signaturesOnly} of them only as a signature, for the budget" : string.Empty;
        return stop switch
        {
            ContextPackStop.NoHits => $"Nothing scores above {threshold}: no context rather than wrong context.",
            ContextPackStop.Threshold => $"All {hits} hits above {threshold} are here{signatures}. The pack stops at the threshold rather than filling the budget with weaker matches.",
            ContextPackStop.HitLimit => $"The {top} best hits above {threshold} are here{signatures}; more code may score above it.",
            _ => $"The budget ran out: {included} of the {hits} hits above {threshold} are here{signatures}. A larger budget would show more.",
        };
    }

    private static string Header(string query, string note) => $"# Context for: {OneLine(query)}\n\n> {note}\n\n";

    private static string FileHeading(string path, string language) => $"## {path} ({language})\n\n";

    private static string RenderItem(Entry entry)
    {
        var what = entry.Content switch
        {
            ContextItemContent.Signature => "signature",
            ContextItemContent.Truncated => "shortened",
            _ => entry.Symbol.Kind.ToWireName(),
        };
        var name = entry.Symbol.Name ?? "file-level code";
        return string.Create(CultureInfo.InvariantCulture,
            $"### `{name}` ({what}) L{entry.StartLine}-{entry.EndLine}: {string.Join("; ", entry.Reasons)}\n```{entry.Symbol.Language}\n{entry.Text}\n```\n\n");
    }

    private static string Render(string query, string note, ImmutableArray<ContextFile> files)
    {
        var builder = new StringBuilder(Header(query, note));
        foreach (var file in files)
        {
            builder.Append(FileHeading(file.Path, file.Language));
            foreach (var item in file.Items)
            {
                var what = item.Content switch
                {
                    ContextItemContent.Signature => "signature",
                    ContextItemContent.Truncated => "shortened",
                    _ => item.Kind.ToWireName(),
                };
                builder.Append(CultureInfo.InvariantCulture,
                    $"### `{item.Symbol ?? "file-level code"}` ({what}) L{item.StartLine}-{item.EndLine}: {item.Reason}\n```{file.Language}\n{item.Text}\n```\n\n");
            }
        }

        return builder.ToString();
    }

    private static string OneLine(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private sealed class Entry
    {
        public required IndexedSymbol Symbol { get; init; }

        public string Path => Symbol.Path;

        public int StartLine { get; set; }

        public int EndLine { get; set; }

        public string[]? Lines { get; set; }

        public required string Text { get; set; }

        public ContextItemContent Content { get; init; }

        public required List<string> Reasons { get; init; }

        public int? Rank { get; set; }

        public int AbsorbedHits { get; set; }

        public int Cost { get; set; }

        public int Sequence { get; set; }
    }
}
