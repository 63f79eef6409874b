namespace StructuralChunking.Graph;

/// <summary>The relation a <see cref="CodeEdge"/> records. The wire form is the member name in lower case.</summary>
public enum EdgeKind
{
    /// <summary>The source declares the target (namespace → type, type → member, method → local function).</summary>
    Contains = 0,
    /// <summary>The source's body calls, constructs or takes a method group of the target.</summary>
    Calls,
    /// <summary>The source type implements the target interface, or the source member implements the target interface member.</summary>
    Implements,
    /// <summary>The source type derives from the target type.</summary>
    Inherits,
    /// <summary>The source member overrides the target member.</summary>
    Overrides,
    /// <summary>The source uses the target type (parameter, field, local, generic argument, cast).</summary>
    References,
    /// <summary>The source file or module imports the target module or namespace.</summary>
    Imports,
}

/// <summary>Helpers for <see cref="EdgeKind"/>.</summary>
public static class EdgeKindExtensions
{
    /// <summary>The lower-case wire name of <paramref name="kind"/>.</summary>
    public static string ToWireName(this EdgeKind kind) => kind switch
    {
        EdgeKind.Contains => "contains",
        EdgeKind.Calls => "calls",
        EdgeKind.Implements => "implements",
        EdgeKind.Inherits => "inherits",
        EdgeKind.Overrides => "overrides",
        EdgeKind.References => "references",
        EdgeKind.Imports => "imports",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown edge kind."),
    };
}
