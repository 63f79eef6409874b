using StructuralChunking.Graph;

namespace StructuralChunking.Chunking;

/// <summary>Turns a graph and its sources into chunks. Implementations are deterministic: same input, same chunks.</summary>
public interface ICodeChunker
{
    /// <summary>A short name for reports and index metadata, for example <c>structural</c> or <c>lines</c>.</summary>
    string Name { get; }

    /// <summary>The chunker and every option that changes its output, for index metadata (for example <c>structural budget=256 …</c>).</summary>
    string Description { get; }

    /// <summary>Chunks every file of <paramref name="files"/> (paths relative to the root), using <paramref name="graph"/> where it helps.</summary>
    /// <param name="graph">The code graph; may be <see cref="CodeGraph.Empty"/> for chunkers that do not use it.</param>
    /// <param name="sources">The texts of the files.</param>
    /// <param name="files">The files to chunk, each with its language id, in the order chunks should come out.</param>
    /// <param name="cancellationToken">Stops between files.</param>
    IReadOnlyList<CodeChunk> Chunk(CodeGraph graph, SourceTexts sources, IReadOnlyList<ChunkSourceFile> files, CancellationToken cancellationToken = default);
}

/// <summary>A file to chunk.</summary>
/// <param name="Path">Path relative to the indexed root.</param>
/// <param name="Language">Language id.</param>
public sealed record ChunkSourceFile(string Path, string Language);
