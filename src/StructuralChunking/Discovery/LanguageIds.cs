using System.Collections.Frozen;

namespace StructuralChunking.Discovery;

/// <summary>Language ids used across the library, and the file extensions that map to them.</summary>
/// <remarks>Ids are lower-case and match the names of the tree-sitter grammars where one exists.</remarks>
public static class LanguageIds
{
    /// <summary>C#.</summary>
    public const string CSharp = "csharp";
    /// <summary>Python.</summary>
    public const string Python = "python";
    /// <summary>JavaScript (including JSX).</summary>
    public const string JavaScript = "javascript";
    /// <summary>TypeScript.</summary>
    public const string TypeScript = "typescript";
    /// <summary>TypeScript with JSX.</summary>
    public const string Tsx = "tsx";
    /// <summary>Go.</summary>
    public const string Go = "go";
    /// <summary>Java.</summary>
    public const string Java = "java";
    /// <summary>Rust.</summary>
    public const string Rust = "rust";
    /// <summary>C.</summary>
    public const string C = "c";
    /// <summary>C++.</summary>
    public const string Cpp = "cpp";
    /// <summary>Ruby.</summary>
    public const string Ruby = "ruby";
    /// <summary>PHP.</summary>
    public const string Php = "php";

    private static readonly FrozenDictionary<string, string> ByExtension = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".cs"] = CSharp,
        [".py"] = Python,
        [".pyi"] = Python,
        [".js"] = JavaScript,
        [".jsx"] = JavaScript,
        [".mjs"] = JavaScript,
        [".cjs"] = JavaScript,
        [".ts"] = TypeScript,
        [".mts"] = TypeScript,
        [".cts"] = TypeScript,
        [".tsx"] = Tsx,
        [".go"] = Go,
        [".java"] = Java,
        [".rs"] = Rust,
        [".c"] = C,
        [".h"] = C,
        [".cc"] = Cpp,
        [".cpp"] = Cpp,
        [".cxx"] = Cpp,
        [".hh"] = Cpp,
        [".hpp"] = Cpp,
        [".hxx"] = Cpp,
        [".rb"] = Ruby,
        [".php"] = Php,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every extension (with its dot) that maps to a language.</summary>
    public static IEnumerable<string> KnownExtensions => ByExtension.Keys;

    /// <summary>The language of a file, from its extension; <c>null</c> when the extension is not a known source language.</summary>
    public static string? FromPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var extension = System.IO.Path.GetExtension(path);
        return extension.Length > 0 && ByExtension.TryGetValue(extension, out var language) ? language : null;
    }
}
