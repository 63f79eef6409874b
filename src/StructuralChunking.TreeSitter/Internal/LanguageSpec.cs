using System.Collections.Frozen;
using System.Text.RegularExpressions;
using StructuralChunking.Discovery;
using StructuralChunking.Graph;

namespace StructuralChunking.TreeSitter.Internal;

/// <summary>How module names are derived from file paths.</summary>
internal enum ModuleNaming
{
    /// <summary>The relative path without its extension: <c>lib/command</c>.</summary>
    Path,
    /// <summary>The relative path with its extension: <c>src/util.h</c> (C and C++, where <c>util.h</c> and <c>util.c</c> are two modules).</summary>
    FilePath,
    /// <summary>Python: folders and file name joined by dots, <c>__init__</c> dropped: <c>auth.middleware.admin_jwt_validator</c>.</summary>
    Dotted,
}

/// <summary>
/// What the language-blind extractor needs to know about one language: the grammar export, the query files, and the
/// few node types with a special role (comments, wrappers, member access). Everything else comes from the queries.
/// </summary>
internal sealed class LanguageSpec
{
    private static readonly FrozenSet<string> Empty = FrozenSet<string>.Empty;

    public required string Id { get; init; }

    /// <summary>Languages whose definitions can call each other (JavaScript/TypeScript/TSX; C/C++).</summary>
    public required string Family { get; init; }

    public required string ExportSymbol { get; init; }

    /// <summary>Embedded query resources compiled together, in order: grammar tags first, then our additions.</summary>
    public required IReadOnlyList<string> QueryResources { get; init; }

    public ModuleNaming ModuleNaming { get; init; } = ModuleNaming.Path;

    /// <summary>Node types of comments, for documentation above a definition.</summary>
    public FrozenSet<string> CommentTypes { get; init; } = Set("comment");

    /// <summary>Node types that wrap a definition and belong to its location (decorators, <c>export</c>).</summary>
    public FrozenSet<string> WrapperTypes { get; init; } = Empty;

    /// <summary>Receivers that mean "this object": calls through them look in the enclosing class first.</summary>
    public FrozenSet<string> SelfNames { get; init; } = Empty;

    /// <summary>Unqualified calls inside a class may be calls of its own methods (Java, C#, C++, Ruby).</summary>
    public bool ImplicitThis { get; init; }

    /// <summary>Node types whose text before a call's name is its receiver or qualifier (<c>a.b</c> in <c>a.b.c()</c>).</summary>
    public FrozenSet<string> MemberAccessTypes { get; init; } = Empty;

    /// <summary>Node types of <c>@reference.class</c> captures that construct an object, recorded as calls.</summary>
    public FrozenSet<string> ConstructionTypes { get; init; } = Empty;

    /// <summary>Python: the first string statement of a body is its documentation.</summary>
    public bool Docstrings { get; init; }

    /// <summary>Node types whose kind is more specific than the tags capture says.</summary>
    public FrozenDictionary<string, SymbolKind> KindByNodeType { get; init; } = FrozenDictionary<string, SymbolKind>.Empty;

    /// <summary>Source file extensions tried when resolving a relative import (JavaScript and TypeScript).</summary>
    public IReadOnlyList<string> ImportExtensions { get; init; } = [];

    /// <summary>Matches the text before a definition's name (and <see cref="AttributeSiblingTypes"/> above it, and its
    /// documentation) when a test framework attribute marks it: <c>@Test</c>, <c>[Fact]</c>, <c>#[test]</c>.</summary>
    public Regex? TestAttributes { get; init; }

    /// <summary>Node types of attributes written as siblings before the definition (Rust's <c>#[test]</c>).</summary>
    public FrozenSet<string> AttributeSiblingTypes { get; init; } = Empty;

    /// <summary>Base type names (simple) that make a class a test class (<c>TestCase</c>).</summary>
    public Regex? TestBaseNames { get; init; }

    /// <summary>Type names of test classes (<c>TestParser</c> for pytest).</summary>
    public Regex? TestTypeNames { get; init; }

    /// <summary>Names of test functions and methods (<c>test_parse</c>, <c>TestParse</c>): tests at top level when
    /// <see cref="TopLevelTestFunctions"/>, and as members of a test type.</summary>
    public Regex? TestFunctionNames { get; init; }

    /// <summary>Functions named like tests are tests at top level too (pytest, Go), not only inside a test type.</summary>
    public bool TopLevelTestFunctions { get; init; }

    private static Regex Pattern(string pattern) => new(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    public static FrozenSet<string> Set(params string[] items) => items.ToFrozenSet(StringComparer.Ordinal);

    private static FrozenDictionary<string, SymbolKind> Kinds(params (string Type, SymbolKind Kind)[] items) =>
        items.ToFrozenDictionary(static i => i.Type, static i => i.Kind, StringComparer.Ordinal);

    private static readonly string[] ScriptExtensions = [".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx"];

    // C# attributes of xUnit, NUnit and MSTest, by their simple or qualified name, alone or in a list.
    private const string CSharpTestAttributes =
        @"[\[,]\s*(?:\w+\.)*(?:Test|Fact|Theory|TestMethod|DataTestMethod|TestCase|TestCaseSource|TestFixture|TestClass)(?:Attribute)?\s*[\](,]";

    private static LanguageSpec Script(string id, string symbol, params string[] queries) => new()
    {
        Id = id,
        Family = "javascript",
        ExportSymbol = symbol,
        QueryResources = queries,
        WrapperTypes = Set("export_statement"),
        SelfNames = Set("this"),
        MemberAccessTypes = Set("member_expression"),
        ConstructionTypes = Set("new_expression"),
        ImportExtensions = ScriptExtensions,
        KindByNodeType = Kinds(("interface_declaration", SymbolKind.Interface), ("enum_declaration", SymbolKind.Enum),
            ("type_alias_declaration", SymbolKind.Type), ("internal_module", SymbolKind.Namespace), ("module", SymbolKind.Namespace)),
    };

    /// <summary>Every language the package can parse, by id.</summary>
    public static FrozenDictionary<string, LanguageSpec> All { get; } = new LanguageSpec[]
    {
        new()
        {
            Id = LanguageIds.Python,
            Family = LanguageIds.Python,
            ExportSymbol = "tree_sitter_python",
            QueryResources = ["python.tags.scm", "python.scm"],
            ModuleNaming = ModuleNaming.Dotted,
            WrapperTypes = Set("decorated_definition"),
            SelfNames = Set("self", "cls"),
            MemberAccessTypes = Set("attribute"),
            Docstrings = true,
            TestBaseNames = Pattern("^(TestCase|IsolatedAsyncioTestCase|AsyncTestCase|TransactionTestCase|SimpleTestCase|LiveServerTestCase)$"),
            TestTypeNames = Pattern("^Test([A-Z_0-9]|$)"),
            TestFunctionNames = Pattern("^test($|[_A-Z0-9])"),
            TopLevelTestFunctions = true,
        },
        Script(LanguageIds.JavaScript, "tree_sitter_javascript", "javascript.tags.scm", "script-imports.scm", "script-values.scm", "javascript.scm"),
        Script(LanguageIds.TypeScript, "tree_sitter_typescript", "javascript.tags.scm", "typescript.tags.scm", "script-imports.scm", "script-values.scm", "typescript.scm"),
        Script(LanguageIds.Tsx, "tree_sitter_tsx", "javascript.tags.scm", "tsx.tags.scm", "script-imports.scm", "script-values.scm", "typescript.scm"),
        new()
        {
            Id = LanguageIds.Go,
            Family = LanguageIds.Go,
            ExportSymbol = "tree_sitter_go",
            QueryResources = ["go.tags.scm", "go.scm"],
            MemberAccessTypes = Set("selector_expression"),
            KindByNodeType = Kinds(("struct_type", SymbolKind.Struct), ("interface_type", SymbolKind.Interface)),
            TestFunctionNames = Pattern("^(Test|Benchmark|Example|Fuzz)($|[A-Z_0-9])"),
            TopLevelTestFunctions = true,
        },
        new()
        {
            Id = LanguageIds.Java,
            Family = LanguageIds.Java,
            ExportSymbol = "tree_sitter_java",
            QueryResources = ["java.tags.scm", "java.scm"],
            SelfNames = Set("this", "super"),
            ImplicitThis = true,
            CommentTypes = Set("line_comment", "block_comment"),
            MemberAccessTypes = Set("method_invocation", "field_access"),
            ConstructionTypes = Set("object_creation_expression"),
            KindByNodeType = Kinds(("constructor_declaration", SymbolKind.Constructor), ("enum_declaration", SymbolKind.Enum),
                ("record_declaration", SymbolKind.Record), ("interface_declaration", SymbolKind.Interface)),
            // JUnit 4/5 and TestNG.
            TestAttributes = Pattern(@"@(?:org\.junit\.(?:jupiter\.api\.)?)?(?:Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate)\b"),
        },
        new()
        {
            Id = LanguageIds.Rust,
            Family = LanguageIds.Rust,
            ExportSymbol = "tree_sitter_rust",
            QueryResources = ["rust.tags.scm", "rust.scm"],
            SelfNames = Set("self", "Self"),
            CommentTypes = Set("line_comment", "block_comment"),
            MemberAccessTypes = Set("field_expression", "scoped_identifier"),
            AttributeSiblingTypes = Set("attribute_item"),
            // #[test], #[tokio::test], #[rstest], and #[cfg(test)] on a module.
            TestAttributes = Pattern(@"#\[\s*(?:\w+::)*(?:test|rstest)\s*[\](]|#\[\s*cfg\(\s*test\s*\)"),
            KindByNodeType = Kinds(("struct_item", SymbolKind.Struct), ("enum_item", SymbolKind.Enum), ("union_item", SymbolKind.Struct),
                ("type_item", SymbolKind.Type), ("trait_item", SymbolKind.Interface), ("macro_definition", SymbolKind.Macro)),
        },
        new()
        {
            Id = LanguageIds.CSharp,
            Family = LanguageIds.CSharp,
            ExportSymbol = "tree_sitter_c_sharp",
            QueryResources = ["csharp.tags.scm", "csharp.scm"],
            SelfNames = Set("this", "base"),
            ImplicitThis = true,
            MemberAccessTypes = Set("member_access_expression"),
            ConstructionTypes = Set("object_creation_expression"),
            TestAttributes = Pattern(CSharpTestAttributes),
            KindByNodeType = Kinds(("namespace_declaration", SymbolKind.Namespace), ("file_scoped_namespace_declaration", SymbolKind.Namespace),
                ("struct_declaration", SymbolKind.Struct), ("record_declaration", SymbolKind.Record), ("enum_declaration", SymbolKind.Enum),
                ("constructor_declaration", SymbolKind.Constructor), ("interface_declaration", SymbolKind.Interface)),
        },
        new()
        {
            Id = LanguageIds.C,
            Family = LanguageIds.C,
            ExportSymbol = "tree_sitter_c",
            ModuleNaming = ModuleNaming.FilePath,
            QueryResources = ["c.tags.scm", "c.scm"],
            MemberAccessTypes = Set("field_expression"),
            KindByNodeType = Kinds(("struct_specifier", SymbolKind.Struct), ("union_specifier", SymbolKind.Struct),
                ("enum_specifier", SymbolKind.Enum), ("type_definition", SymbolKind.Type)),
        },
        new()
        {
            Id = LanguageIds.Cpp,
            Family = LanguageIds.C,
            ExportSymbol = "tree_sitter_cpp",
            ModuleNaming = ModuleNaming.FilePath,
            QueryResources = ["cpp.tags.scm", "cpp.scm"],
            SelfNames = Set("this"),
            ImplicitThis = true,
            MemberAccessTypes = Set("field_expression", "qualified_identifier"),
            ConstructionTypes = Set("new_expression"),
            KindByNodeType = Kinds(("struct_specifier", SymbolKind.Struct), ("union_specifier", SymbolKind.Struct),
                ("enum_specifier", SymbolKind.Enum), ("type_definition", SymbolKind.Type), ("namespace_definition", SymbolKind.Namespace)),
        },
        new()
        {
            Id = LanguageIds.Ruby,
            Family = LanguageIds.Ruby,
            ExportSymbol = "tree_sitter_ruby",
            QueryResources = ["ruby.tags.scm", "ruby.scm"],
            SelfNames = Set("self"),
            ImplicitThis = true,
            MemberAccessTypes = Set("call", "scope_resolution"),
            // Minitest and Test::Unit: test_* methods of a class deriving from Minitest::Test or a TestCase.
            TestBaseNames = Pattern("^(Test|TestCase|Spec)$"),
            TestFunctionNames = Pattern("^test_"),
        },
        new()
        {
            Id = LanguageIds.Php,
            Family = LanguageIds.Php,
            ExportSymbol = "tree_sitter_php",
            QueryResources = ["php.tags.scm", "php.scm"],
            SelfNames = Set("$this", "self", "static", "parent"),
            MemberAccessTypes = Set("member_call_expression", "scoped_call_expression"),
            ConstructionTypes = Set("object_creation_expression"),
            KindByNodeType = Kinds(("namespace_definition", SymbolKind.Namespace), ("trait_declaration", SymbolKind.Interface),
                ("method_declaration", SymbolKind.Method)),
            // PHPUnit: test* methods of a TestCase subclass, or methods marked #[Test] or @test.
            TestBaseNames = Pattern("^TestCase$"),
            TestFunctionNames = Pattern("^test($|[_A-Z0-9])"),
            TestAttributes = Pattern(@"#\[\s*(?:\\?PHPUnit\\Framework\\Attributes\\)?Test\b|@test\b"),
        },
    }.ToFrozenDictionary(static s => s.Id, StringComparer.Ordinal);
}
