using System.Collections.Immutable;

namespace StructuralChunking.Graph;

/// <summary>A declaration in the code graph: a namespace, type, member or function.</summary>
/// <remarks>
/// Every front end (Roslyn for C#, tree-sitter for other languages) produces these, and every later stage
/// (chunking, indexing, search, evaluation) consumes them without knowing the language.
/// </remarks>
public sealed record CodeSymbol
{
    /// <summary>Stable id; see <see cref="SymbolId.Create"/>.</summary>
    public required SymbolId Id { get; init; }

    /// <summary>Simple name as written in source, for example <c>PlaceOrder</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Fully qualified, human-readable name, for example <c>Shop.Orders.OrderService.PlaceOrder</c>.</summary>
    public required string QualifiedName { get; init; }

    /// <summary>What the symbol declares.</summary>
    public required SymbolKind Kind { get; init; }

    /// <summary>Language id, for example <c>csharp</c> or <c>python</c> (see <see cref="Discovery.LanguageIds"/>).</summary>
    public required string Language { get; init; }

    /// <summary>
    /// Primary location. For symbols declared in several places (C# partial types) the first declaration in
    /// path order; the others are in <see cref="AdditionalLocations"/>. <c>null</c> for external symbols.
    /// </summary>
    public SourceLocation? Location { get; init; }

    /// <summary>Further declarations of the same symbol (partial types); empty for most symbols.</summary>
    public ImmutableArray<SourceLocation> AdditionalLocations { get; init; } = [];

    /// <summary>Declaration text without the body, for example <c>public Task PlaceOrder(Order order)</c>.</summary>
    public string? Signature { get; init; }

    /// <summary>Documentation comment as plain text (XML doc summary, docstring, JSDoc), or <c>null</c>.</summary>
    public string? Documentation { get; init; }

    /// <summary>The enclosing symbol (type of a member, namespace of a type), or <c>null</c> at top level.</summary>
    public SymbolId? ParentId { get; init; }

    /// <summary>Generated, test or external; see <see cref="SymbolTraits"/>.</summary>
    public SymbolTraits Traits { get; init; }

    /// <summary>Path of the primary location, or <c>null</c> for external symbols.</summary>
    public string? Path => Location?.Path;

    /// <summary>1-based first line of the primary location, or 0 for external symbols.</summary>
    public int StartLine => Location?.StartLine ?? 0;

    /// <summary>1-based last line of the primary location, or 0 for external symbols.</summary>
    public int EndLine => Location?.EndLine ?? 0;

    /// <summary>True when the symbol is declared outside the indexed sources.</summary>
    public bool IsExternal => (Traits & SymbolTraits.External) != 0;

    /// <summary>All locations: the primary one first, then <see cref="AdditionalLocations"/>.</summary>
    public IEnumerable<SourceLocation> AllLocations
    {
        get
        {
            if (Location is { } primary)
            {
                yield return primary;
            }

            foreach (var location in AdditionalLocations)
            {
                yield return location;
            }
        }
    }
}
