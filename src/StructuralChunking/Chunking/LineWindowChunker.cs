using System.Globalization;
using StructuralChunking.Graph;

namespace StructuralChunking.Chunking;

/// <summary>
/// The naive baseline: fixed windows of lines with overlap, raw code, no context. It exists so every evaluation can show,
/// on the same corpus and embedder, what structural chunking and each header part buy.
/// </summary>
/// <remarks>Windows are cut to the token budget like any chunk, so a dense window embeds only its first lines; its lexical
/// text covers all of its lines.</remarks>
public sealed class LineWindowChunker : ICodeChunker
{
    private readonly ITokenCounter _counter;

    /// <summary>Creates the baseline chunker.</summary>
    /// <param name="windowLines">Lines per window. Default 30.</param>
    /// <param name="strideLines">Lines between window starts (30/15 gives 15 lines of overlap). Default 15.</param>
    /// <param name="tokenBudget">Token budget of the embedding text. Default 256.</param>
    /// <param name="splitIdentifiers">Add split words to the lexical text. Default <c>true</c>.</param>
    /// <param name="tokenCounter">Token counter; <c>null</c> for <see cref="ApproximateTokenCounter"/>.</param>
    public LineWindowChunker(int windowLines = 30, int strideLines = 15, int tokenBudget = 256, bool splitIdentifiers = true, ITokenCounter? tokenCounter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowLines, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(strideLines, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(strideLines, windowLines);
        ArgumentOutOfRangeException.ThrowIfLessThan(tokenBudget, 8);
        WindowLines = windowLines;
        StrideLines = strideLines;
        TokenBudget = tokenBudget;
        SplitIdentifiers = splitIdentifiers;
        _counter = tokenCounter ?? ApproximateTokenCounter.Instance;
    }

    /// <summary>Lines per window.</summary>
    public int WindowLines { get; }

    /// <summary>Lines between window starts.</summary>
    public int StrideLines { get; }

    /// <summary>Token budget of the embedding text.</summary>
    public int TokenBudget { get; }

    /// <summary>Whether the lexical text gets split words.</summary>
    public bool SplitIdentifiers { get; }

    /// <inheritdoc />
    public string Name => "lines";

    /// <inheritdoc />
    public string Description => string.Create(CultureInfo.InvariantCulture, $"lines window={WindowLines} stride={StrideLines} budget={TokenBudget} split={SplitIdentifiers}");

    /// <inheritdoc />
    public IReadOnlyList<CodeChunk> Chunk(CodeGraph graph, SourceTexts sources, IReadOnlyList<ChunkSourceFile> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(files);
        var chunks = new List<CodeChunk>();
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (sources.Get(file.Path) is not { } document)
            {
                continue;
            }

            for (var start = 1; start <= document.LineCount; start += StrideLines)
            {
                var end = Math.Min(document.LineCount, start + WindowLines - 1);
                var display = ChunkText.Display(document.Lines(start, end));
                if (!string.IsNullOrWhiteSpace(display))
                {
                    var text = ChunkText.Truncate(display, TokenBudget, _counter);
                    var offsets = document.Offsets;
                    chunks.Add(new CodeChunk
                    {
                        Id = string.Create(CultureInfo.InvariantCulture, $"lines:{file.Path}:{start}-{end}"),
                        Language = file.Language,
                        Location = new SourceLocation(file.Path, start, end, offsets.ToByteOffset(offsets.LineStartChar(start)), offsets.ToByteOffset(offsets.LineEndChar(end))),
                        EmbeddingText = text,
                        // BM25 has no window: it sees the whole window even when the embedding text is cut.
                        LexicalText = ChunkText.Lexical(display, SplitIdentifiers),
                        DisplayText = display,
                        ContentHash = ContentHash.Of(text),
                        TokenCount = _counter.CountTokens(text),
                    });
                }

                if (end == document.LineCount)
                {
                    break;
                }
            }
        }

        return chunks;
    }
}
