using System.Runtime.InteropServices;

namespace StructuralChunking.TreeSitter.Native;

/// <summary>P/Invoke declarations over the tree-sitter 0.25 C API in <c>libstructchunk_treesitter.so</c>.</summary>
/// <remarks>
/// Source-generated (<see cref="LibraryImportAttribute"/>): every signature is blittable, so calls marshal nothing.
/// The static constructor installs <see cref="NativeLibraryResolver"/> before the first call.
/// </remarks>
internal static unsafe partial class TreeSitterNative
{
    /// <summary>The library name as given to the loader (<c>lib…so</c> is added by the runtime on Linux).</summary>
    public const string LibraryName = "structchunk_treesitter";

    static TreeSitterNative() => NativeLibraryResolver.EnsureRegistered();

    // ---- Language ------------------------------------------------------------------------------------------------

    [LibraryImport(LibraryName, EntryPoint = "ts_language_abi_version")]
    public static partial uint LanguageAbiVersion(nint language);

    [LibraryImport(LibraryName, EntryPoint = "ts_language_symbol_count")]
    public static partial uint LanguageSymbolCount(nint language);

    [LibraryImport(LibraryName, EntryPoint = "ts_language_symbol_name")]
    public static partial byte* LanguageSymbolName(nint language, ushort symbol);

    [LibraryImport(LibraryName, EntryPoint = "ts_language_field_id_for_name")]
    public static partial ushort LanguageFieldIdForName(nint language, byte* name, uint length);

    // ---- Parser --------------------------------------------------------------------------------------------------

    [LibraryImport(LibraryName, EntryPoint = "ts_parser_new")]
    public static partial nint ParserNew();

    [LibraryImport(LibraryName, EntryPoint = "ts_parser_delete")]
    public static partial void ParserDelete(nint parser);

    [LibraryImport(LibraryName, EntryPoint = "ts_parser_set_language")]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool ParserSetLanguage(nint parser, nint language);

    [LibraryImport(LibraryName, EntryPoint = "ts_parser_reset")]
    public static partial void ParserReset(nint parser);

    [LibraryImport(LibraryName, EntryPoint = "ts_parser_parse_string")]
    public static partial nint ParserParseString(nint parser, nint oldTree, byte* text, uint length);

    [LibraryImport(LibraryName, EntryPoint = "ts_parser_parse_with_options")]
    public static partial nint ParserParseWithOptions(nint parser, nint oldTree, TSInput input, TSParseOptions options);

    // ---- Tree ----------------------------------------------------------------------------------------------------

    [LibraryImport(LibraryName, EntryPoint = "ts_tree_delete")]
    public static partial void TreeDelete(nint tree);

    [LibraryImport(LibraryName, EntryPoint = "ts_tree_root_node")]
    public static partial TSNode TreeRootNode(nint tree);

    // ---- Node ----------------------------------------------------------------------------------------------------

    [LibraryImport(LibraryName, EntryPoint = "ts_node_type")]
    public static partial byte* NodeType(TSNode node);

    [LibraryImport(LibraryName, EntryPoint = "ts_node_symbol")]
    public static partial ushort NodeSymbol(TSNode node);

    [LibraryImport(LibraryName, EntryPoint = "ts_node_start_byte")]
    public static partial uint NodeStartByte(TSNode node);

    [LibraryImport(LibraryName, EntryPoint = "ts_node_end_byte")]
    public static partial uint NodeEndByte(TSNode node);

    [LibraryImport(LibraryName, EntryPoint = "ts_node_start_point")]
    public static partial TSPoint NodeStartPoint(TSNode node);

    [LibraryImport(LibraryName, EntryPoint = "ts_node_end_point")]
    public static partial TSPoint NodeEndPoint(TSNode node);

    [LibraryImport(LibraryName, EntryPoint = "ts_node_child_count")]
    public static partial uint NodeChildCount(TSNode node);

    [LibraryImport(LibraryName, EntryPoint = "ts_node_child")]
    public static partial TSNode NodeChild(TSNode node, uint index);

    [LibraryImport(LibraryName, EntryPoint = "ts_node_named_child_count")]
    public static partial uint NodeNamedChildCount(TSNode node);

    [LibraryImport(LibraryName, EntryPoint = "ts_node_named_child")]
    public static partial TSNode NodeNamedChild(TSNode node, uint index);

    [LibraryImport(LibraryName, EntryPoint = "ts_node_child_by_field_name")]
    public static partial TSNode NodeChildByFieldName(TSNode node, byte* name, uint length);

    [LibraryImport(LibraryName, EntryPoint = "ts_node_child_by_field_id")]
    public static partial TSNode NodeChildByFieldId(TSNode node, ushort fieldId);

    [LibraryImport(LibraryName, EntryPoint = "ts_node_parent")]
    public static partial TSNode NodeParent(TSNode node);

    [LibraryImport(LibraryName, EntryPoint = "ts_node_prev_named_sibling")]
    public static partial TSNode NodePrevNamedSibling(TSNode node);

    [LibraryImport(LibraryName, EntryPoint = "ts_node_is_named")]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool NodeIsNamed(TSNode node);

    [LibraryImport(LibraryName, EntryPoint = "ts_node_is_error")]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool NodeIsError(TSNode node);

    [LibraryImport(LibraryName, EntryPoint = "ts_node_has_error")]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool NodeHasError(TSNode node);

    // ---- Query ---------------------------------------------------------------------------------------------------

    [LibraryImport(LibraryName, EntryPoint = "ts_query_new")]
    public static partial nint QueryNew(nint language, byte* source, uint length, out uint errorOffset, out TSQueryError errorType);

    [LibraryImport(LibraryName, EntryPoint = "ts_query_delete")]
    public static partial void QueryDelete(nint query);

    [LibraryImport(LibraryName, EntryPoint = "ts_query_pattern_count")]
    public static partial uint QueryPatternCount(nint query);

    [LibraryImport(LibraryName, EntryPoint = "ts_query_capture_count")]
    public static partial uint QueryCaptureCount(nint query);

    [LibraryImport(LibraryName, EntryPoint = "ts_query_capture_name_for_id")]
    public static partial byte* QueryCaptureNameForId(nint query, uint index, out uint length);

    [LibraryImport(LibraryName, EntryPoint = "ts_query_string_value_for_id")]
    public static partial byte* QueryStringValueForId(nint query, uint index, out uint length);

    [LibraryImport(LibraryName, EntryPoint = "ts_query_predicates_for_pattern")]
    public static partial TSQueryPredicateStep* QueryPredicatesForPattern(nint query, uint patternIndex, out uint stepCount);

    [LibraryImport(LibraryName, EntryPoint = "ts_query_start_byte_for_pattern")]
    public static partial uint QueryStartByteForPattern(nint query, uint patternIndex);

    // ---- Query cursor --------------------------------------------------------------------------------------------

    [LibraryImport(LibraryName, EntryPoint = "ts_query_cursor_new")]
    public static partial nint QueryCursorNew();

    [LibraryImport(LibraryName, EntryPoint = "ts_query_cursor_delete")]
    public static partial void QueryCursorDelete(nint cursor);

    [LibraryImport(LibraryName, EntryPoint = "ts_query_cursor_exec")]
    public static partial void QueryCursorExec(nint cursor, nint query, TSNode node);

    [LibraryImport(LibraryName, EntryPoint = "ts_query_cursor_exec_with_options")]
    public static partial void QueryCursorExecWithOptions(nint cursor, nint query, TSNode node, TSQueryCursorOptions* options);

    [LibraryImport(LibraryName, EntryPoint = "ts_query_cursor_next_match")]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool QueryCursorNextMatch(nint cursor, out TSQueryMatch match);

    [LibraryImport(LibraryName, EntryPoint = "ts_query_cursor_next_capture")]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool QueryCursorNextCapture(nint cursor, out TSQueryMatch match, out uint captureIndex);

    [LibraryImport(LibraryName, EntryPoint = "ts_query_cursor_set_match_limit")]
    public static partial void QueryCursorSetMatchLimit(nint cursor, uint limit);

    [LibraryImport(LibraryName, EntryPoint = "ts_query_cursor_did_exceed_match_limit")]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool QueryCursorDidExceedMatchLimit(nint cursor);
}
