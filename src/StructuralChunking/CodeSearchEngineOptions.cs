using Microsoft.Extensions.AI;
using StructuralChunking.Chunking;
using StructuralChunking.Discovery;
using StructuralChunking.Embeddings;
using StructuralChunking.FrontEnds;

namespace StructuralChunking;

/// <summary>What a <see cref="CodeSearchEngine"/> parses with, embeds with and how it chunks.</summary>
public sealed class CodeSearchEngineOptions
{
    /// <summary>
    /// The front ends, in priority order: a language goes to the first front end that parses it. Files no front end
    /// claims are chunked as file-level code. Empty by default; add <c>CSharpFrontEnd</c> (StructuralChunking.Roslyn)
    /// and <c>TreeSitterFrontEnd</c> (StructuralChunking.TreeSitter).
    /// </summary>
    public IList<ICodeFrontEnd> FrontEnds { get; } = [];

    /// <summary>
    /// The embedding model for chunks and queries. Required: for example <c>OnnxEmbeddingModels.Create("minilm")</c>
    /// (StructuralChunking.Onnx with StructuralChunking.Models.MiniLM), or any <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>.
    /// The engine does not dispose it.
    /// </summary>
    public IEmbeddingGenerator<string, Embedding<float>>? Embedder { get; set; }

    /// <summary>
    /// The model's id, dimension and prefixes as indexes record them; <c>null</c> to ask the embedder
    /// (<see cref="EmbeddingProfile"/> service, else its <see cref="EmbeddingGeneratorMetadata"/>).
    /// </summary>
    public EmbeddingProfile? Profile { get; set; }

    /// <summary>How definitions become chunks (token budget, graph context, identifier splitting).</summary>
    public ChunkingOptions Chunking { get; set; } = new();

    /// <summary>
    /// A chunker to use instead of the structural chunker built from <see cref="Chunking"/> (for example a
    /// <see cref="LineWindowChunker"/> as a baseline); <c>null</c> for the default.
    /// </summary>
    public ICodeChunker? Chunker { get; set; }

    /// <summary>Which files count as source: ignore files, size, binary and encoding rules.</summary>
    public SourceDiscoveryOptions Discovery { get; set; } = new();

    /// <summary>Checks the options, reporting every problem at once.</summary>
    /// <exception cref="ArgumentException">An option is missing or out of range.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (Embedder is null)
        {
            errors.Add($"{nameof(Embedder)} is required: give an embedding generator (for example the ONNX MiniLM model).");
        }

        if (FrontEnds.Any(f => f is null))
        {
            errors.Add($"{nameof(FrontEnds)} must not contain null.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid engine options: " + string.Join(" ", errors));
        }

        Discovery.Validate();
    }
}
