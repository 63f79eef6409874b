using System.Buffers;
using System.Text;
using StructuralChunking.Discovery;
using StructuralChunking.Graph;
using StructuralChunking.TreeSitter.Native;

namespace StructuralChunking.TreeSitter.Internal;

/// <summary>
/// Turns one parsed file into a <see cref="FileSyntax"/>: runs the grammar's tags query once over the tree and keeps
/// definitions, references, imports and base types, each located and named. Language knowledge comes from the query
/// captures and the few node types of <see cref="LanguageSpec"/>; nothing here knows a language by name.
/// </summary>
/// <remarks>One instance per worker thread: it reuses its buffers from file to file.</remarks>
internal sealed unsafe class FileExtractor
{
    private const int MaxSignatureChars = 400;
    private const int MaxQualifierChars = 120;
    private const int MaxDocumentationChars = 2000;

    private static readonly Dictionary<string, SymbolKind> KindByTag = new(StringComparer.Ordinal)
    {
        ["function"] = SymbolKind.Function,
        ["method"] = SymbolKind.Method,
        ["class"] = SymbolKind.Class,
        ["interface"] = SymbolKind.Interface,
        ["module"] = SymbolKind.Module,
        ["macro"] = SymbolKind.Macro,
        ["type"] = SymbolKind.Type,
        ["constructor"] = SymbolKind.Constructor,
        ["struct"] = SymbolKind.Struct,
        ["enum"] = SymbolKind.Enum,
        // Ours: a module-level name bound to a call, object or new expression; test groups and test cases.
        ["value"] = SymbolKind.Variable,
        ["testsuite"] = SymbolKind.Namespace,
        ["testcase"] = SymbolKind.Function,
    };

    private const int MaxTestNameChars = 120;
    private const int MaxAttributeChars = 2000;

    // Generators put their marker in the first comment lines; this many bytes hold them.
    private const int GeneratedHeaderBytes = 4096;

    // C and C++ tag the declarator; these are the declarators between it and the function definition.
    private static readonly HashSet<string> DeclaratorTypes = new(StringComparer.Ordinal)
    {
        "function_declarator", "pointer_declarator", "reference_declarator", "parenthesized_declarator", "attributed_declarator",
    };

    // C# XML documentation: the structure tags are noise in plain text.
    private static readonly string[] XmlDocTags = ["<summary>", "</summary>", "<remarks>", "</remarks>", "<para>", "</para>", "<returns>", "</returns>"];

    private readonly List<TSNode> _docNodes = [];
    private readonly Dictionary<(int, int), int> _byCore = [];
    private readonly Dictionary<nint, HashSet<string>> _rubyLocals = [];

    private Grammar _grammar = null!;
    private LanguageSpec _spec = null!;
    private byte[] _text = [];
    private FileSyntax _file = null!;
    private int[] _lineStarts = [];

    /// <summary>Extracts <paramref name="tree"/> of <paramref name="text"/>.</summary>
    public FileSyntax Extract(SyntaxWorker worker, Grammar grammar, SourceFile source, byte[] text, TreeHandle tree)
    {
        _grammar = grammar;
        _spec = grammar.Spec;
        _text = text;
        _lineStarts = LineStarts(text);
        _byCore.Clear();
        _rubyLocals.Clear();
        _file = new FileSyntax
        {
            File = source,
            Spec = _spec,
            ModuleName = ModuleNames.Of(source.RelativePath, _spec.ModuleNaming),
            ByteLength = text.Length,
            LineCount = _lineStarts.Length,
            IsGenerated = GeneratedCode.IsGenerated(source.RelativePath, Encoding.UTF8.GetString(text, 0, Math.Min(text.Length, GeneratedHeaderBytes))),
        };

        var root = TreeSitterNative.TreeRootNode(tree.DangerousGetHandle());
        _file.HasErrors = TreeSitterNative.NodeHasError(root);
        if (_spec.Docstrings)
        {
            _file.ModuleDocumentation = Docstring(root);
        }

        if (grammar.Query is { } query)
        {
            RunQuery(worker, query, root);
        }

        Finish();
        var result = _file;
        _file = null!;
        _text = [];
        _rubyLocals.Clear();
        return result;
    }

    // ---- Query ---------------------------------------------------------------------------------------------------

    private void RunQuery(SyntaxWorker worker, TagsQuery query, TSNode root)
    {
        worker.Exec(query, root);
        var cursor = worker.Cursor;
        var roles = query.Roles;
        while (TreeSitterNative.QueryCursorNextMatch(cursor, out var match))
        {
            var pattern = query.Patterns[match.PatternIndex];
            if (pattern.Predicates.Length > 0 && !Passes(pattern, match))
            {
                continue;
            }

            TSNode definition = default, reference = default, name = default, import = default, relation = default;
            TSNode importModule = default, importName = default, importAlias = default, package = default;
            string? tag = null;
            _docNodes.Clear();
            for (var i = 0; i < match.CaptureCount; i++)
            {
                var capture = match.Captures[i];
                switch (roles[capture.Index])
                {
                    case CaptureRole.Definition: definition = capture.Node; tag = query.Tags[capture.Index]; break;
                    case CaptureRole.Reference: reference = capture.Node; tag = query.Tags[capture.Index]; break;
                    case CaptureRole.Name: name = capture.Node; break;
                    case CaptureRole.Doc: _docNodes.Add(capture.Node); break;
                    case CaptureRole.Import: import = capture.Node; break;
                    case CaptureRole.ImportModule: importModule = capture.Node; break;
                    case CaptureRole.ImportName: importName = capture.Node; break;
                    case CaptureRole.ImportAlias: importAlias = capture.Node; break;
                    case CaptureRole.RelationBase: relation = capture.Node; break;
                    case CaptureRole.Package: package = capture.Node; break;
                }
            }

            if (!definition.IsNull && !name.IsNull)
            {
                AddDefinition(tag!, definition, name, pattern);
            }
            else if (!reference.IsNull)
            {
                AddReference(tag!, reference, name.IsNull ? reference : name);
            }
            else if (!relation.IsNull && !name.IsNull)
            {
                AddRelation(relation, name);
            }
            else if (!import.IsNull && !importModule.IsNull)
            {
                _file.Imports.Add(new ImportInfo(
                    Unquote(Text(importModule)),
                    importName.IsNull ? null : Text(importName),
                    importAlias.IsNull ? null : Text(importAlias)));
            }
            else if (!package.IsNull)
            {
                _file.Package ??= Text(package);
            }
        }

        if (worker.Stopped != StopReason.None || TreeSitterNative.QueryCursorDidExceedMatchLimit(cursor))
        {
            _file.QueryIncomplete = true;
        }
    }

    private bool Passes(PatternInfo pattern, TSQueryMatch match)
    {
        foreach (var predicate in pattern.Predicates)
        {
            bool? any = null;
            var all = true;
            for (var i = 0; i < match.CaptureCount; i++)
            {
                var capture = match.Captures[i];
                if (capture.Index != predicate.Capture)
                {
                    continue;
                }

                var result = Evaluate(predicate, capture.Node, match) != predicate.Negated;
                any = (any ?? false) || result;
                all &= result;
            }

            if (any is null)
            {
                continue;
            }

            if (predicate.AnyNode ? !any.Value : !all)
            {
                return false;
            }
        }

        return true;
    }

    private bool Evaluate(TextPredicate predicate, TSNode node, TSQueryMatch match)
    {
        var text = Span(node);
        switch (predicate.Op)
        {
            case PredicateOp.Eq when predicate.Literal is { } literal:
                return text.SequenceEqual(literal);
            case PredicateOp.Eq:
                for (var i = 0; i < match.CaptureCount; i++)
                {
                    if (match.Captures[i].Index == predicate.OtherCapture)
                    {
                        return text.SequenceEqual(Span(match.Captures[i].Node));
                    }
                }

                return false;
            case PredicateOp.Match:
                return WithChars(text, predicate, static (chars, p) => p.Regex!.IsMatch(chars));
            case PredicateOp.AnyOf:
#if NET9_0_OR_GREATER
                return WithChars(text, predicate, static (chars, p) => p.Values!.GetAlternateLookup<ReadOnlySpan<char>>().Contains(chars));
#else
                return WithChars(text, predicate, static (chars, p) => p.Values!.Contains(chars.ToString()));
#endif
            case PredicateOp.IsNotLocal:
                return !IsRubyLocal(node);
            default:
                return true;
        }
    }

    // A delegate type rather than Func<>: net8.0 cannot use a span as a generic type argument.
    private delegate bool CharsTest(ReadOnlySpan<char> chars, TextPredicate predicate);

    private static bool WithChars(ReadOnlySpan<byte> utf8, TextPredicate predicate, CharsTest test)
    {
        if (utf8.Length <= 256)
        {
            Span<char> buffer = stackalloc char[256];
            var count = Encoding.UTF8.GetChars(utf8, buffer);
            return test(buffer[..count], predicate);
        }

        var rented = ArrayPool<char>.Shared.Rent(utf8.Length);
        try
        {
            var count = Encoding.UTF8.GetChars(utf8, rented);
            return test(rented.AsSpan(0, count), predicate);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    // ---- Definitions ---------------------------------------------------------------------------------------------

    private void AddDefinition(string tag, TSNode captured, TSNode nameNode, PatternInfo pattern)
    {
        if (!KindByTag.TryGetValue(tag, out var kind))
        {
            return; // constants and fields: too fine-grained for retrieval chunks
        }

        var core = CoreNode(captured);
        if (core.IsNull)
        {
            return; // a prototype or a declaration without a body
        }

        var coreType = _grammar.TypeOf(core);
        if (_spec.KindByNodeType.TryGetValue(coreType, out var specific))
        {
            kind = specific;
        }
        else if (coreType == "type_declaration" || coreType == "type_spec")
        {
            var spec = coreType == "type_spec" ? core : TreeSitterNative.NodeNamedChild(core, 0);
            var type = _grammar.Child(spec, "type");
            if (!type.IsNull && _spec.KindByNodeType.TryGetValue(_grammar.TypeOf(type), out var byType))
            {
                kind = byType;
            }
        }

        var coreStart = (int)TreeSitterNative.NodeStartByte(core);
        var coreEnd = (int)TreeSitterNative.NodeEndByte(core);
        if (_byCore.TryGetValue((coreStart, coreEnd), out var existingIndex))
        {
            // The same node tagged by two patterns (Rust methods are both functions and methods): keep the specific one.
            var existing = _file.Definitions[existingIndex];
            if (existing.Kind == SymbolKind.Function && kind == SymbolKind.Method)
            {
                existing.Kind = kind;
            }

            if (existing.Documentation is null && _docNodes.Count > 0)
            {
                existing.Documentation = DocFromCaptures(core, pattern);
            }

            return;
        }

        var outer = core;
        for (var parent = TreeSitterNative.NodeParent(outer); !parent.IsNull && _spec.WrapperTypes.Contains(_grammar.TypeOf(parent)); parent = TreeSitterNative.NodeParent(parent))
        {
            outer = parent;
        }

        var testBlock = tag is "testsuite" or "testcase";
        var name = testBlock ? TestBlockName(nameNode) : Text(nameNode);
        if (name.Length == 0)
        {
            return;
        }

        var (ownerType, receiver) = Owner(core, nameNode);
        var documentation = _docNodes.Count > 0 ? DocFromCaptures(core, pattern) : null;
        documentation ??= (_spec.Docstrings ? Docstring(core) : null) ?? CommentsAbove(outer);
        var testMarked = testBlock || (_spec.TestAttributes is { } attributes && attributes.IsMatch(AttributeText(outer, nameNode, documentation)));
        _byCore.Add((coreStart, coreEnd), _file.Definitions.Count);
        _file.Definitions.Add(new DefinitionInfo
        {
            Name = name,
            Kind = kind,
            CoreStart = coreStart,
            CoreEnd = coreEnd,
            NameStart = (int)nameNode.StartByte,
            Location = Locate(outer),
            Signature = Signature(core),
            Documentation = documentation,
            OwnerType = ownerType,
            ReceiverName = receiver,
            IsValue = tag == "value",
            IsTestBlock = testBlock,
            IsTest = testMarked,
        });
    }

    /// <summary>A test block's description as its name: quotes gone, whitespace collapsed, capped.</summary>
    private string TestBlockName(TSNode nameNode)
    {
        var text = Collapse(Span(nameNode), MaxTestNameChars);
        return Unquote(text).Trim();
    }

    /// <summary>
    /// What a test attribute would be written in: the definition's text before its name (Java annotations, C# and
    /// PHP attributes, Python decorators), the attributes just above it (Rust), and its documentation (PHPUnit's
    /// <c>@test</c>).
    /// </summary>
    private string AttributeText(TSNode outer, TSNode nameNode, string? documentation)
    {
        var text = new StringBuilder();
        if (_spec.AttributeSiblingTypes.Count > 0)
        {
            for (var previous = TreeSitterNative.NodePrevNamedSibling(outer); !previous.IsNull && text.Length < MaxAttributeChars;
                previous = TreeSitterNative.NodePrevNamedSibling(previous))
            {
                var type = _grammar.TypeOf(previous);
                if (_spec.AttributeSiblingTypes.Contains(type))
                {
                    text.Append(Text(previous)).Append('\n');
                }
                else if (!_spec.CommentTypes.Contains(type))
                {
                    break;
                }
            }
        }

        var start = (int)outer.StartByte;
        var end = (int)nameNode.StartByte;
        if (end > start)
        {
            text.Append(Encoding.UTF8.GetString(_text, start, Math.Min(end - start, MaxAttributeChars))).Append('\n');
        }

        return text.Append(documentation).ToString();
    }

    /// <summary>The node a definition capture stands for: the function definition around a C declarator, the
    /// <c>const</c> statement around a single JavaScript declarator, the statement around an assignment.</summary>
    private TSNode CoreNode(TSNode node)
    {
        var type = _grammar.TypeOf(node);
        if (type == "function_declarator")
        {
            var current = node;
            while (true)
            {
                var parent = TreeSitterNative.NodeParent(current);
                if (parent.IsNull)
                {
                    return default;
                }

                var parentType = _grammar.TypeOf(parent);
                if (parentType == "function_definition")
                {
                    return parent;
                }

                if (!DeclaratorTypes.Contains(parentType))
                {
                    return default;
                }

                current = parent;
            }
        }

        if (type is "variable_declarator" or "assignment_expression" or "type_spec" or "var_spec")
        {
            var parent = TreeSitterNative.NodeParent(node);
            if (!parent.IsNull && _grammar.TypeOf(parent) is "lexical_declaration" or "variable_declaration" or "expression_statement" or "type_declaration" or "var_declaration"
                && TreeSitterNative.NodeNamedChildCount(parent) == 1)
            {
                return parent;
            }
        }

        return node;
    }

    /// <summary>The type a method is declared for outside its body: Go receiver, Rust <c>impl</c>, C++ <c>A::f</c>.</summary>
    private (string? OwnerType, string? Receiver) Owner(TSNode core, TSNode nameNode)
    {
        var receiver = _grammar.Child(core, "receiver");
        if (!receiver.IsNull && TreeSitterNative.NodeNamedChildCount(receiver) > 0)
        {
            // Go: (parameter_list (parameter_declaration name: (identifier) type: (pointer_type (type_identifier))))
            var parameter = TreeSitterNative.NodeNamedChild(receiver, 0);
            var receiverName = _grammar.Child(parameter, "name");
            var receiverType = _grammar.Child(parameter, "type");
            return (receiverType.IsNull ? null : TypeName(Text(receiverType)), receiverName.IsNull ? null : Text(receiverName));
        }

        var parent = TreeSitterNative.NodeParent(core);
        if (!parent.IsNull && _grammar.TypeOf(parent) == "declaration_list")
        {
            var impl = TreeSitterNative.NodeParent(parent);
            if (!impl.IsNull && _grammar.TypeOf(impl) == "impl_item")
            {
                var type = _grammar.Child(impl, "type");
                return (type.IsNull ? null : TypeName(Text(type)), null);
            }
        }

        var nameParent = TreeSitterNative.NodeParent(nameNode);
        if (!nameParent.IsNull && _grammar.TypeOf(nameParent) == "qualified_identifier")
        {
            var scope = _grammar.Child(nameParent, "scope");
            return (scope.IsNull ? null : TypeName(Text(scope)), null);
        }

        return (null, null);
    }

    /// <summary><c>*Server</c>, <c>Stack&lt;T&gt;</c>, <c>a::B</c> → <c>Server</c>, <c>Stack</c>, <c>B</c>.</summary>
    internal static string TypeName(string text)
    {
        var span = text.AsSpan().Trim();
        var generic = span.IndexOfAny('<', '[', '(');
        if (generic > 0)
        {
            span = span[..generic];
        }

        span = span.TrimStart("*&").Trim();
        var separator = Math.Max(span.LastIndexOf("::", StringComparison.Ordinal) + 1, span.LastIndexOf('.'));
        if (separator > 0)
        {
            span = span[(separator + 1)..];
        }

        return span.ToString();
    }

    private string? Signature(TSNode core)
    {
        var body = BodyOf(core);
        var start = (int)TreeSitterNative.NodeStartByte(core);
        int end;
        if (!body.IsNull)
        {
            end = (int)TreeSitterNative.NodeStartByte(body);
        }
        else
        {
            end = (int)TreeSitterNative.NodeEndByte(core);
            var brace = _text.AsSpan(start, end - start).IndexOf((byte)'{');
            if (brace >= 0 && !_spec.Docstrings)
            {
                end = start + brace;
            }
        }

        var signature = Collapse(_text.AsSpan(start, Math.Max(0, end - start)), MaxSignatureChars).TrimEnd(';', ' ');
        return signature.Length == 0 ? null : signature;
    }

    private TSNode BodyOf(TSNode core)
    {
        var body = _grammar.Child(core, "body");
        if (!body.IsNull)
        {
            return body;
        }

        // const f = () => {…}; exports.f = function () {…}; { f: () => … }
        var inner = core;
        for (var depth = 0; depth < 3 && !inner.IsNull; depth++)
        {
            var type = _grammar.TypeOf(inner);
            inner = type switch
            {
                "lexical_declaration" or "variable_declaration" or "expression_statement" => TreeSitterNative.NodeNamedChild(inner, 0),
                "variable_declarator" or "pair" => _grammar.Child(inner, "value"),
                "assignment_expression" => TreeSitterNative.NodeNamedChild(inner, TreeSitterNative.NodeNamedChildCount(inner) - 1),
                _ => default,
            };
            if (!inner.IsNull)
            {
                body = _grammar.Child(inner, "body");
                if (!body.IsNull)
                {
                    return body;
                }
            }
        }

        return default;
    }

    // ---- Documentation -------------------------------------------------------------------------------------------

    private string? DocFromCaptures(TSNode core, PatternInfo pattern)
    {
        var first = 0;
        if (pattern.DocAdjacent)
        {
            // Keep the run of comments that ends on the line above the definition, as tree-sitter-tags does.
            var row = TreeSitterNative.NodeStartPoint(core).Row;
            first = _docNodes.Count;
            for (var i = _docNodes.Count - 1; i >= 0; i--)
            {
                if (TreeSitterNative.NodeEndPoint(_docNodes[i]).Row + 1 < row)
                {
                    break;
                }

                row = TreeSitterNative.NodeStartPoint(_docNodes[i]).Row;
                first = i;
            }
        }

        var text = new StringBuilder();
        for (var i = first; i < _docNodes.Count; i++)
        {
            var comment = Text(_docNodes[i]);
            text.Append(pattern.DocStrip is { } strip ? strip.Replace(comment, string.Empty) : comment).Append('\n');
        }

        return CleanComment(text.ToString());
    }

    /// <summary>The comments directly above <paramref name="node"/> (no blank line between), markers removed.</summary>
    private string? CommentsAbove(TSNode node)
    {
        var row = TreeSitterNative.NodeStartPoint(node).Row;
        var comments = new List<TSNode>(2);
        for (var previous = TreeSitterNative.NodePrevNamedSibling(node); !previous.IsNull; previous = TreeSitterNative.NodePrevNamedSibling(previous))
        {
            if (!_spec.CommentTypes.Contains(_grammar.TypeOf(previous)) || TreeSitterNative.NodeEndPoint(previous).Row + 1 < row)
            {
                break;
            }

            comments.Add(previous);
            row = TreeSitterNative.NodeStartPoint(previous).Row;
            if (comments.Count >= 64)
            {
                break;
            }
        }

        if (comments.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder();
        for (var i = comments.Count - 1; i >= 0; i--)
        {
            text.Append(Text(comments[i])).Append('\n');
        }

        return CleanComment(text.ToString());
    }

    /// <summary>Python: the first statement of the body (or module) when it is a string.</summary>
    private string? Docstring(TSNode node)
    {
        var body = _grammar.TypeOf(node) == "module" ? node : _grammar.Child(node, "body");
        if (body.IsNull || TreeSitterNative.NodeNamedChildCount(body) == 0)
        {
            return null;
        }

        var first = TreeSitterNative.NodeNamedChild(body, 0);
        if (_grammar.TypeOf(first) != "expression_statement" || TreeSitterNative.NodeNamedChildCount(first) != 1)
        {
            return null;
        }

        var value = TreeSitterNative.NodeNamedChild(first, 0);
        if (_grammar.TypeOf(value) != "string")
        {
            return null;
        }

        var text = Text(value).AsSpan();
        var prefix = text.IndexOfAny('"', '\'');
        if (prefix < 0)
        {
            return null;
        }

        text = text[prefix..];
        var quote = text.StartsWith("\"\"\"", StringComparison.Ordinal) || text.StartsWith("'''", StringComparison.Ordinal) ? 3 : 1;
        if (text.Length < 2 * quote)
        {
            return null;
        }

        return CleanDocstring(text[quote..^quote]);
    }

    private static string? CleanDocstring(ReadOnlySpan<char> text)
    {
        var lines = text.ToString().Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var indent = int.MaxValue;
        for (var i = 1; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            if (trimmed.Length > 0)
            {
                indent = Math.Min(indent, lines[i].Length - trimmed.Length);
            }
        }

        var result = new StringBuilder(lines[0].Trim());
        for (var i = 1; i < lines.Length; i++)
        {
            result.Append('\n').Append(indent == int.MaxValue || lines[i].Length < indent ? lines[i].Trim() : lines[i][indent..].TrimEnd());
        }

        var doc = result.ToString().Trim();
        return doc.Length == 0 ? null : Cap(doc, MaxDocumentationChars);
    }

    /// <summary>Removes comment markers (<c>//</c>, <c>///</c>, <c>#</c>, <c>/** … */</c>, leading <c>*</c>) line by line.</summary>
    internal static string? CleanComment(string text)
    {
        var result = new StringBuilder();
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.AsSpan().Trim();
            if (line.StartsWith("/*", StringComparison.Ordinal))
            {
                line = line.TrimStart('/').TrimStart('*').TrimStart('!');
            }

            if (line.EndsWith("*/", StringComparison.Ordinal))
            {
                line = line[..^2].TrimEnd('*');
            }

            if (line.StartsWith("//", StringComparison.Ordinal))
            {
                line = line.TrimStart('/').TrimStart('!');
            }
            else if (line is ['#', ..] && !line.StartsWith("#[", StringComparison.Ordinal))
            {
                line = line.TrimStart('#');
            }
            else if (line is ['*', ..])
            {
                line = line.TrimStart('*');
            }

            var cleaned = line.Trim().ToString();
            foreach (var tag in XmlDocTags)
            {
                cleaned = cleaned.Replace(tag, string.Empty, StringComparison.Ordinal);
            }

            cleaned = cleaned.Trim();
            if (cleaned.Length > 0 || result.Length > 0)
            {
                result.Append(cleaned).Append('\n');
            }
        }

        var doc = result.ToString().Trim();
        return doc.Length == 0 ? null : Cap(doc, MaxDocumentationChars);
    }

    // ---- References ----------------------------------------------------------------------------------------------

    private void AddReference(string tag, TSNode reference, TSNode anchor)
    {
        if (tag is not ("call" or "send"))
        {
            if (tag != "class" || !_spec.ConstructionTypes.Contains(_grammar.TypeOf(reference)))
            {
                return; // type mentions, base lists (ours cover those): not calls
            }
        }

        var (qualifier, name) = QualifiedReference(anchor);
        if (name.Length == 0)
        {
            return;
        }

        _file.References.Add(new ReferenceInfo(ReferenceKind.Call, name, qualifier, (int)anchor.StartByte, -1));
    }

    private void AddRelation(TSNode relation, TSNode nameNode)
    {
        var (qualifier, name) = Split(Text(nameNode));
        if (name.Length == 0)
        {
            return;
        }

        string? sourceType = null;
        if (_grammar.TypeOf(relation) == "impl_item")
        {
            var type = _grammar.Child(relation, "type");
            if (type.IsNull)
            {
                return;
            }

            sourceType = TypeName(Text(type));
        }

        _file.References.Add(new ReferenceInfo(ReferenceKind.Base, TypeName(name), qualifier, (int)nameNode.StartByte, -1, sourceType));
    }

    /// <summary>The name of a reference and what stands before it (<c>self.reader</c> for <c>self.reader.read()</c>).</summary>
    private (string? Qualifier, string Name) QualifiedReference(TSNode anchor)
    {
        var text = Text(anchor);
        if (IsSimpleName(text))
        {
            var parent = TreeSitterNative.NodeParent(anchor);
            if (!parent.IsNull && _spec.MemberAccessTypes.Contains(_grammar.TypeOf(parent)))
            {
                var start = (int)TreeSitterNative.NodeStartByte(parent);
                var end = (int)anchor.StartByte;
                if (end > start && end - start <= MaxQualifierChars)
                {
                    var qualifier = TrimSeparators(Encoding.UTF8.GetString(_text, start, end - start));
                    return (qualifier.Length == 0 ? null : qualifier, text);
                }
            }

            return (null, text);
        }

        return Split(text);
    }

    private static bool IsSimpleName(string text)
    {
        foreach (var c in text)
        {
            if (!(char.IsLetterOrDigit(c) || c is '_' or '$' or '!' or '?'))
            {
                return false;
            }
        }

        return text.Length > 0;
    }

    /// <summary><c>a.b.C</c>, <c>a::b::C</c>, <c>a-&gt;C</c> → (<c>a.b</c>, <c>C</c>).</summary>
    internal static (string? Qualifier, string Name) Split(string text)
    {
        var trimmed = text.Trim();
        var cut = -1;
        var width = 0;
        foreach (var separator in (ReadOnlySpan<string>)[".", "::", "->", "\\"])
        {
            var index = trimmed.LastIndexOf(separator, StringComparison.Ordinal);
            if (index > cut)
            {
                cut = index;
                width = separator.Length;
            }
        }

        if (cut < 0)
        {
            return (null, TypeName(trimmed));
        }

        var qualifier = TrimSeparators(trimmed[..cut]);
        return (qualifier.Length is 0 or > MaxQualifierChars ? null : qualifier, TypeName(trimmed[(cut + width)..]));
    }

    private static string TrimSeparators(string qualifier) =>
        qualifier.Trim().TrimEnd('.', ':', '-', '>', '?', '&', '\\').Trim();

    private bool IsRubyLocal(TSNode node)
    {
        // A bare identifier is a local variable when its method or block binds it (parameter or assignment).
        var name = Text(node);
        for (var scope = TreeSitterNative.NodeParent(node); !scope.IsNull; scope = TreeSitterNative.NodeParent(scope))
        {
            var type = _grammar.TypeOf(scope);
            if (type is "method" or "singleton_method" or "block" or "do_block" or "lambda" or "program")
            {
                if (!_rubyLocals.TryGetValue(scope.Id, out var locals))
                {
                    locals = new HashSet<string>(StringComparer.Ordinal);
                    CollectRubyLocals(scope, locals, 0);
                    _rubyLocals.Add(scope.Id, locals);
                }

                if (locals.Contains(name))
                {
                    return true;
                }

                if (type is "method" or "singleton_method" or "program")
                {
                    return false;
                }
            }
        }

        return false;
    }

    private void CollectRubyLocals(TSNode node, HashSet<string> locals, int depth)
    {
        if (depth > 200)
        {
            return;
        }

        var count = TreeSitterNative.NodeNamedChildCount(node);
        for (var i = 0u; i < count; i++)
        {
            var child = TreeSitterNative.NodeNamedChild(node, i);
            var type = _grammar.TypeOf(child);
            if (type is "method" or "singleton_method" or "class" or "module")
            {
                continue;
            }

            if (type == "identifier")
            {
                var parentType = _grammar.TypeOf(node);
                if (parentType.EndsWith("parameters", StringComparison.Ordinal) || parentType.EndsWith("_parameter", StringComparison.Ordinal)
                    || (parentType is "assignment" or "operator_assignment" && i == 0) || parentType is "left_assignment_list" or "exception_variable")
                {
                    locals.Add(Text(child));
                }

                continue;
            }

            CollectRubyLocals(child, locals, depth + 1);
        }
    }

    // ---- Naming and nesting --------------------------------------------------------------------------------------

    private void Finish()
    {
        var definitions = _file.Definitions;
        definitions.Sort(static (a, b) => a.CoreStart != b.CoreStart ? a.CoreStart.CompareTo(b.CoreStart) : b.CoreEnd.CompareTo(a.CoreEnd));

        // Nesting by containment of the core ranges.
        var stack = new Stack<int>();
        for (var i = 0; i < definitions.Count; i++)
        {
            var definition = definitions[i];
            while (stack.Count > 0 && definitions[stack.Peek()].CoreEnd < definition.CoreEnd)
            {
                stack.Pop();
            }

            definition.Parent = stack.Count > 0 ? stack.Peek() : -1;
            stack.Push(i);
            AdjustKind(definition, definition.Parent >= 0 ? definitions[definition.Parent] : null);
        }

        var taken = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            var prefix = definition.Parent >= 0
                ? definitions[definition.Parent].QualifiedName
                : definition.OwnerType is { Length: > 0 } owner ? _file.ModuleName + "." + owner : _file.ModuleName;
            var qualified = prefix + "." + definition.Name;
            var count = taken.GetValueOrDefault(qualified) + 1;
            taken[qualified] = count;
            definition.QualifiedName = count == 1 ? qualified : qualified + "~" + count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            definition.Id = SymbolId.Create(_spec.Id, definition.QualifiedName, definition.Signature ?? string.Empty);
        }

        _file.ModuleId = SymbolId.Create(_spec.Id, _file.ModuleName, string.Empty);

        // Queries that tag every identifier (Ruby's) also tag definition names and base types: those are no calls.
        var references = _file.References;
        var notCalls = new HashSet<int>(definitions.Select(static d => d.NameStart));
        foreach (var reference in references)
        {
            if (reference.Kind == ReferenceKind.Base)
            {
                notCalls.Add(reference.Position);
            }
        }

        references.RemoveAll(r => r.Kind == ReferenceKind.Call && notCalls.Contains(r.Position));

        // The innermost definition around each reference.
        references.Sort(static (a, b) => a.Position.CompareTo(b.Position));
        stack.Clear();
        var next = 0;
        for (var r = 0; r < references.Count; r++)
        {
            var position = references[r].Position;
            while (next < definitions.Count && definitions[next].CoreStart <= position)
            {
                while (stack.Count > 0 && definitions[stack.Peek()].CoreEnd <= definitions[next].CoreStart)
                {
                    stack.Pop();
                }

                stack.Push(next++);
            }

            while (stack.Count > 0 && definitions[stack.Peek()].CoreEnd <= position)
            {
                stack.Pop();
            }

            references[r] = references[r] with { Enclosing = stack.Count > 0 ? stack.Peek() : -1 };
        }

        MarkTests(definitions, references);
    }

    /// <summary>
    /// Test code by what it is rather than where it lives: test blocks and test attributes (marked while extracting),
    /// types named or derived like test classes, test functions by name (top level, or in a test type), types that
    /// hold a test, and everything inside test code.
    /// </summary>
    private void MarkTests(List<DefinitionInfo> definitions, List<ReferenceInfo> references)
    {
        if (_spec.TestBaseNames is { } bases)
        {
            foreach (var reference in references)
            {
                if (reference.Kind == ReferenceKind.Base && reference.Enclosing >= 0 && definitions[reference.Enclosing].Kind.IsType()
                    && bases.IsMatch(reference.Name))
                {
                    definitions[reference.Enclosing].IsTest = true;
                }
            }
        }

        // Definitions are sorted by position: a parent comes before its children.
        foreach (var definition in definitions)
        {
            var parent = definition.Parent >= 0 ? definitions[definition.Parent] : null;
            if (parent is { IsTest: true })
            {
                definition.IsTest = true;
            }
            else if (definition.Kind.IsType() && _spec.TestTypeNames is { } typeNames && typeNames.IsMatch(definition.Name))
            {
                definition.IsTest = true;
            }
            else if (definition.Kind.IsCallable() && _spec.TestFunctionNames is { } functionNames && functionNames.IsMatch(definition.Name)
                && (parent is null ? _spec.TopLevelTestFunctions : parent.Kind.IsType() && parent.IsTest))
            {
                definition.IsTest = true;
            }
        }

        // A type that holds a test (an annotated method) is a test class, and so are its other members.
        for (var i = definitions.Count - 1; i >= 0; i--)
        {
            var definition = definitions[i];
            if (definition.IsTest && definition.Parent >= 0 && definitions[definition.Parent].Kind.IsType())
            {
                definitions[definition.Parent].IsTest = true;
            }
        }

        foreach (var definition in definitions)
        {
            if (definition.Parent >= 0 && definitions[definition.Parent].IsTest)
            {
                definition.IsTest = true;
            }
        }
    }

    private static void AdjustKind(DefinitionInfo definition, DefinitionInfo? parent)
    {
        if (parent is null)
        {
            if (definition.Kind == SymbolKind.Function && definition.OwnerType is not null)
            {
                definition.Kind = SymbolKind.Method;
            }

            return;
        }

        if (definition.Kind is SymbolKind.Function or SymbolKind.Method && !definition.IsTestBlock)
        {
            if (parent.Kind.IsCallable())
            {
                definition.Kind = SymbolKind.LocalFunction;
            }
            else if (parent.Kind.IsType() && definition.Kind == SymbolKind.Function)
            {
                definition.Kind = SymbolKind.Method;
            }
        }
    }

    // ---- Text ----------------------------------------------------------------------------------------------------

    private ReadOnlySpan<byte> Span(TSNode node)
    {
        var start = (int)node.StartByte;
        var end = (int)TreeSitterNative.NodeEndByte(node);
        return end > start && end <= _text.Length ? _text.AsSpan(start, end - start) : [];
    }

    private string Text(TSNode node) => Encoding.UTF8.GetString(Span(node));

    private SourceLocation Locate(TSNode node)
    {
        var start = (int)node.StartByte;
        var end = Math.Max(start, (int)TreeSitterNative.NodeEndByte(node));
        var startLine = LineOf(start);
        // A node ending with its line break ends on the line before.
        var endLine = Math.Max(startLine, end > start && _text[end - 1] == (byte)'\n' ? LineOf(end - 1) : LineOf(end));
        return new SourceLocation(_file.Path, startLine, endLine, start, end);
    }

    private int LineOf(int offset)
    {
        var index = Array.BinarySearch(_lineStarts, offset);
        return (index < 0 ? ~index - 1 : index) + 1;
    }

    private static int[] LineStarts(byte[] text)
    {
        var starts = new List<int>(text.Length / 32 + 1) { 0 };
        var span = text.AsSpan();
        var offset = 0;
        int index;
        while ((index = span[offset..].IndexOf((byte)'\n')) >= 0)
        {
            offset += index + 1;
            starts.Add(offset);
        }

        return [.. starts];
    }

    /// <summary>Whitespace runs become one space; at most <paramref name="max"/> characters.</summary>
    internal static string Collapse(ReadOnlySpan<byte> utf8, int max)
    {
        var text = Encoding.UTF8.GetString(utf8);
        var builder = new StringBuilder(Math.Min(text.Length, max + 1));
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
            if (builder.Length >= max)
            {
                builder.Append('…');
                break;
            }
        }

        return builder.ToString();
    }

    private static string Cap(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");

    private static string Unquote(string text) => text.Trim().Trim('"', '\'', '`', '<', '>');
}
