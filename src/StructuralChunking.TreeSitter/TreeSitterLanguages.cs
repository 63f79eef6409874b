using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json;
using StructuralChunking.TreeSitter.Internal;
using StructuralChunking.TreeSitter.Native;

namespace StructuralChunking.TreeSitter;

/// <summary>The state of one grammar after the start-up self-check.</summary>
/// <param name="Language">Language id (<c>python</c>, <c>tsx</c>, …).</param>
/// <param name="Package">The npm package the grammar was compiled from.</param>
/// <param name="PackageVersion">Its version, as pinned in <c>native/grammars.json</c>.</param>
/// <param name="ExportSymbol">The C function that returns the grammar (<c>tree_sitter_python</c>).</param>
/// <param name="AbiVersion">The grammar's parser ABI version, or 0 when the grammar could not be loaded.</param>
/// <param name="QueryPatternCount">Patterns in its compiled tags query (0 when the query failed).</param>
/// <param name="IgnoredPredicates">Predicates its queries use that are not implemented (treated as true).</param>
/// <param name="Error">What is wrong, or null when the grammar and its query are usable.</param>
public sealed record TreeSitterLanguageStatus(
    string Language,
    string Package,
    string PackageVersion,
    string ExportSymbol,
    uint AbiVersion,
    int QueryPatternCount,
    ImmutableArray<string> IgnoredPredicates,
    string? Error)
{
    /// <summary>True when files of this language can be parsed and tagged.</summary>
    public bool IsUsable => Error is null;
}

/// <summary>The outcome of <see cref="TreeSitterLanguages.Check"/>.</summary>
/// <param name="RuntimeError">Why the native library could not be used at all (platform, missing file), or null.</param>
/// <param name="Languages">Every grammar, in language id order; empty when <paramref name="RuntimeError"/> is set.</param>
public sealed record TreeSitterSelfCheck(string? RuntimeError, ImmutableArray<TreeSitterLanguageStatus> Languages)
{
    /// <summary>True when the runtime loaded and every grammar and query is usable.</summary>
    public bool IsHealthy => RuntimeError is null && Languages.All(static l => l.IsUsable);

    /// <summary>One line per problem, for logs; empty when healthy.</summary>
    public IEnumerable<string> Problems => RuntimeError is not null
        ? [RuntimeError]
        : Languages.Where(static l => !l.IsUsable).Select(static l => $"{l.Language} ({l.Package}@{l.PackageVersion}, {l.ExportSymbol}): {l.Error}");
}

/// <summary>
/// The grammars compiled into the native library, and the self-check that loads each one (exported symbol, ABI
/// version, tags query) so that a broken grammar is reported by name instead of failing later.
/// </summary>
/// <remarks>Grammars are loaded once per process, on first use, and shared by all loads (they are immutable).</remarks>
public static class TreeSitterLanguages
{
    /// <summary>Oldest grammar ABI the tree-sitter 0.25 runtime accepts.</summary>
    public const uint MinimumAbiVersion = 13;

    /// <summary>Newest grammar ABI the tree-sitter 0.25 runtime accepts.</summary>
    public const uint MaximumAbiVersion = 15;

    private static readonly Lazy<Registry> Loaded = new(Registry.Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Every language id with a grammar, sorted.</summary>
    public static ImmutableArray<string> SupportedLanguages { get; } = [.. LanguageSpec.All.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Loads the native library and every grammar and query (once per process) and reports their state.</summary>
    /// <remarks>Never throws for a broken grammar or a missing library: the report says what is wrong.</remarks>
    public static TreeSitterSelfCheck Check()
    {
        var registry = Loaded.Value;
        return new TreeSitterSelfCheck(registry.RuntimeError, registry.Statuses);
    }

    /// <summary>The loaded grammar of <paramref name="language"/>, or null with the reason.</summary>
    internal static Grammar? Get(string language, out string? error)
    {
        var registry = Loaded.Value;
        if (registry.RuntimeError is { } runtime)
        {
            error = runtime;
            return null;
        }

        if (registry.Grammars.TryGetValue(language, out var grammar) && grammar.Query is not null)
        {
            error = null;
            return grammar;
        }

        error = registry.Statuses.FirstOrDefault(s => s.Language == language)?.Error ?? $"no grammar for '{language}'";
        return null;
    }

    private sealed record Registry(string? RuntimeError, FrozenDictionary<string, Grammar> Grammars, ImmutableArray<TreeSitterLanguageStatus> Statuses)
    {
        public static Registry Load()
        {
            nint library;
            try
            {
                library = NativeLibraryResolver.Load();
            }
            catch (Exception ex) when (ex is PlatformNotSupportedException or DllNotFoundException or BadImageFormatException)
            {
                return new Registry(ex.Message, FrozenDictionary<string, Grammar>.Empty, []);
            }

            var packages = ReadManifest();
            var grammars = new Dictionary<string, Grammar>(StringComparer.Ordinal);
            var statuses = ImmutableArray.CreateBuilder<TreeSitterLanguageStatus>();
            foreach (var id in SupportedLanguages)
            {
                var spec = LanguageSpec.All[id];
                var (package, version) = packages.GetValueOrDefault(id, ("?", "?"));
                var (grammar, error) = Grammar.Load(library, spec);
                if (grammar is not null)
                {
                    grammars.Add(id, grammar);
                }

                statuses.Add(new TreeSitterLanguageStatus(id, package, version, spec.ExportSymbol, grammar?.AbiVersion ?? 0,
                    grammar?.Query?.PatternCount ?? 0, [.. grammar?.Query?.IgnoredPredicates ?? []], error));
            }

            return new Registry(null, grammars.ToFrozenDictionary(StringComparer.Ordinal), statuses.ToImmutable());
        }

        private static Dictionary<string, (string Package, string Version)> ReadManifest()
        {
            var result = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
            using var stream = typeof(TreeSitterLanguages).Assembly.GetManifestResourceStream("StructuralChunking.TreeSitter.grammars.json");
            if (stream is null)
            {
                return result;
            }

            using var document = JsonDocument.Parse(stream);
            foreach (var grammar in document.RootElement.GetProperty("grammars").EnumerateArray())
            {
                var package = grammar.GetProperty("package").GetString() ?? "?";
                var version = grammar.GetProperty("version").GetString() ?? "?";
                foreach (var language in grammar.GetProperty("languages").EnumerateArray())
                {
                    result[language.GetProperty("id").GetString() ?? "?"] = (package, version);
                }
            }

            return result;
        }
    }
}
