using StructuralChunking.Discovery;
using StructuralChunking.Graph;

namespace StructuralChunking.TreeSitter.Internal;

/// <summary>A definition found in one file, before and after naming.</summary>
internal sealed class DefinitionInfo
{
    public required string Name { get; init; }
    public required SymbolKind Kind { get; set; }
    /// <summary>Bytes of the definition proper (without decorators or <c>export</c>); used for nesting.</summary>
    public required int CoreStart { get; init; }
    public required int CoreEnd { get; init; }
    /// <summary>Byte offset of the name: a reference there is the definition itself, not a call.</summary>
    public int NameStart { get; init; } = -1;
    /// <summary>The whole definition, wrappers included.</summary>
    public required SourceLocation Location { get; init; }
    public string? Signature { get; init; }
    public string? Documentation { get; set; }
    /// <summary>Index of the enclosing definition in the file's list, or -1 for the module.</summary>
    public int Parent { get; set; } = -1;
    /// <summary>The type a method belongs to when it is declared outside it (Go receivers, Rust <c>impl</c>, C++ <c>A::f</c>).</summary>
    public string? OwnerType { get; init; }
    /// <summary>Go: the receiver variable of a method (<c>s</c> in <c>func (s *Server) Run()</c>).</summary>
    public string? ReceiverName { get; init; }
    public string QualifiedName { get; set; } = "";
    public SymbolId Id { get; set; }
    /// <summary>A module-level name bound to a call, object or <c>new</c> expression (<c>const slice = createSlice({…})</c>,
    /// <c>module.exports = {…}</c>): its nested functions are its members.</summary>
    public bool IsValue { get; init; }
    /// <summary>A test block named by its description (<c>describe("…")</c>, <c>it("…")</c>): not a name code can call.</summary>
    public bool IsTestBlock { get; init; }
    /// <summary>Test code by a test block, a test attribute, a test name or an enclosing test.</summary>
    public bool IsTest { get; set; }
    /// <summary>Parent resolved across files (Go methods of a type declared in another file of the package).</summary>
    public SymbolId? ResolvedParent { get; set; }
}

/// <summary>What a reference asks the resolver for.</summary>
internal enum ReferenceKind : byte
{
    /// <summary>A call or construction: a <c>calls</c> edge.</summary>
    Call,
    /// <summary>A base type: an <c>inherits</c> or <c>implements</c> edge, decided by the target's kind.</summary>
    Base,
}

/// <summary>A name used in a file.</summary>
/// <param name="Kind">Call or base type.</param>
/// <param name="Name">The simple name (<c>read_token</c>).</param>
/// <param name="Qualifier">What stands before it (<c>self</c>, <c>tokens</c>, <c>pkg</c>), or null.</param>
/// <param name="Position">Byte offset of the name.</param>
/// <param name="Enclosing">Index of the innermost enclosing definition, -1 for module level.</param>
/// <param name="SourceType">For Rust <c>impl Trait for Type</c>: the implementing type's name (the source of the edge).</param>
internal readonly record struct ReferenceInfo(ReferenceKind Kind, string Name, string? Qualifier, int Position, int Enclosing, string? SourceType = null);

/// <summary>An import: <c>import a.b as c</c>, <c>from a import b</c>, <c>import {b as c} from './a'</c>, <c>require('./a')</c>.</summary>
/// <param name="Module">The module as written (dotted name, relative path, package path).</param>
/// <param name="Name">The name imported from it, or null when the module itself is imported.</param>
/// <param name="Alias">The local name bound, or null for the default.</param>
internal sealed record ImportInfo(string Module, string? Name, string? Alias);

/// <summary>Everything extracted from one file; built in parallel, resolved together.</summary>
internal sealed class FileSyntax
{
    public required SourceFile File { get; init; }
    public required LanguageSpec Spec { get; init; }
    public required string ModuleName { get; init; }
    public required int ByteLength { get; init; }
    public required int LineCount { get; init; }
    public string? ModuleDocumentation { get; set; }
    /// <summary>Package or namespace declared in the file (Go, Java, C#, PHP), or null.</summary>
    public string? Package { get; set; }
    public List<DefinitionInfo> Definitions { get; } = [];
    public List<ReferenceInfo> References { get; } = [];
    public List<ImportInfo> Imports { get; } = [];
    public bool HasErrors { get; set; }
    /// <summary>Generated code, by its name or its heading comments (<see cref="GeneratedCode"/>).</summary>
    public bool IsGenerated { get; init; }
    public bool QueryIncomplete { get; set; }
    public SymbolId ModuleId { get; set; }
    public string Path => File.RelativePath;
    public string Language => Spec.Id;
    /// <summary>The folder of the file, relative, with <c>/</c> (empty at the root).</summary>
    public string Directory => Path.LastIndexOf('/') is var slash && slash >= 0 ? Path[..slash] : string.Empty;
}
