namespace StructuralChunking.Graph;

/// <summary>What a <see cref="CodeSymbol"/> declares. Language-neutral: every front end maps its own constructs here.</summary>
/// <remarks>The wire form (JSON, CLI) is the member name in lower case, for example <c>localfunction</c>.</remarks>
public enum SymbolKind
{
    /// <summary>A construct the front end could not classify more precisely.</summary>
    Unknown = 0,
    /// <summary>A source file, used as the origin of <see cref="EdgeKind.Imports"/> edges.</summary>
    File,
    /// <summary>A namespace (C#, C++, PHP) or package (Java, Go).</summary>
    Namespace,
    /// <summary>A module (Python, JavaScript, Ruby, Rust).</summary>
    Module,
    /// <summary>A class.</summary>
    Class,
    /// <summary>A struct or value type.</summary>
    Struct,
    /// <summary>A record type.</summary>
    Record,
    /// <summary>An interface, protocol or trait.</summary>
    Interface,
    /// <summary>An enumeration.</summary>
    Enum,
    /// <summary>A delegate or function type.</summary>
    Delegate,
    /// <summary>A type that is none of the more specific kinds (a type alias, a union).</summary>
    Type,
    /// <summary>A method: a function that belongs to a type.</summary>
    Method,
    /// <summary>A constructor.</summary>
    Constructor,
    /// <summary>A destructor or finalizer.</summary>
    Destructor,
    /// <summary>A property.</summary>
    Property,
    /// <summary>An indexer.</summary>
    Indexer,
    /// <summary>An event.</summary>
    Event,
    /// <summary>A user-defined operator or conversion.</summary>
    Operator,
    /// <summary>A field or constant that belongs to a type.</summary>
    Field,
    /// <summary>A member of an enumeration.</summary>
    EnumMember,
    /// <summary>A free function (Python, JavaScript, Go, C).</summary>
    Function,
    /// <summary>A function declared inside another function or method.</summary>
    LocalFunction,
    /// <summary>A module- or file-level variable or constant.</summary>
    Variable,
    /// <summary>A macro (C, C++, Rust).</summary>
    Macro,
}

/// <summary>Helpers for <see cref="SymbolKind"/>.</summary>
public static class SymbolKindExtensions
{
    /// <summary>The lower-case wire name of <paramref name="kind"/>, as written in JSON and accepted by the CLI.</summary>
    public static string ToWireName(this SymbolKind kind) => kind switch
    {
        SymbolKind.Unknown => "unknown",
        SymbolKind.File => "file",
        SymbolKind.Namespace => "namespace",
        SymbolKind.Module => "module",
        SymbolKind.Class => "class",
        SymbolKind.Struct => "struct",
        SymbolKind.Record => "record",
        SymbolKind.Interface => "interface",
        SymbolKind.Enum => "enum",
        SymbolKind.Delegate => "delegate",
        SymbolKind.Type => "type",
        SymbolKind.Method => "method",
        SymbolKind.Constructor => "constructor",
        SymbolKind.Destructor => "destructor",
        SymbolKind.Property => "property",
        SymbolKind.Indexer => "indexer",
        SymbolKind.Event => "event",
        SymbolKind.Operator => "operator",
        SymbolKind.Field => "field",
        SymbolKind.EnumMember => "enummember",
        SymbolKind.Function => "function",
        SymbolKind.LocalFunction => "localfunction",
        SymbolKind.Variable => "variable",
        SymbolKind.Macro => "macro",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown symbol kind."),
    };

    /// <summary>Parses a wire name produced by <see cref="ToWireName(SymbolKind)"/> (case-insensitive).</summary>
    public static bool TryParseWireName(string? name, out SymbolKind kind)
    {
        foreach (var candidate in Enum.GetValues<SymbolKind>())
        {
            if (string.Equals(candidate.ToWireName(), name, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = SymbolKind.Unknown;
        return false;
    }

    /// <summary>True for kinds that declare a type (class, struct, record, interface, enum, delegate, type).</summary>
    public static bool IsType(this SymbolKind kind) => kind is SymbolKind.Class or SymbolKind.Struct or SymbolKind.Record
        or SymbolKind.Interface or SymbolKind.Enum or SymbolKind.Delegate or SymbolKind.Type;

    /// <summary>True for kinds that have an executable body (methods, functions, constructors, accessors, operators).</summary>
    public static bool IsCallable(this SymbolKind kind) => kind is SymbolKind.Method or SymbolKind.Constructor
        or SymbolKind.Destructor or SymbolKind.Function or SymbolKind.LocalFunction or SymbolKind.Operator
        or SymbolKind.Property or SymbolKind.Indexer or SymbolKind.Event;
}
