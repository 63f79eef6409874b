using System.Collections.Frozen;
using System.Runtime.InteropServices;
using System.Text;
using StructuralChunking.TreeSitter.Native;

namespace StructuralChunking.TreeSitter.Internal;

/// <summary>
/// One loaded grammar: its <c>TSLanguage*</c>, node type names and field ids looked up once, and its compiled tags
/// query. Immutable after construction and shared by every thread.
/// </summary>
internal sealed unsafe class Grammar : IDisposable
{
    private readonly string[] _symbolNames;
    private readonly Dictionary<string, ushort> _fieldIds = new(StringComparer.Ordinal);

    private Grammar(LanguageSpec spec, nint language, uint abiVersion)
    {
        Spec = spec;
        Language = language;
        AbiVersion = abiVersion;
        var count = TreeSitterNative.LanguageSymbolCount(language);
        _symbolNames = new string[count];
        for (var i = 0u; i < count; i++)
        {
            _symbolNames[i] = Utf8String(TreeSitterNative.LanguageSymbolName(language, (ushort)i)) ?? string.Empty;
        }

        foreach (var field in FieldNames)
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            fixed (byte* p = bytes)
            {
                _fieldIds[field] = TreeSitterNative.LanguageFieldIdForName(language, p, (uint)bytes.Length);
            }
        }
    }

    /// <summary>Every field name the extractor asks for; ids are looked up once per grammar (0 = not in this grammar).</summary>
    public static readonly FrozenSet<string> FieldNames = new[]
    {
        "body", "name", "value", "declarator", "definition", "object", "operand", "receiver", "type", "trait", "scope",
        "expression", "function", "superclasses", "argument", "path", "alias", "module_name", "parameters", "field",
        "property", "attribute",
    }.ToFrozenSet(StringComparer.Ordinal);

    public LanguageSpec Spec { get; }

    public nint Language { get; }

    public uint AbiVersion { get; }

    public TagsQuery? Query { get; private set; }

    /// <summary>The node type name of <paramref name="symbol"/>, without allocation.</summary>
    public string SymbolName(ushort symbol) => symbol < _symbolNames.Length ? _symbolNames[symbol] : string.Empty;

    /// <summary>The node's type, without allocation.</summary>
    public string TypeOf(TSNode node) => SymbolName(TreeSitterNative.NodeSymbol(node));

    /// <summary>The field id of <paramref name="field"/> (one of <see cref="FieldNames"/>), 0 when the grammar has none.</summary>
    public ushort FieldId(string field) => _fieldIds.GetValueOrDefault(field);

    /// <summary>The child in <paramref name="field"/>, or a null node.</summary>
    public TSNode Child(TSNode node, string field)
    {
        var id = FieldId(field);
        return id == 0 ? default : TreeSitterNative.NodeChildByFieldId(node, id);
    }

    /// <summary>Loads a grammar's language from the native library and compiles its query.</summary>
    /// <returns>The grammar, and the problem when it is unusable (then the grammar is null) or its query failed.</returns>
    public static (Grammar? Grammar, string? Error) Load(nint library, LanguageSpec spec)
    {
        if (!NativeLibrary.TryGetExport(library, spec.ExportSymbol, out var export))
        {
            return (null, $"the native library has no export '{spec.ExportSymbol}'");
        }

        var language = ((delegate* unmanaged<nint>)export)();
        if (language == 0)
        {
            return (null, $"'{spec.ExportSymbol}()' returned NULL");
        }

        var abi = TreeSitterNative.LanguageAbiVersion(language);
        if (abi is < TreeSitterLanguages.MinimumAbiVersion or > TreeSitterLanguages.MaximumAbiVersion)
        {
            return (null, $"ABI version {abi} is outside the runtime's supported range {TreeSitterLanguages.MinimumAbiVersion}-{TreeSitterLanguages.MaximumAbiVersion}");
        }

        var grammar = new Grammar(spec, language, abi);
        try
        {
            grammar.Query = TagsQuery.Compile(grammar, QuerySources.Load(spec));
            return (grammar, null);
        }
        catch (InvalidDataException ex)
        {
            return (grammar, ex.Message);
        }
    }

    public void Dispose() => Query?.Dispose();

    public static string? Utf8String(byte* text)
    {
        return text == null ? null : Marshal.PtrToStringUTF8((nint)text);
    }
}
