namespace StructuralChunking.Graph;

/// <summary>Facts about a symbol that later stages use to weight or filter it.</summary>
[Flags]
public enum SymbolTraits
{
    /// <summary>Ordinary first-party source.</summary>
    None = 0,
    /// <summary>Declared in generated code (<c>*.g.cs</c>, <c>*.designer.cs</c>, <c>obj/</c>, files marked auto-generated).</summary>
    Generated = 1 << 0,
    /// <summary>Declared in a test project or test file.</summary>
    Test = 1 << 1,
    /// <summary>Declared outside the indexed sources (a framework or package); has no location of its own.</summary>
    External = 1 << 2,
}
