using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;
using StructuralChunking.TreeSitter.Native;

namespace StructuralChunking.TreeSitter.Internal;

/// <summary>What a capture name means to the extractor.</summary>
internal enum CaptureRole : byte
{
    /// <summary>Not used (<c>@ignore</c>, <c>@local.scope</c>, helper captures starting with <c>_</c>).</summary>
    None,
    /// <summary><c>@name</c>: the name of the definition or reference of the match.</summary>
    Name,
    /// <summary><c>@doc</c>: comments documenting the definition.</summary>
    Doc,
    /// <summary><c>@definition.KIND</c>.</summary>
    Definition,
    /// <summary><c>@reference.KIND</c>.</summary>
    Reference,
    /// <summary><c>@import</c>: an import statement (ours).</summary>
    Import,
    /// <summary><c>@import.module</c>: the imported module's path or name.</summary>
    ImportModule,
    /// <summary><c>@import.name</c>: a name imported from the module.</summary>
    ImportName,
    /// <summary><c>@import.alias</c>: the local name of the import.</summary>
    ImportAlias,
    /// <summary><c>@relation.base</c>: a base class or implemented interface; <c>@name</c> is its name (ours).</summary>
    RelationBase,
    /// <summary><c>@package</c>: the file's package or namespace (Go, Java, C#, PHP).</summary>
    Package,
}

/// <summary>A text predicate of one pattern.</summary>
internal enum PredicateOp : byte
{
    Eq,
    Match,
    AnyOf,
    IsNotLocal,
}

/// <summary>A compiled predicate: <c>#eq?</c>, <c>#match?</c>, <c>#any-of?</c> and their <c>not-</c>/<c>any-</c> forms.</summary>
internal sealed class TextPredicate
{
    public required PredicateOp Op { get; init; }
    public bool Negated { get; init; }
    /// <summary><c>any-</c> form: one node of a quantified capture suffices (otherwise all must pass).</summary>
    public bool AnyNode { get; init; }
    public int Capture { get; init; }
    public int OtherCapture { get; init; } = -1;
    public byte[]? Literal { get; init; }
    public Regex? Regex { get; init; }
    public FrozenSet<string>? Values { get; init; }
}

/// <summary>The compiled predicates and directives of one pattern.</summary>
internal sealed class PatternInfo
{
    public static readonly PatternInfo Plain = new();

    public TextPredicate[] Predicates { get; init; } = [];
    /// <summary><c>#strip! @doc REGEX</c>: removed from every line of the documentation.</summary>
    public Regex? DocStrip { get; init; }
    /// <summary><c>#select-adjacent!</c>/<c>#set-adjacent!</c>: keep only the comments adjacent to the definition.</summary>
    public bool DocAdjacent { get; init; }
}

/// <summary>
/// A grammar's tags query (its <c>tags.scm</c> plus our additions) compiled once, with capture roles and predicates
/// resolved to objects so that matching needs no string work beyond the predicates themselves.
/// </summary>
/// <remarks>
/// Predicates implemented: <c>#eq?</c>, <c>#not-eq?</c>, <c>#any-eq?</c>, <c>#any-not-eq?</c>, <c>#match?</c>,
/// <c>#not-match?</c>, <c>#any-match?</c>, <c>#any-not-match?</c>, <c>#any-of?</c>, <c>#not-any-of?</c>, the directives
/// <c>#strip!</c>, <c>#select-adjacent!</c> and <c>#set-adjacent!</c> (Go's name for the same thing), and Ruby's
/// <c>#is-not? local</c> (approximated: the name is not a parameter or assignment target in its method or block).
/// Any other predicate is listed in <see cref="IgnoredPredicates"/> and treated as true.
/// </remarks>
internal sealed unsafe class TagsQuery : IDisposable
{
    private readonly QueryHandle _handle;

    private TagsQuery(QueryHandle handle, CaptureRole[] roles, string[] captureNames, string?[] tags, PatternInfo[] patterns, IReadOnlyList<string> ignored)
    {
        _handle = handle;
        Roles = roles;
        CaptureNames = captureNames;
        Tags = tags;
        Patterns = patterns;
        IgnoredPredicates = ignored;
    }

    public nint Handle => _handle.DangerousGetHandle();

    public CaptureRole[] Roles { get; }

    public string[] CaptureNames { get; }

    /// <summary>For definition and reference captures, the kind after the dot (<c>function</c>, <c>call</c>).</summary>
    public string?[] Tags { get; }

    public PatternInfo[] Patterns { get; }

    public int PatternCount => Patterns.Length;

    /// <summary>Predicates the query uses that are not implemented (each once, as <c>#name?</c>).</summary>
    public IReadOnlyList<string> IgnoredPredicates { get; }

    /// <exception cref="InvalidDataException">The query does not compile for this grammar.</exception>
    public static TagsQuery Compile(Grammar grammar, string source)
    {
        var bytes = Encoding.UTF8.GetBytes(source);
        nint query;
        uint errorOffset;
        TSQueryError errorType;
        fixed (byte* p = bytes)
        {
            query = TreeSitterNative.QueryNew(grammar.Language, p, (uint)bytes.Length, out errorOffset, out errorType);
        }

        if (query == 0)
        {
            var offset = (int)Math.Min(errorOffset, (uint)bytes.Length);
            var line = 1 + bytes.AsSpan(0, offset).Count((byte)'\n');
            var lineStart = bytes.AsSpan(0, offset).LastIndexOf((byte)'\n') + 1;
            var lineEnd = bytes.AsSpan(offset).IndexOf((byte)'\n');
            var text = Encoding.UTF8.GetString(bytes, lineStart, (lineEnd < 0 ? bytes.Length : offset + lineEnd) - lineStart).Trim();
            throw new InvalidDataException(
                $"tags query for '{grammar.Spec.Id}' does not compile: {errorType} error at line {line} of the combined query ('{text}').");
        }

        var handle = new QueryHandle(query);
        var captureCount = (int)TreeSitterNative.QueryCaptureCount(query);
        var names = new string[captureCount];
        var roles = new CaptureRole[captureCount];
        var tags = new string?[captureCount];
        for (var i = 0; i < captureCount; i++)
        {
            var namePtr = TreeSitterNative.QueryCaptureNameForId(query, (uint)i, out var length);
            names[i] = Encoding.UTF8.GetString(namePtr, (int)length);
            (roles[i], tags[i]) = RoleOf(names[i]);
        }

        var ignored = new SortedSet<string>(StringComparer.Ordinal);
        var patternCount = (int)TreeSitterNative.QueryPatternCount(query);
        var patterns = new PatternInfo[patternCount];
        for (var i = 0; i < patternCount; i++)
        {
            patterns[i] = CompilePredicates(query, (uint)i, names, ignored);
        }

        return new TagsQuery(handle, roles, names, tags, patterns, [.. ignored]);
    }

    private static (CaptureRole, string?) RoleOf(string name)
    {
        if (name.StartsWith("definition.", StringComparison.Ordinal))
        {
            return (CaptureRole.Definition, name["definition.".Length..]);
        }

        if (name.StartsWith("reference.", StringComparison.Ordinal))
        {
            return (CaptureRole.Reference, name["reference.".Length..]);
        }

        return name switch
        {
            "name" => (CaptureRole.Name, null),
            "doc" => (CaptureRole.Doc, null),
            "import" => (CaptureRole.Import, null),
            "import.module" => (CaptureRole.ImportModule, null),
            "import.name" => (CaptureRole.ImportName, null),
            "import.alias" => (CaptureRole.ImportAlias, null),
            "relation.base" => (CaptureRole.RelationBase, null),
            "package" => (CaptureRole.Package, null),
            _ => (CaptureRole.None, null),
        };
    }

    private static PatternInfo CompilePredicates(nint query, uint pattern, string[] captureNames, SortedSet<string> ignored)
    {
        var steps = TreeSitterNative.QueryPredicatesForPattern(query, pattern, out var stepCount);
        if (stepCount == 0)
        {
            return PatternInfo.Plain;
        }

        var predicates = new List<TextPredicate>();
        Regex? strip = null;
        var adjacent = false;
        var current = new List<TSQueryPredicateStep>();
        for (var i = 0; i < stepCount; i++)
        {
            if (steps[i].Type != PredicateStepType.Done)
            {
                current.Add(steps[i]);
                continue;
            }

            if (current.Count == 0 || current[0].Type != PredicateStepType.String)
            {
                current.Clear();
                continue;
            }

            var op = StringValue(query, current[0].ValueId);
            var args = current.Skip(1).ToList();
            current.Clear();
            switch (op)
            {
                case "eq?" or "not-eq?" or "any-eq?" or "any-not-eq?" when args.Count == 2 && args[0].Type == PredicateStepType.Capture:
                    predicates.Add(new TextPredicate
                    {
                        Op = PredicateOp.Eq,
                        Negated = op.Contains("not-", StringComparison.Ordinal),
                        AnyNode = op.StartsWith("any-", StringComparison.Ordinal),
                        Capture = (int)args[0].ValueId,
                        OtherCapture = args[1].Type == PredicateStepType.Capture ? (int)args[1].ValueId : -1,
                        Literal = args[1].Type == PredicateStepType.String ? Encoding.UTF8.GetBytes(StringValue(query, args[1].ValueId)) : null,
                    });
                    break;
                case "match?" or "not-match?" or "any-match?" or "any-not-match?"
                    when args.Count == 2 && args[0].Type == PredicateStepType.Capture && args[1].Type == PredicateStepType.String:
                    predicates.Add(new TextPredicate
                    {
                        Op = PredicateOp.Match,
                        Negated = op.Contains("not-", StringComparison.Ordinal),
                        AnyNode = op.StartsWith("any-", StringComparison.Ordinal),
                        Capture = (int)args[0].ValueId,
                        Regex = CreateRegex(StringValue(query, args[1].ValueId), RegexOptions.None),
                    });
                    break;
                case "any-of?" or "not-any-of?" when args.Count >= 1 && args[0].Type == PredicateStepType.Capture:
                    predicates.Add(new TextPredicate
                    {
                        Op = PredicateOp.AnyOf,
                        Negated = op.StartsWith("not-", StringComparison.Ordinal),
                        Capture = (int)args[0].ValueId,
                        Values = args.Skip(1).Where(a => a.Type == PredicateStepType.String)
                            .Select(a => StringValue(query, a.ValueId)).ToFrozenSet(StringComparer.Ordinal),
                    });
                    break;
                case "is-not?" when args.Count == 1 && args[0].Type == PredicateStepType.String && StringValue(query, args[0].ValueId) == "local":
                    predicates.Add(new TextPredicate { Op = PredicateOp.IsNotLocal, Negated = false, Capture = NameCapture(captureNames) });
                    break;
                case "strip!" when args.Count == 2 && args[1].Type == PredicateStepType.String:
                    strip = CreateRegex(StringValue(query, args[1].ValueId), RegexOptions.Multiline);
                    break;
                case "select-adjacent!" or "set-adjacent!":
                    adjacent = true;
                    break;
                default:
                    ignored.Add("#" + op);
                    break;
            }
        }

        return predicates.Count == 0 && strip is null && !adjacent
            ? PatternInfo.Plain
            : new PatternInfo { Predicates = [.. predicates], DocStrip = strip, DocAdjacent = adjacent };
    }

    private static int NameCapture(string[] captureNames) => Array.IndexOf(captureNames, "name");

    // Tree-sitter queries use Rust regex syntax, which has no backtracking constructs: the non-backtracking engine
    // accepts the same patterns and guarantees linear time on hostile input.
    private static Regex CreateRegex(string pattern, RegexOptions options) =>
        new(pattern, options | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, TimeSpan.FromSeconds(1));

    private static string StringValue(nint query, uint id)
    {
        var p = TreeSitterNative.QueryStringValueForId(query, id, out var length);
        return Encoding.UTF8.GetString(p, (int)length);
    }

    public void Dispose() => _handle.Dispose();
}
