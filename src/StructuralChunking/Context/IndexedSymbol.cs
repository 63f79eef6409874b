using StructuralChunking.Graph;

namespace StructuralChunking.Context;

/// <summary>A definition as an index knows it: where it is, what it is called, its signature and documentation.</summary>
public sealed record IndexedSymbol
{
    /// <summary>Stable id of the definition in this index (its chunk id without the part number).</summary>
    public required string Id { get; init; }

    /// <summary>Qualified name, or <c>null</c> for file-level code.</summary>
    public string? Name { get; init; }

    /// <summary>Kind of the definition.</summary>
    public SymbolKind Kind { get; init; }

    /// <summary>Language id of its source.</summary>
    public required string Language { get; init; }

    /// <summary>Path relative to the indexed root.</summary>
    public required string Path { get; init; }

    /// <summary>1-based first line of the whole definition.</summary>
    public int StartLine { get; init; }

    /// <summary>1-based last line of the whole definition.</summary>
    public int EndLine { get; init; }

    /// <summary>The declaration line(s), without the body: what a caller needs to know.</summary>
    public required string Signature { get; init; }

    /// <summary>The first sentence of its documentation, when the index recorded one.</summary>
    public string? Documentation { get; init; }

    /// <summary>Test or generated code.</summary>
    public SymbolTraits Traits { get; init; }

    /// <summary>The chunk ordinal that stands for the definition (its first part).</summary>
    internal int Head { get; init; }
}

/// <summary>How a definition relates to the one asked about (see <see cref="SymbolNavigator.Related"/>).</summary>
public enum SymbolRelation
{
    /// <summary>Definitions that call it (or read or write it, for a property or event).</summary>
    Callers,

    /// <summary>Definitions it calls.</summary>
    Callees,

    /// <summary>Definitions that implement or override it (or the body of a body-less declaration).</summary>
    Implementations,

    /// <summary>The interface members or base members it implements or overrides.</summary>
    Implements,

    /// <summary>Definitions that use it as a type.</summary>
    Users,
}
