namespace StructuralChunking.Graph;

/// <summary>A typed, directed relation between two symbols of a <see cref="CodeGraph"/>.</summary>
/// <param name="From">The symbol the relation starts at (the caller, the container, the implementing type).</param>
/// <param name="To">The symbol the relation points to (the callee, the member, the interface).</param>
/// <param name="Kind">The relation.</param>
/// <param name="Weight">
/// Confidence in (0, 1]. Edges resolved by a semantic model are 1; front ends that resolve by name give each of
/// several ambiguous candidates a lower weight.
/// </param>
public readonly record struct CodeEdge(SymbolId From, SymbolId To, EdgeKind Kind, float Weight = 1f) 
{
    /// <summary>Orders by source, kind, then target, so graphs and their serialisations are deterministic.</summary>
    public static Comparison<CodeEdge> Ordering { get; } = static (x, y) => x.CompareTo(y);

    private int CompareTo(CodeEdge other)
    {
        var byFrom = From.CompareTo(other.From);
        if (byFrom != 0)
        {
            return byFrom;
        }

        var byKind = Kind.CompareTo(other.Kind);
        return byKind != 0 ? byKind : To.CompareTo(other.To);
    }
}
