using System.Diagnostics.CodeAnalysis;
using StructuralChunking.Graph;

namespace StructuralChunking.Chunking;

/// <summary>The unit that gets embedded, indexed and returned by a search.</summary>
/// <remarks>
/// A chunk carries three texts because its three readers differ: the embedding model needs context in few tokens,
/// a lexical index needs every identifier and its parts, and a person (or an assistant) needs the exact source.
/// </remarks>
public sealed record CodeChunk
{
    private LazyChunkText _embeddingText = LazyChunkText.Missing;
    private LazyChunkText _lexicalText = LazyChunkText.Missing;
    private LazyChunkText _displayText = LazyChunkText.Missing;

    /// <summary>Creates a chunk; every required property is set in the initializer.</summary>
    public CodeChunk()
    {
    }

    /// <summary>
    /// A chunk read from an index file whose three texts stay in the file until first read (a search shows the texts
    /// of ten results, not of every chunk); <paramref name="texts"/> verifies them when it reads them.
    /// </summary>
    [SetsRequiredMembers]
#pragma warning disable CS8618 // The three texts are set through their fields, which the analysis does not follow.
    internal CodeChunk(string id, string language, SourceLocation location, string contentHash, IChunkTextSource texts, int ordinal)
    {
        Id = id;
        Language = language;
        Location = location;
        ContentHash = contentHash;
        _embeddingText = new LazyChunkText(texts, ordinal, ChunkTextField.Embedding);
        _lexicalText = new LazyChunkText(texts, ordinal, ChunkTextField.Lexical);
        _displayText = new LazyChunkText(texts, ordinal, ChunkTextField.Display);
    }
#pragma warning restore CS8618

    /// <summary>Stable id: the symbol id and the part index (<c>3f0c…#0</c>), or the path and line window for line chunks.</summary>
    public required string Id { get; init; }

    /// <summary>The symbol this chunk presents, or <c>null</c> for chunks not tied to a symbol (line windows).</summary>
    public SymbolId? SymbolId { get; init; }

    /// <summary>Qualified name of <see cref="SymbolId"/>, for display; <c>null</c> when there is no symbol.</summary>
    public string? SymbolName { get; init; }

    /// <summary>Kind of the symbol; <see cref="Graph.SymbolKind.Unknown"/> when there is no symbol.</summary>
    public SymbolKind SymbolKind { get; init; }

    /// <summary>Language id of the source.</summary>
    public required string Language { get; init; }

    /// <summary>Where the chunk's source lines are (path relative to the indexed root).</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>0-based part index when a large definition is split; 0 otherwise.</summary>
    public int PartIndex { get; init; }

    /// <summary>Number of parts the definition was split into; 1 when it was not split.</summary>
    public int PartCount { get; init; } = 1;

    /// <summary>Generated or test source; copied from the symbol so search can filter without the graph.</summary>
    public SymbolTraits Traits { get; init; }

    /// <summary>Compact header plus code, sized to the embedding model's token budget.</summary>
    public required string EmbeddingText { get => _embeddingText.Value; init => _embeddingText = new LazyChunkText(value); }

    /// <summary>Original identifiers and their split words, for a lexical (BM25) index.</summary>
    public required string LexicalText { get => _lexicalText.Value; init => _lexicalText = new LazyChunkText(value); }

    /// <summary>
    /// The exact source lines, for showing to a person or an assistant; bounded so no input stores unbounded text: lines
    /// over 1,000 characters (minified code) are cut and the whole is cut near 32 KiB, each cut marked with what is left out.
    /// </summary>
    public required string DisplayText { get => _displayText.Value; init => _displayText = new LazyChunkText(value); }

    /// <summary>Hash of everything the texts were made from; unchanged hash means the embedding can be reused.</summary>
    public required string ContentHash { get; init; }

    /// <summary>Token count of <see cref="EmbeddingText"/> as measured by the chunker's token counter.</summary>
    public int TokenCount { get; init; }

    /// <summary>Path of the source file, relative to the indexed root.</summary>
    public string Path => Location.Path;

    /// <summary>1-based first line.</summary>
    public int StartLine => Location.StartLine;

    /// <summary>1-based last line, inclusive.</summary>
    public int EndLine => Location.EndLine;
}
