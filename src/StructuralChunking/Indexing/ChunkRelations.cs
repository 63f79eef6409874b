using StructuralChunking.Chunking;
using StructuralChunking.Graph;
using StructuralChunking.Identifiers;

namespace StructuralChunking.Indexing;

/// <summary>How a related definition stands to the definition whose relations are listed.</summary>
internal enum ChunkRelationKind : byte
{
    /// <summary>The related definition calls this one, or reads or writes it (a property, an indexer, an event).</summary>
    Caller = 0,
    /// <summary>This definition calls the related one.</summary>
    Callee = 1,
    /// <summary>The related definition uses this type (parameter, field, local, cast, attribute).</summary>
    User = 2,
    /// <summary>
    /// The related definition implements or overrides this one, or is the definition with a body of this body-less
    /// declaration (a declaration file's member of the same type and name).
    /// </summary>
    Implementation = 3,
    /// <summary>This short definition hands over to the related one, whose name contains its own (an overload chain, <c>Parse</c> → <c>ParseInternal</c>).</summary>
    ForwardsTo = 4,
    /// <summary>
    /// The related definition spells a member this declaration (or this part of it) declares but the graph has no symbol
    /// for: a TypeScript interface's property signature, a Python class's annotated attribute.
    /// </summary>
    MemberReader = 5,
    /// <summary>The related definition is a member of this type with a chunk of its own (this chunk shows the type's outline).</summary>
    Member = 6,
}

/// <summary>What a definition is, as far as passing on score is concerned.</summary>
[Flags]
internal enum ChunkRole : byte
{
    /// <summary>Ordinary code.</summary>
    None = 0,
    /// <summary>
    /// Declares rather than acts: a property, field, enum or enum member, interface or interface member, delegate, a member
    /// with no body, or a type none of whose own members does any work (option, settings and exception types).
    /// </summary>
    Declaration = 1 << 0,
    /// <summary>A short body that hands over to one or two other definitions (an overload, a fluent shortcut).</summary>
    Forwarder = 1 << 1,
    /// <summary>
    /// The outline of a type too large to embed whole, whose members have chunks of their own: a question it matched is
    /// usually answered by one of those members.
    /// </summary>
    Outline = 1 << 2,
}

/// <summary>
/// The code graph reduced to what query-time ranking needs, in chunk ordinals: for each definition (the first chunk of
/// its group) the definitions related to it, and its <see cref="ChunkRole"/>. Stored compactly (one offsets array, one
/// target array, one kind array), about 5 bytes per relation.
/// </summary>
/// <remarks>
/// A graph symbol belongs to the narrowest chunk of its file whose lines contain its first line, so members of a
/// type embedded whole and runs of tiny members map to the chunk that shows them. Relations between chunks of the
/// same definition are dropped, and at most <see cref="MaxPerKind"/> of each kind are kept per definition (those with
/// the most lines of their own first: the ones that do the most work).
/// </remarks>
internal sealed class ChunkRelations
{
    /// <summary>Most relations of one kind kept for one definition.</summary>
    public const int MaxPerKind = 32;

    private readonly int[] _offsets;
    private readonly int[] _targets;
    private readonly ChunkRelationKind[] _kinds;
    private readonly ChunkRole[] _roles;

    public ChunkRelations(int[] offsets, int[] targets, ChunkRelationKind[] kinds, ChunkRole[] roles)
    {
        if (offsets.Length != roles.Length + 1 || targets.Length != kinds.Length || offsets[^1] != targets.Length)
        {
            throw new InvalidDataException("inconsistent relation arrays");
        }

        for (var i = 0; i < roles.Length; i++)
        {
            if (offsets[i] > offsets[i + 1] || offsets[i] < 0)
            {
                throw new InvalidDataException("relation offsets are not ascending");
            }
        }

        foreach (var target in targets)
        {
            if ((uint)target >= (uint)roles.Length)
            {
                throw new InvalidDataException($"relation target {target} is out of range");
            }
        }

        _offsets = offsets;
        _targets = targets;
        _kinds = kinds;
        _roles = roles;
    }

    /// <summary>No relations for <paramref name="chunkCount"/> chunks (an index built without a graph).</summary>
    public static ChunkRelations Empty(int chunkCount) => new(new int[chunkCount + 1], [], [], new ChunkRole[chunkCount]);

    /// <summary>Number of chunks.</summary>
    public int ChunkCount => _roles.Length;

    /// <summary>Number of relations.</summary>
    public int Count => _targets.Length;

    /// <summary>The role of the definition chunk <paramref name="ordinal"/> presents.</summary>
    public ChunkRole Role(int ordinal) => _roles[ordinal];

    /// <summary>Related chunk ordinals of <paramref name="ordinal"/> (the first chunk of each related definition).</summary>
    public ReadOnlySpan<int> Targets(int ordinal) => _targets.AsSpan(_offsets[ordinal], _offsets[ordinal + 1] - _offsets[ordinal]);

    /// <summary>The kinds of <see cref="Targets"/>, position by position.</summary>
    public ReadOnlySpan<ChunkRelationKind> Kinds(int ordinal) => _kinds.AsSpan(_offsets[ordinal], _offsets[ordinal + 1] - _offsets[ordinal]);

    /// <summary>Builds the relations of <paramref name="chunks"/> (in index order) from <paramref name="graph"/>.</summary>
    public static ChunkRelations Build(IReadOnlyList<CodeChunk> chunks, CodeGraph graph)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentNullException.ThrowIfNull(graph);

        // The first chunk of each definition group stands for the group.
        var groupHead = new int[chunks.Count];
        var heads = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < chunks.Count; i++)
        {
            var key = CodeIndex.GroupKey(chunks[i].Id);
            if (!heads.TryGetValue(key, out var head) || chunks[i].PartIndex < chunks[head].PartIndex)
            {
                heads[key] = i;
            }
        }

        for (var i = 0; i < chunks.Count; i++)
        {
            groupHead[i] = heads[CodeIndex.GroupKey(chunks[i].Id)];
        }

        // Group spans (all parts) decide which chunk a symbol belongs to.
        var byPath = new Dictionary<string, List<(int Head, int Start, int End)>>(StringComparer.Ordinal);
        var spans = new Dictionary<int, (int Start, int End)>();
        for (var i = 0; i < chunks.Count; i++)
        {
            var head = groupHead[i];
            spans[head] = spans.TryGetValue(head, out var s)
                ? (Math.Min(s.Start, chunks[i].StartLine), Math.Max(s.End, chunks[i].EndLine))
                : (chunks[i].StartLine, chunks[i].EndLine);
        }

        foreach (var (head, span) in spans)
        {
            var path = chunks[head].Path;
            if (!byPath.TryGetValue(path, out var list))
            {
                byPath[path] = list = [];
            }

            list.Add((head, span.Start, span.End));
        }

        var chunkOf = new Dictionary<SymbolId, int>();
        foreach (var symbol in graph.Symbols)
        {
            if (symbol.Location is not { } location || !byPath.TryGetValue(location.Path, out var candidates))
            {
                continue;
            }

            var best = -1;
            var bestLines = int.MaxValue;
            foreach (var (head, start, end) in candidates)
            {
                // A symbol's own chunk starts at its first line; a containing chunk merely covers it.
                var lines = end - start + 1;
                if (start <= location.StartLine && location.StartLine <= end && (lines < bestLines || (lines == bestLines && head < best)))
                {
                    best = head;
                    bestLines = lines;
                }
            }

            if (best >= 0)
            {
                chunkOf[symbol.Id] = best;
            }
        }

        var roles = new ChunkRole[chunks.Count];
        foreach (var symbol in graph.Symbols)
        {
            if (chunkOf.TryGetValue(symbol.Id, out var head) && chunks[head].SymbolId == symbol.Id)
            {
                roles[head] = RoleOf(symbol, graph, chunkOf, spans[head]);
            }
        }

        // The further parts of a type too large to embed whole (the code between its members) form a group of their own
        // under the type's symbol: they declare what the type declares.
        for (var i = 0; i < chunks.Count; i++)
        {
            if (groupHead[i] == i && roles[i] == ChunkRole.None && chunks[i].SymbolId is { } id && chunkOf.TryGetValue(id, out var owner)
                && owner != i && (roles[owner] & ChunkRole.Declaration) != 0)
            {
                roles[i] = ChunkRole.Declaration;
            }
        }

        // Runs of tiny members and file-level chunks have no symbol of their own: a run of fields declares.
        for (var i = 0; i < chunks.Count; i++)
        {
            if (groupHead[i] == i && roles[i] == ChunkRole.None && chunks[i].SymbolKind is SymbolKind.Field or SymbolKind.Property
                or SymbolKind.EnumMember or SymbolKind.Event or SymbolKind.Variable && chunks[i].Id.Contains("+members", StringComparison.Ordinal))
            {
                roles[i] = ChunkRole.Declaration;
            }
        }

        var lists = new Dictionary<int, List<(int Target, ChunkRelationKind Kind)>>();
        foreach (var edge in graph.Edges)
        {
            if (!chunkOf.TryGetValue(edge.From, out var from) || !chunkOf.TryGetValue(edge.To, out var to) || from == to)
            {
                continue;
            }

            switch (edge.Kind)
            {
                case EdgeKind.Calls:
                    Add(lists, to, from, ChunkRelationKind.Caller);
                    Add(lists, from, to, ChunkRelationKind.Callee);
                    if (roles[from] == ChunkRole.Forwarder && graph.TryGetSymbol(edge.From, out var caller) && graph.TryGetSymbol(edge.To, out var callee)
                        && chunks[from].SymbolId == caller.Id && NamesForward(caller.Name, callee.Name))
                    {
                        Add(lists, from, to, ChunkRelationKind.ForwardsTo);
                    }

                    break;
                case EdgeKind.References:
                    Add(lists, to, from, ChunkRelationKind.User);
                    break;
                case EdgeKind.Implements or EdgeKind.Overrides:
                    Add(lists, to, from, ChunkRelationKind.Implementation);
                    break;
            }
        }

        // A type cut into an outline and its members: the outline lists the members it leads to.
        foreach (var symbol in graph.Symbols)
        {
            if (symbol.Kind.IsCallable() && graph.Parent(symbol.Id) is { } parent && (parent.Kind.IsType() || parent.Kind == SymbolKind.Variable)
                && chunkOf.TryGetValue(symbol.Id, out var member) && chunkOf.TryGetValue(parent.Id, out var outline) && member != outline
                && chunks[outline].SymbolId == parent.Id && chunks[member].SymbolId == symbol.Id && roles[outline] == ChunkRole.None)
            {
                Add(lists, outline, member, ChunkRelationKind.Member);
            }
        }

        for (var i = 0; i < chunks.Count; i++)
        {
            if (roles[i] == ChunkRole.None && lists.TryGetValue(i, out var related) && related.Exists(r => r.Item2 == ChunkRelationKind.Member))
            {
                roles[i] = ChunkRole.Outline;
            }
        }

        LinkDeclarationsToBodies(chunks, groupHead, roles, spans, lists);
        // One scan of every chunk's code finds who spells the names of both kinds of by-name links.
        var typeNames = TypesWithoutUsers(chunks, groupHead, roles, lists);
        var memberNames = UndeclaredMembers(chunks, graph, groupHead, roles);
        var spelledBy = DefinitionsSpelling(chunks, groupHead, name => typeNames.ContainsKey(name) || memberNames.ContainsKey(name));
        LinkTypesToUsersByName(typeNames, spelledBy, lists);
        LinkMembersToReadersByName(chunks, memberNames, spelledBy, groupHead, roles, lists);

        var offsets = new int[chunks.Count + 1];
        var targets = new List<int>();
        var kinds = new List<ChunkRelationKind>();
        for (var i = 0; i < chunks.Count; i++)
        {
            offsets[i] = targets.Count;
            if (!lists.TryGetValue(i, out var list))
            {
                continue;
            }

            var seen = new HashSet<(int, ChunkRelationKind)>();
            foreach (var group in list.Where(r => seen.Add(r)).GroupBy(r => r.Kind).OrderBy(g => g.Key))
            {
                foreach (var (target, kind) in group
                    .OrderByDescending(r => spans[r.Target].End - spans[r.Target].Start)
                    .ThenBy(r => r.Target)
                    .Take(MaxPerKind))
                {
                    targets.Add(target);
                    kinds.Add(kind);
                }
            }
        }

        offsets[chunks.Count] = targets.Count;
        return new ChunkRelations(offsets, [.. targets], [.. kinds], roles);
    }

    /// <summary>
    /// A body-less declaration in one file (a TypeScript declaration file, a C header) and the definition with a body of
    /// the same type and member name in another: the declaration's doc describes the body's behaviour.
    /// </summary>
    private static void LinkDeclarationsToBodies(IReadOnlyList<CodeChunk> chunks, int[] groupHead, ChunkRole[] roles,
        Dictionary<int, (int Start, int End)> spans, Dictionary<int, List<(int, ChunkRelationKind)>> lists)
    {
        var byShortName = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < chunks.Count; i++)
        {
            if (groupHead[i] == i && chunks[i].SymbolName is { } name && chunks[i].SymbolKind.IsCallable())
            {
                var key = GraphPropagation.ShortName(name);
                if (!byShortName.TryGetValue(key, out var list))
                {
                    byShortName[key] = list = [];
                }

                list.Add(i);
            }
        }

        foreach (var heads in byShortName.Values)
        {
            if (heads.Count < 2 || heads.Count > 8)
            {
                continue;
            }

            foreach (var declaration in heads)
            {
                var (start, end) = spans[declaration];
                if ((roles[declaration] & ChunkRole.Declaration) == 0 || (end - start > 1 && !chunks[declaration].Path.EndsWith(".d.ts", StringComparison.Ordinal)))
                {
                    continue;
                }

                foreach (var body in heads)
                {
                    if ((roles[body] & ChunkRole.Declaration) == 0 && !string.Equals(chunks[body].Path, chunks[declaration].Path, StringComparison.Ordinal))
                    {
                        Add(lists, declaration, body, ChunkRelationKind.Implementation);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Front ends that resolve calls but not type references (tree-sitter) leave a declared type without users. Its
    /// users are then found by name in the source: chunks whose code spells the type's name (a name of two or more
    /// words, so that <c>Options</c> or <c>State</c> alone link nothing). Returns those names and their declarations.
    /// </summary>
    private static Dictionary<string, List<int>> TypesWithoutUsers(IReadOnlyList<CodeChunk> chunks, int[] groupHead, ChunkRole[] roles,
        Dictionary<int, List<(int, ChunkRelationKind)>> lists)
    {
        var wanted = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var words = new List<string>();
        for (var i = 0; i < chunks.Count; i++)
        {
            if (groupHead[i] != i || (roles[i] & ChunkRole.Declaration) == 0 || !chunks[i].SymbolKind.IsType() || chunks[i].SymbolName is not { } name
                || (lists.TryGetValue(i, out var existing) && existing.Exists(r => r.Item2 == ChunkRelationKind.User)))
            {
                continue;
            }

            var simple = GraphPropagation.ShortName(name);
            simple = simple[(simple.LastIndexOf('.') + 1)..];
            words.Clear();
            IdentifierSplitter.Split(simple, words);
            if (words.Count < 2)
            {
                continue;
            }

            if (!wanted.TryGetValue(simple, out var declarations))
            {
                wanted[simple] = declarations = [];
            }

            declarations.Add(i);
        }

        return wanted;
    }

    /// <summary>
    /// Front ends without symbols for the members of an interface or object type (tree-sitter) leave a declared option
    /// without readers. Returns the member names each chunk of such a declaration declares (<see cref="DeclaredMemberNames"/>)
    /// with the chunks that declare them.
    /// </summary>
    private static Dictionary<string, List<int>> UndeclaredMembers(IReadOnlyList<CodeChunk> chunks, CodeGraph graph, int[] groupHead, ChunkRole[] roles)
    {
        // Lines where the front end already has a symbol: those members have relations of their own.
        var symbolLines = new HashSet<(string Path, int Line)>();
        foreach (var symbol in graph.Symbols)
        {
            if (symbol.Location is { } location)
            {
                symbolLines.Add((location.Path, location.StartLine));
            }
        }

        var declared = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < chunks.Count; i++)
        {
            var head = groupHead[i];
            var kind = chunks[head].SymbolKind;
            if ((roles[head] & ChunkRole.Declaration) == 0 || (chunks[head].Traits & SymbolTraits.Test) != 0
                || !(kind.IsType() || kind is SymbolKind.Interface or SymbolKind.Type))
            {
                continue;
            }

            var path = chunks[i].Path;
            foreach (var name in DeclaredMemberNames.Find(chunks[i].DisplayText, chunks[i].StartLine, line => symbolLines.Contains((path, line))))
            {
                if (!declared.TryGetValue(name, out var parts))
                {
                    declared[name] = parts = [];
                }

                parts.Add(i);
            }
        }

        return declared;
    }

    /// <summary>For each wanted name some chunk's code spells, the definitions (first chunks of their groups) that spell it.</summary>
    private static Dictionary<string, HashSet<int>> DefinitionsSpelling(IReadOnlyList<CodeChunk> chunks, int[] groupHead, Func<string, bool> wanted)
    {
        var spelledBy = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        for (var i = 0; i < chunks.Count; i++)
        {
            var text = chunks[i].DisplayText;
            foreach (var range in IdentifierSplitter.EnumerateIdentifiers(text))
            {
                var name = text[range];
                if (wanted(name))
                {
                    if (!spelledBy.TryGetValue(name, out var set))
                    {
                        spelledBy[name] = set = [];
                    }

                    set.Add(groupHead[i]);
                }
            }
        }

        return spelledBy;
    }

    /// <summary>
    /// Links each type without users to the definitions that spell its name. A name used in more than
    /// <see cref="MaxPerKind"/> definitions is too common to say anything and links nothing.
    /// </summary>
    private static void LinkTypesToUsersByName(Dictionary<string, List<int>> typeNames, Dictionary<string, HashSet<int>> spelledBy,
        Dictionary<int, List<(int, ChunkRelationKind)>> lists)
    {
        foreach (var (name, declarations) in typeNames)
        {
            if (!spelledBy.TryGetValue(name, out var spellers))
            {
                continue;
            }

            var users = new HashSet<int>(spellers);
            users.ExceptWith(declarations);
            if (users.Count == 0 || users.Count > MaxPerKind)
            {
                continue;
            }

            foreach (var declaration in declarations)
            {
                foreach (var user in users.Order())
                {
                    Add(lists, declaration, user, ChunkRelationKind.User);
                }
            }
        }
    }

    /// <summary>
    /// Links each chunk of a declaration to the definitions whose code spells a member name it declares, so the part whose
    /// doc comment matched a question hands score to the code that reads that option, not to every user of the whole type.
    /// Readers are definitions that do work (neither declarations nor test code); a name read in more than
    /// <see cref="MaxPerKind"/> of them links nothing.
    /// </summary>
    private static void LinkMembersToReadersByName(IReadOnlyList<CodeChunk> chunks, Dictionary<string, List<int>> memberNames,
        Dictionary<string, HashSet<int>> spelledBy, int[] groupHead, ChunkRole[] roles, Dictionary<int, List<(int, ChunkRelationKind)>> lists)
    {
        foreach (var (name, parts) in memberNames)
        {
            if (!spelledBy.TryGetValue(name, out var spellers))
            {
                continue;
            }

            var readers = spellers
                .Where(head => (roles[head] & ChunkRole.Declaration) == 0 && (chunks[head].Traits & SymbolTraits.Test) == 0 && chunks[head].SymbolKind.IsCallable())
                .Order()
                .ToList();
            if (readers.Count > MaxPerKind)
            {
                continue;
            }

            foreach (var part in parts)
            {
                foreach (var reader in readers)
                {
                    if (reader != groupHead[part])
                    {
                        Add(lists, part, reader, ChunkRelationKind.MemberReader);
                    }
                }
            }
        }
    }

    /// <summary>True when <paramref name="callee"/>'s name contains <paramref name="caller"/>'s (case and underscores aside).</summary>
    private static bool NamesForward(string caller, string callee)
    {
        static string Normalize(string name) => new([.. name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);
        var from = Normalize(caller);
        return from.Length >= 3 && Normalize(callee).Contains(from, StringComparison.Ordinal);
    }

    private static void Add(Dictionary<int, List<(int, ChunkRelationKind)>> lists, int from, int to, ChunkRelationKind kind)
    {
        if (!lists.TryGetValue(from, out var list))
        {
            lists[from] = list = [];
        }

        list.Add((to, kind));
    }

    private static ChunkRole RoleOf(CodeSymbol symbol, CodeGraph graph, Dictionary<SymbolId, int> chunkOf, (int Start, int End) span)
    {
        switch (symbol.Kind)
        {
            case SymbolKind.Property or SymbolKind.Field or SymbolKind.EnumMember or SymbolKind.Enum or SymbolKind.Interface
                or SymbolKind.Delegate or SymbolKind.Event or SymbolKind.Type:
                return ChunkRole.Declaration;
        }

        // A module-level value with members (`const slice = createSlice({reducers: {…}})`) is judged like a type.
        if (symbol.Kind.IsType() || symbol.Kind == SymbolKind.Variable)
        {
            // A type whose own members do no work (only data, constructors that store, one-liners) declares.
            foreach (var member in graph.Members(symbol.Id))
            {
                if (member.Kind is SymbolKind.Method or SymbolKind.Function or SymbolKind.Operator && member.Location is { LineCount: > 4 })
                {
                    return ChunkRole.None;
                }
            }

            return ChunkRole.Declaration;
        }

        if (!symbol.Kind.IsCallable())
        {
            return ChunkRole.None;
        }

        // Members of interfaces and of TypeScript declaration files have no body.
        if (graph.Parent(symbol.Id) is { Kind: SymbolKind.Interface } || (symbol.Path?.EndsWith(".d.ts", StringComparison.Ordinal) ?? false))
        {
            return ChunkRole.Declaration;
        }

        var lines = span.End - span.Start + 1;
        var callees = 0;
        foreach (var callee in graph.Callees(symbol.Id))
        {
            if (chunkOf.ContainsKey(callee.Id) && callee.Kind.IsCallable() && callee.Kind is not (SymbolKind.Property or SymbolKind.Indexer or SymbolKind.Event))
            {
                callees++;
            }
        }

        if (lines <= 2 && callees == 0)
        {
            // A signature without a body: abstract, extern, a type declaration file.
            return ChunkRole.Declaration;
        }

        return lines <= 6 && callees is 1 or 2 ? ChunkRole.Forwarder : ChunkRole.None;
    }

    /// <summary>Writes the relations (after the rest of the index).</summary>
    public void Write(BinaryWriter writer)
    {
        writer.Write(_roles.Length);
        writer.Write(_targets.Length);
        foreach (var role in _roles)
        {
            writer.Write((byte)role);
        }

        foreach (var offset in _offsets)
        {
            writer.Write(offset);
        }

        foreach (var target in _targets)
        {
            writer.Write(target);
        }

        foreach (var kind in _kinds)
        {
            writer.Write((byte)kind);
        }
    }

    /// <summary>Reads relations written by <see cref="Write"/>.</summary>
    public static ChunkRelations Read(BinaryReader reader, int chunkCount)
    {
        var count = reader.ReadInt32();
        if (count != chunkCount)
        {
            throw new InvalidDataException($"relations are for {count} chunks, the index has {chunkCount}");
        }

        var relationCount = reader.ReadInt32();
        if (relationCount < 0 || relationCount > 100_000_000)
        {
            throw new InvalidDataException($"implausible relation count {relationCount}");
        }

        var roles = new ChunkRole[count];
        for (var i = 0; i < count; i++)
        {
            roles[i] = (ChunkRole)reader.ReadByte();
        }

        var offsets = new int[count + 1];
        for (var i = 0; i <= count; i++)
        {
            offsets[i] = reader.ReadInt32();
        }

        var targets = new int[relationCount];
        for (var i = 0; i < relationCount; i++)
        {
            targets[i] = reader.ReadInt32();
        }

        var kinds = new ChunkRelationKind[relationCount];
        for (var i = 0; i < relationCount; i++)
        {
            kinds[i] = (ChunkRelationKind)reader.ReadByte();
        }

        return new ChunkRelations(offsets, targets, kinds, roles);
    }
}
