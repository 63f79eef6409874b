using StructuralChunking.Discovery;

namespace StructuralChunking.FrontEnds;

/// <summary>What a <see cref="ICodeFrontEnd"/> is asked to load.</summary>
public sealed record FrontEndRequest
{
    /// <summary>Absolute path of the code base's root folder; every path in the result is relative to it.</summary>
    public required string Root { get; init; }

    /// <summary>The solution or project file to open, when the code base was given as one and this front end can open it; otherwise <c>null</c>.</summary>
    public string? EntryPoint { get; init; }

    /// <summary>The files discovery found in this front end's languages (after every ignore, size, binary and encoding rule).</summary>
    public required IReadOnlyList<SourceFile> Files { get; init; }

    /// <summary>The language ids this front end was given (those of <see cref="Files"/>, claimed by no front end before it).</summary>
    public required IReadOnlySet<string> Languages { get; init; }

    /// <summary>Files larger than this are skipped.</summary>
    public long MaxFileBytes { get; init; } = SourceDiscoveryOptions.DefaultMaxFileBytes;

    /// <summary>
    /// A file where the front end may keep state between runs (a per-document cache), or <c>null</c> for none. The front
    /// end reads it here and hands the new state back in <see cref="FrontEndResult.State"/>; the engine writes it only
    /// after the index it belongs to was saved.
    /// </summary>
    public string? StatePath { get; init; }
}
