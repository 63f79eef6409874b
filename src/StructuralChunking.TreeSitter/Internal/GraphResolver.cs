using StructuralChunking.Discovery;
using StructuralChunking.Graph;

namespace StructuralChunking.TreeSitter.Internal;

/// <summary>
/// Joins the files of a load into one graph: module, definition and placeholder symbols, and <c>contains</c>,
/// <c>imports</c>, <c>inherits</c>/<c>implements</c> and <c>calls</c> edges resolved by name with scope awareness.
/// </summary>
/// <remarks>
/// <para><b>Call resolution</b>, first rule that finds something wins:</para>
/// <list type="number">
/// <item>Receiver is the object itself (<c>self.</c>, <c>this.</c>, <c>$this-&gt;</c>, a Go method's receiver): a
/// member of the enclosing class, then of its bases (resolved base types, five levels at most).</item>
/// <item>No receiver: a function nested in the enclosing functions (innermost first); a member of the enclosing class
/// in languages with implicit <c>this</c> (Java, C#, C++, Ruby); a top-level definition of the same file; a name
/// imported into the file (<c>from m import f</c>, <c>import {f} from './m'</c>, Java/PHP/Rust single-name imports);
/// a top-level definition of a module the file imports wholesale (<c>using</c>, <c>import a.*</c>, <c>#include</c>,
/// <c>require</c>) or of its own package (Go: same folder; Java, C#, PHP: same package or namespace).</item>
/// <item>Receiver names an imported module (<c>tokens.read()</c> after <c>import auth.tokens as tokens</c>,
/// <c>pkg.F()</c> in Go, <c>x.f()</c> after <c>const x = require('./x')</c>): a top-level definition of that module;
/// nothing else is tried.</item>
/// <item>Receiver names a visible type (<c>TokenReader.read()</c>): a member of that type.</item>
/// <item>Otherwise the name alone, among every definition of the language family (JavaScript with TypeScript, C with
/// C++) that can be called from elsewhere (methods only when there was a receiver or implicit <c>this</c>): a unique
/// candidate gets weight 1; 2 to <c>AmbiguousCallLimit</c> candidates each get an edge of weight 1/n; more are left
/// out as noise. Calls that resolve to nothing (library and built-in calls) are left out: no placeholder symbols.</item>
/// </list>
/// <para>Base types resolve like receivers of rule 4; an unresolved base becomes an external placeholder symbol so the
/// relation is still visible. The edge is <c>implements</c> when the target is an interface, <c>inherits</c> otherwise.</para>
/// </remarks>
internal sealed class GraphResolver
{
    private const int MaxBaseDepth = 5;

    private readonly IReadOnlyList<FileSyntax> _files;
    private readonly int _ambiguousLimit;
    private readonly Dictionary<string, FileSyntax> _byPath = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileSyntax> _pythonModules = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Family, string Directory), List<FileSyntax>> _byDirectory = [];
    private readonly Dictionary<(string Family, string Package), List<FileSyntax>> _byPackage = [];
    private readonly Dictionary<(string Family, string Name), List<Target>> _global = [];
    private readonly Dictionary<FileSyntax, Dictionary<string, List<int>>> _topLevel = [];
    private readonly Dictionary<SymbolId, Dictionary<string, List<Target>>> _members = [];
    private readonly Dictionary<SymbolId, Dictionary<string, List<int>>> _nested = [];
    private readonly Dictionary<SymbolId, List<Target>> _bases = [];
    private readonly Dictionary<FileSyntax, FileScope> _scopes = [];
    private readonly Dictionary<SymbolId, SymbolKind> _external = [];

    public GraphResolver(IReadOnlyList<FileSyntax> files, int ambiguousLimit)
    {
        _files = files;
        _ambiguousLimit = ambiguousLimit;
    }

    /// <summary>A definition: its file and index.</summary>
    internal readonly record struct Target(FileSyntax File, int Index)
    {
        public DefinitionInfo Definition => File.Definitions[Index];
    }

    private sealed class FileScope
    {
        /// <summary>Qualifier → modules (Python <c>import a.b as x</c>, JS namespace/default/require, Go packages).</summary>
        public Dictionary<string, List<FileSyntax>> Modules { get; } = new(StringComparer.Ordinal);
        /// <summary>Local name → (modules it comes from, name there).</summary>
        public Dictionary<string, (List<FileSyntax> From, string Name)> Names { get; } = new(StringComparer.Ordinal);
        /// <summary>Modules whose top level is visible unqualified (wildcards, includes, requires, usings).</summary>
        public List<FileSyntax> Wildcards { get; } = [];
        /// <summary>Every module resolved from an import, for <c>imports</c> edges.</summary>
        public HashSet<FileSyntax> Imported { get; } = [];
    }

    public void Build(CodeGraphBuilder builder)
    {
        Index();
        foreach (var file in _files)
        {
            _scopes[file] = ResolveImports(file);
        }

        AttachOwners();
        foreach (var file in _files)
        {
            AddSymbols(builder, file);
        }

        // Bases before calls: self-calls look into base classes.
        var pendingEdges = new List<CodeEdge>();
        foreach (var file in _files)
        {
            ResolveBases(file, pendingEdges);
        }

        foreach (var file in _files)
        {
            ResolveCalls(file, pendingEdges);
        }

        foreach (var (id, kind) in _external)
        {
            builder.AddSymbol(new CodeSymbol
            {
                Id = id,
                Name = ExternalNames[id].Name,
                QualifiedName = ExternalNames[id].Qualified,
                Kind = kind,
                Language = ExternalNames[id].Language,
                Traits = SymbolTraits.External,
            });
        }

        foreach (var edge in pendingEdges)
        {
            builder.AddEdge(edge);
        }
    }

    private Dictionary<SymbolId, (string Name, string Qualified, string Language)> ExternalNames { get; } = [];

    // ---- Indexes -------------------------------------------------------------------------------------------------

    private void Index()
    {
        foreach (var file in _files)
        {
            var family = file.Spec.Family;
            _byPath[file.Path] = file;
            if (file.Spec.ModuleNaming == ModuleNaming.Dotted)
            {
                _pythonModules.TryAdd(file.ModuleName, file);
            }

            Add(_byDirectory, (family, file.Directory), file);
            if (file.Package is { } package)
            {
                Add(_byPackage, (family, NormalizePackage(package)), file);
            }

            var top = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            _topLevel[file] = top;
            for (var i = 0; i < file.Definitions.Count; i++)
            {
                var definition = file.Definitions[i];
                if (definition.IsTestBlock)
                {
                    continue; // named by a description: nothing calls it by that name
                }

                if (IsTopLevel(file, definition))
                {
                    Add(top, definition.Name, i);
                }

                if (definition.Parent >= 0)
                {
                    var parent = file.Definitions[definition.Parent];
                    if (parent.Kind.IsType() || parent.IsValue || parent.Kind is SymbolKind.Module or SymbolKind.Namespace)
                    {
                        AddMember(parent.Id, definition.Name, new Target(file, i));
                    }

                    if (!_nested.TryGetValue(parent.Id, out var nested))
                    {
                        _nested[parent.Id] = nested = new Dictionary<string, List<int>>(StringComparer.Ordinal);
                    }

                    Add(nested, definition.Name, i);
                }

                if (definition.Kind != SymbolKind.LocalFunction)
                {
                    Add(_global, (family, definition.Name), new Target(file, i));
                }
            }
        }
    }

    /// <summary>Top level: directly in the module, or in namespaces only (C#, C++, PHP, TypeScript), or a member of
    /// CommonJS <c>module.exports = {…}</c> (what the module exports).</summary>
    private static bool IsTopLevel(FileSyntax file, DefinitionInfo definition)
    {
        for (var parent = definition.Parent; parent >= 0; parent = file.Definitions[parent].Parent)
        {
            var outer = file.Definitions[parent];
            if (outer.Kind is not (SymbolKind.Namespace or SymbolKind.Module) && !(outer.IsValue && outer.Name == "module.exports" && outer.Parent < 0))
            {
                return false;
            }
        }

        return definition.OwnerType is null;
    }

    private static string NormalizePackage(string package) => package.Trim().Replace('\\', '.').Replace("::", ".", StringComparison.Ordinal).TrimEnd(';').Trim();

    private void AddMember(SymbolId type, string name, Target target)
    {
        if (!_members.TryGetValue(type, out var members))
        {
            _members[type] = members = new Dictionary<string, List<Target>>(StringComparer.Ordinal);
        }

        Add(members, name, target);
    }

    private static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> map, TKey key, TValue value)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(value);
    }

    /// <summary>Methods declared outside their type (Go receivers, Rust <c>impl</c>, C++ <c>A::f</c>) join the type.</summary>
    private void AttachOwners()
    {
        foreach (var file in _files)
        {
            for (var i = 0; i < file.Definitions.Count; i++)
            {
                var definition = file.Definitions[i];
                if (definition.Parent >= 0 || definition.OwnerType is not { } owner)
                {
                    continue;
                }

                if (FindType(file, owner, qualifier: null) is { } type)
                {
                    definition.ResolvedParent = type.Definition.Id;
                    AddMember(type.Definition.Id, definition.Name, new Target(file, i));
                }
            }
        }
    }

    // ---- Imports -------------------------------------------------------------------------------------------------

    private FileScope ResolveImports(FileSyntax file)
    {
        var scope = new FileScope();
        foreach (var import in file.Imports)
        {
            switch (file.Spec.Family)
            {
                case LanguageIds.Python:
                    ResolvePythonImport(file, import, scope);
                    break;
                case LanguageIds.JavaScript:
                    ResolveScriptImport(file, import, scope);
                    break;
                case LanguageIds.Go:
                    var packages = GoPackage(import.Module);
                    if (packages.Count > 0)
                    {
                        var alias = import.Alias ?? import.Module[(import.Module.LastIndexOf('/') + 1)..];
                        if (alias is "." or "_")
                        {
                            scope.Wildcards.AddRange(packages);
                        }
                        else
                        {
                            scope.Modules[alias] = packages;
                        }

                        scope.Imported.UnionWith(packages);
                    }

                    break;
                default:
                    ResolveOtherImport(file, import, scope);
                    break;
            }
        }

        scope.Imported.Remove(file);
        return scope;
    }

    private void ResolvePythonImport(FileSyntax file, ImportInfo import, FileScope scope)
    {
        var moduleName = AbsolutePythonModule(file, import.Module);
        var module = moduleName is null ? null : PythonModule(moduleName);
        if (import.Name is null)
        {
            if (module is null)
            {
                return;
            }

            scope.Imported.Add(module);
            scope.Modules[import.Alias ?? import.Module] = [module];
            return;
        }

        if (import.Name == "*")
        {
            if (module is not null)
            {
                scope.Imported.Add(module);
                scope.Wildcards.Add(module);
            }

            return;
        }

        // from a import b: b is a submodule or a name defined in a.
        var local = import.Alias ?? import.Name;
        if (moduleName is not null && PythonModule(moduleName + "." + import.Name) is { } submodule)
        {
            scope.Imported.Add(submodule);
            scope.Modules[local] = [submodule];
        }
        else if (module is not null)
        {
            scope.Imported.Add(module);
            scope.Names[local] = ([module], import.Name);
        }
    }

    private static string? AbsolutePythonModule(FileSyntax file, string module)
    {
        if (!module.StartsWith('.'))
        {
            return module;
        }

        var dots = module.Length - module.TrimStart('.').Length;
        var isPackage = file.File.RelativePath.EndsWith("__init__.py", StringComparison.Ordinal);
        var parts = file.ModuleName.Split('.').ToList();
        if (!isPackage)
        {
            parts.RemoveAt(parts.Count - 1);
        }

        for (var i = 1; i < dots; i++)
        {
            if (parts.Count == 0)
            {
                return null;
            }

            parts.RemoveAt(parts.Count - 1);
        }

        var rest = module[dots..];
        if (rest.Length > 0)
        {
            parts.Add(rest);
        }

        return parts.Count == 0 ? null : string.Join('.', parts);
    }

    /// <summary>A Python module by dotted name; when the indexed root is above the import root, a unique suffix match.</summary>
    private FileSyntax? PythonModule(string name)
    {
        if (_pythonModules.TryGetValue(name, out var module))
        {
            return module;
        }

        FileSyntax? found = null;
        var suffix = "." + name;
        foreach (var (candidate, file) in _pythonModules)
        {
            if (candidate.EndsWith(suffix, StringComparison.Ordinal))
            {
                if (found is not null)
                {
                    return null;
                }

                found = file;
            }
        }

        return found;
    }

    private void ResolveScriptImport(FileSyntax file, ImportInfo import, FileScope scope)
    {
        if (ScriptModule(file, import.Module) is not { } module)
        {
            return;
        }

        scope.Imported.Add(module);
        if (import.Name is null)
        {
            if (import.Alias is { } alias)
            {
                // import x from './x', * as x, const x = require('./x'): x.f() is the module's f, and x() most often
                // its export of the same name.
                scope.Modules[alias] = [module];
                scope.Names.TryAdd(alias, ([module], alias));
            }
        }
        else
        {
            scope.Names[import.Alias ?? import.Name] = ([module], import.Name);
        }
    }

    private FileSyntax? ScriptModule(FileSyntax file, string specifier)
    {
        if (!specifier.StartsWith('.'))
        {
            return null; // a package: outside the indexed sources
        }

        if (ModuleNames.Join(file.Directory, specifier) is not { } path)
        {
            return null;
        }

        if (_byPath.TryGetValue(path, out var exact))
        {
            return exact;
        }

        var stem = ModuleNames.StripExtension(path);
        foreach (var extension in file.Spec.ImportExtensions)
        {
            if (_byPath.TryGetValue(path + extension, out var withExtension) || _byPath.TryGetValue(stem + extension, out withExtension)
                || _byPath.TryGetValue(path + "/index" + extension, out withExtension))
            {
                return withExtension;
            }
        }

        return null;
    }

    private List<FileSyntax> GoPackage(string importPath)
    {
        var result = new List<FileSyntax>();
        foreach (var ((family, directory), files) in _byDirectory)
        {
            if (family == LanguageIds.Go && directory.Length > 0
                && (importPath == directory || importPath.EndsWith("/" + directory, StringComparison.Ordinal)))
            {
                result.AddRange(files);
            }
        }

        return result;
    }

    /// <summary>Java, C#, PHP, Rust, Ruby, C and C++ imports: packages and namespaces, single names, included files.</summary>
    private void ResolveOtherImport(FileSyntax file, ImportInfo import, FileScope scope)
    {
        var family = file.Spec.Family;
        var module = import.Module;
        if (family is LanguageIds.C or LanguageIds.Ruby || module.Contains('/', StringComparison.Ordinal) || module.EndsWith(".php", StringComparison.Ordinal))
        {
            // #include "x.h", require_relative 'x', require 'x.php': a file, relative first, else by path suffix.
            if (IncludedFile(file, module) is { } included)
            {
                scope.Imported.Add(included);
                scope.Wildcards.Add(included);
            }

            return;
        }

        if (import.Name is null && file.Spec.Family == LanguageIds.Php && module.Contains('\\', StringComparison.Ordinal))
        {
            // use App\Models\User; — a single class from a namespace.
            var cut = module.LastIndexOf('\\');
            import = import with { Module = module[..cut], Name = module[(cut + 1)..] };
            module = import.Module;
        }

        var normalized = NormalizePackage(module);
        if (import.Name is null)
        {
            // using A.B; import a.b.*; — the whole package or namespace.
            if (_byPackage.TryGetValue((family, normalized), out var files))
            {
                scope.Wildcards.AddRange(files);
                scope.Imported.UnionWith(files);
            }

            return;
        }

        // import a.b.C; use A\B\C; use a::b::C — a single name from a package; files that declare it.
        var from = _byPackage.TryGetValue((family, normalized), out var packageFiles) ? packageFiles : [];
        if (from.Count == 0 && _global.TryGetValue((family, import.Name), out var candidates))
        {
            from = [.. candidates.Select(static c => c.File).Distinct()];
        }

        if (from.Count > 0)
        {
            scope.Names[import.Alias ?? import.Name] = (from, import.Name);
            foreach (var source in from)
            {
                if (_topLevel[source].ContainsKey(import.Name))
                {
                    scope.Imported.Add(source);
                }
            }
        }
    }

    private FileSyntax? IncludedFile(FileSyntax file, string module)
    {
        string[] extensions = file.Spec.Family == LanguageIds.Ruby ? ["", ".rb"] : [""];
        foreach (var extension in extensions)
        {
            if (ModuleNames.Join(file.Directory, module + extension) is { } path && _byPath.TryGetValue(path, out var relative))
            {
                return relative;
            }
        }

        FileSyntax? found = null;
        foreach (var extension in extensions)
        {
            var suffix = "/" + module.TrimStart('.', '/') + extension;
            foreach (var candidate in _files)
            {
                if (candidate.Spec.Family == file.Spec.Family && ("/" + candidate.Path).EndsWith(suffix, StringComparison.Ordinal))
                {
                    if (found is not null && found != candidate)
                    {
                        return null;
                    }

                    found = candidate;
                }
            }
        }

        return found;
    }

    // ---- Symbols -------------------------------------------------------------------------------------------------

    private void AddSymbols(CodeGraphBuilder builder, FileSyntax file)
    {
        var traits = (TestCodePaths.IsTest(file.Path) ? SymbolTraits.Test : SymbolTraits.None) | (file.IsGenerated ? SymbolTraits.Generated : SymbolTraits.None);
        var testTraits = traits | SymbolTraits.Test;
        var moduleName = file.ModuleName;
        var simpleName = file.Spec.ModuleNaming == ModuleNaming.Dotted
            ? moduleName[(moduleName.LastIndexOf('.') + 1)..]
            : System.IO.Path.GetFileNameWithoutExtension(file.Path);
        builder.AddSymbol(new CodeSymbol
        {
            Id = file.ModuleId,
            Name = simpleName,
            QualifiedName = moduleName,
            Kind = SymbolKind.Module,
            Language = file.Language,
            Location = new SourceLocation(file.Path, 1, Math.Max(1, file.LineCount), 0, file.ByteLength),
            Documentation = file.ModuleDocumentation,
            Traits = traits,
        });

        foreach (var definition in file.Definitions)
        {
            var parent = definition.Parent >= 0 ? file.Definitions[definition.Parent].Id : definition.ResolvedParent ?? file.ModuleId;
            builder.AddSymbol(new CodeSymbol
            {
                Id = definition.Id,
                Name = definition.Name,
                QualifiedName = definition.QualifiedName,
                Kind = definition.Kind,
                Language = file.Language,
                Location = definition.Location,
                Signature = definition.Signature,
                Documentation = definition.Documentation,
                ParentId = parent,
                Traits = definition.IsTest ? testTraits : traits,
            });
            builder.AddEdge(parent, definition.Id, EdgeKind.Contains);
        }

        foreach (var imported in _scopes[file].Imported.OrderBy(static f => f.Path, StringComparer.Ordinal))
        {
            builder.AddEdge(file.ModuleId, imported.ModuleId, EdgeKind.Imports);
        }
    }

    // ---- Bases ---------------------------------------------------------------------------------------------------

    private void ResolveBases(FileSyntax file, List<CodeEdge> edges)
    {
        foreach (var reference in file.References)
        {
            if (reference.Kind != ReferenceKind.Base)
            {
                continue;
            }

            SymbolId source;
            if (reference.SourceType is { } sourceType)
            {
                if (FindType(file, sourceType, null) is not { } implementing)
                {
                    continue;
                }

                source = implementing.Definition.Id;
            }
            else if (reference.Enclosing >= 0 && file.Definitions[reference.Enclosing].Kind.IsType())
            {
                source = file.Definitions[reference.Enclosing].Id;
            }
            else
            {
                continue;
            }

            if (FindType(file, reference.Name, reference.Qualifier) is { } target)
            {
                if (target.Definition.Id == source)
                {
                    continue;
                }

                Add(_bases, source, target);
                edges.Add(new CodeEdge(source, target.Definition.Id, target.Definition.Kind == SymbolKind.Interface ? EdgeKind.Implements : EdgeKind.Inherits));
            }
            else
            {
                var qualified = reference.Qualifier is null ? reference.Name : reference.Qualifier + "." + reference.Name;
                var id = SymbolId.Create(file.Language, qualified, string.Empty);
                _external.TryAdd(id, SymbolKind.Class);
                ExternalNames.TryAdd(id, (reference.Name, qualified, file.Language));
                edges.Add(new CodeEdge(source, id, EdgeKind.Inherits));
            }
        }
    }

    /// <summary>A type by name as seen from <paramref name="file"/>: same file, imported, package, then unique global.</summary>
    private Target? FindType(FileSyntax file, string name, string? qualifier)
    {
        static bool IsType(Target t) => t.Definition.Kind.IsType();

        if (qualifier is not null && _scopes.TryGetValue(file, out var qualifiedScope) && qualifiedScope.Modules.TryGetValue(qualifier, out var modules))
        {
            return Unique(TopLevelIn(modules, name).Where(IsType));
        }

        if (TopLevelIn([file], name).Where(IsType).FirstOrDefault() is { File: not null } local)
        {
            return local;
        }

        if (_scopes.TryGetValue(file, out var scope))
        {
            if (scope.Names.TryGetValue(name, out var imported) && Unique(TopLevelIn(imported.From, imported.Name).Where(IsType)) is { } fromImport)
            {
                return fromImport;
            }

            if (Unique(TopLevelIn(scope.Wildcards, name).Where(IsType)) is { } fromWildcard)
            {
                return fromWildcard;
            }
        }

        if (Unique(TopLevelIn(PackageOf(file), name).Where(IsType)) is { } fromPackage)
        {
            return fromPackage;
        }

        return _global.TryGetValue((file.Spec.Family, name), out var all) ? Unique(all.Where(IsType)) : null;
    }

    private static Target? Unique(IEnumerable<Target> candidates)
    {
        Target? found = null;
        foreach (var candidate in candidates)
        {
            if (found is not null && found.Value.Definition.Id != candidate.Definition.Id)
            {
                return null;
            }

            found = candidate;
        }

        return found;
    }

    private IEnumerable<Target> TopLevelIn(IEnumerable<FileSyntax> files, string name)
    {
        foreach (var file in files)
        {
            if (_topLevel[file].TryGetValue(name, out var indexes))
            {
                foreach (var index in indexes)
                {
                    yield return new Target(file, index);
                }
            }
        }
    }

    /// <summary>Files of the same package: Go's folder, or the declared package or namespace.</summary>
    private List<FileSyntax> PackageOf(FileSyntax file)
    {
        if (file.Spec.Family == LanguageIds.Go)
        {
            return _byDirectory.GetValueOrDefault((file.Spec.Family, file.Directory)) ?? [];
        }

        return file.Package is { } package ? _byPackage.GetValueOrDefault((file.Spec.Family, NormalizePackage(package))) ?? [] : [];
    }

    // ---- Calls ---------------------------------------------------------------------------------------------------

    private void ResolveCalls(FileSyntax file, List<CodeEdge> edges)
    {
        var candidates = new List<Target>();
        foreach (var reference in file.References)
        {
            if (reference.Kind != ReferenceKind.Call)
            {
                continue;
            }

            candidates.Clear();
            var exclusive = Resolve(file, reference, candidates);
            if (candidates.Count == 0)
            {
                continue;
            }

            var source = reference.Enclosing >= 0 ? file.Definitions[reference.Enclosing].Id : file.ModuleId;
            var distinct = candidates.Select(static c => c.Definition.Id).Distinct().ToList();
            if (!exclusive && distinct.Count > _ambiguousLimit)
            {
                continue;
            }

            var weight = 1f / distinct.Count;
            foreach (var target in distinct)
            {
                edges.Add(new CodeEdge(source, target, EdgeKind.Calls, weight));
            }
        }
    }

    /// <summary>Fills <paramref name="found"/>; returns true when the result came from a scoped rule (not rule 5).</summary>
    private bool Resolve(FileSyntax file, ReferenceInfo reference, List<Target> found)
    {
        var name = reference.Name;
        var spec = file.Spec;
        var enclosingType = EnclosingType(file, reference.Enclosing);
        var qualifier = reference.Qualifier;

        // Rule 1: self.f(), this.f(), s.f() in a Go method with receiver s.
        if (qualifier is not null && (spec.SelfNames.Contains(qualifier) || IsReceiver(file, reference.Enclosing, qualifier)))
        {
            if (enclosingType is { } type && Member(type, name, 0) is { } member)
            {
                found.Add(member);
                return true;
            }

            return GlobalCandidates(file, name, methods: true, found);
        }

        if (qualifier is null)
        {
            // Rule 2: lexical scope, own class (implicit this), file, imports, package.
            for (var index = reference.Enclosing; index >= 0; index = file.Definitions[index].Parent)
            {
                var scopeId = file.Definitions[index].Id;
                if (_nested.TryGetValue(scopeId, out var nested) && nested.TryGetValue(name, out var local) && !file.Definitions[index].Kind.IsType())
                {
                    found.Add(new Target(file, local[0]));
                    return true;
                }
            }

            if (spec.ImplicitThis && enclosingType is { } self && Member(self, name, 0) is { } own)
            {
                found.Add(own);
                return true;
            }

            if (TopLevelIn([file], name).FirstOrDefault() is { File: not null } sameFile)
            {
                found.Add(sameFile);
                return true;
            }

            var scope = _scopes[file];
            if (scope.Names.TryGetValue(name, out var imported))
            {
                found.AddRange(TopLevelIn(imported.From, imported.Name));
                if (found.Count > 0)
                {
                    return true;
                }
            }

            found.AddRange(TopLevelIn(scope.Wildcards, name));
            if (found.Count == 0)
            {
                found.AddRange(TopLevelIn(PackageOf(file), name));
            }

            if (found.Count > 0)
            {
                return true;
            }

            return GlobalCandidates(file, name, methods: spec.ImplicitThis, found);
        }

        // Rule 3: a module's function.
        var fileScope = _scopes[file];
        if (fileScope.Modules.TryGetValue(qualifier, out var modules))
        {
            found.AddRange(TopLevelIn(modules, name));
            return true;
        }

        // Rule 3b: a member of a module-level value in scope (`const api = {get() {…}}` … `api.get()`).
        if (IsIdentifier(qualifier) && ValueInScope(file, qualifier) is { } value && Member(value, name, 0) is { } valueMember)
        {
            found.Add(valueMember);
            return true;
        }

        // Rule 4: a type's member.
        var lastDot = qualifier.LastIndexOfAny(['.', ':']);
        var typeName = lastDot >= 0 ? qualifier[(lastDot + 1)..] : qualifier;
        if (typeName.Length > 0 && char.IsUpper(typeName[0]) && FindType(file, typeName, lastDot > 0 ? qualifier[..lastDot].TrimEnd(':', '.') : null) is { } qualifiedType
            && Member(qualifiedType, name, 0) is { } typeMember)
        {
            found.Add(typeMember);
            return true;
        }

        // Rule 5: by name alone.
        return GlobalCandidates(file, name, methods: true, found);
    }

    private static bool IsIdentifier(string text)
    {
        foreach (var c in text)
        {
            if (!(char.IsLetterOrDigit(c) || c is '_' or '$'))
            {
                return false;
            }
        }

        return text.Length > 0;
    }

    /// <summary>A module-level value definition named <paramref name="name"/> in this file or imported into it.</summary>
    private Target? ValueInScope(FileSyntax file, string name)
    {
        foreach (var candidate in TopLevelIn([file], name))
        {
            if (candidate.Definition.IsValue)
            {
                return candidate;
            }
        }

        if (_scopes[file].Names.TryGetValue(name, out var imported))
        {
            foreach (var candidate in TopLevelIn(imported.From, imported.Name))
            {
                if (candidate.Definition.IsValue)
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private bool GlobalCandidates(FileSyntax file, string name, bool methods, List<Target> found)
    {
        if (_global.TryGetValue((file.Spec.Family, name), out var all))
        {
            foreach (var candidate in all)
            {
                var kind = candidate.Definition.Kind;
                if (kind.IsType() || kind is SymbolKind.Function or SymbolKind.Macro || candidate.Definition.IsValue
                    || (methods && kind is SymbolKind.Method or SymbolKind.Constructor))
                {
                    found.Add(candidate);
                }
            }
        }

        return false;
    }

    private static bool IsReceiver(FileSyntax file, int enclosing, string qualifier)
    {
        for (var index = enclosing; index >= 0; index = file.Definitions[index].Parent)
        {
            if (file.Definitions[index].ReceiverName == qualifier)
            {
                return true;
            }
        }

        return false;
    }

    private Target? EnclosingType(FileSyntax file, int enclosing)
    {
        for (var index = enclosing; index >= 0; index = file.Definitions[index].Parent)
        {
            var definition = file.Definitions[index];
            if (definition.Kind.IsType())
            {
                return new Target(file, index);
            }

            if (definition.ResolvedParent is { } owner && FindById(owner) is { } ownerType)
            {
                return ownerType;
            }
        }

        return null;
    }

    private Target? FindById(SymbolId id)
    {
        _byId ??= _files.SelectMany(f => f.Definitions.Select((d, i) => (d.Id, Target: new Target(f, i))))
            .GroupBy(static p => p.Id).ToDictionary(static g => g.Key, static g => g.First().Target);
        return _byId.TryGetValue(id, out var target) ? target : null;
    }

    private Dictionary<SymbolId, Target>? _byId;

    private Target? Member(Target type, string name, int depth)
    {
        var id = type.Definition.Id;
        if (_members.TryGetValue(id, out var members) && members.TryGetValue(name, out var targets))
        {
            return targets[0];
        }

        if (depth < MaxBaseDepth && _bases.TryGetValue(id, out var bases))
        {
            foreach (var baseType in bases)
            {
                if (Member(baseType, name, depth + 1) is { } inherited)
                {
                    return inherited;
                }
            }
        }

        return null;
    }
}
