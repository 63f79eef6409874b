using System.Collections.Immutable;
using StructuralChunking.Chunking;
using StructuralChunking.Graph;
using StructuralChunking.Identifiers;

namespace StructuralChunking.Indexing;

/// <summary>
/// Query-time graph ranking: moves a damped share of the score of declaration-like hits to the code that acts on them.
/// </summary>
/// <remarks>
/// <para>A question about behaviour ("how is a reference loop handled") is often matched best by the declaration whose
/// doc comment names the behaviour (a settings property, an enum member, an exception type, an interface member), not
/// by the undocumented method that performs it. After first-stage fusion, each of the best <see cref="Seeds"/>
/// definitions passes on score along the relations its role allows: a <see cref="ChunkRole.Declaration"/> that holds
/// data (property, field, enum member) to its readers, a declared type to its users, a body-less declaration to its
/// implementations, a <see cref="ChunkRole.Forwarder"/> to what it forwards to.</para>
/// <para>Readers and users receive <c>weight × (score − floor) / √n</c> (n: the seed's receivers), scaled by a "does work"
/// prior: 0 for declarations and test code, growing with the square root of the definition's line count up to 1 at
/// <see cref="FullWorkLines"/> lines. The floor is the score of the first definition after the seeds (the last one
/// in a smaller list): fused scores are compressed, and a seed that barely made the list passes on next to nothing.
/// A receiver keeps its largest share, not the sum (a method that raises ten exception types is not ten times as
/// relevant). Implementations and forwarding targets instead inherit the seed's score (scaled the same way), so they
/// land just above what led to them. One hop only.</para>
/// <para>A seed that passed score on is then multiplied by the declaration weight (<see cref="Search.SearchOptions.DeclarationWeight"/>,
/// 0.8 by default): it describes the code that received its score, and a question is more often about the code that
/// performs a behaviour than about the setting that names it. Every other candidate that only describes (data, an enum,
/// an interface or a body-less member, a delegate, a type alias) steps back by the same factor, whether or not code
/// acting on it was found; a class, struct, record or module-level value only when it passed score on.</para>
/// <para>The receiver remembers its largest contribution as the reason shown with the result
/// (<c>reads JsonSerializerSettings.ReferenceLoopHandling</c>).</para>
/// <para>Cost: at most <see cref="Seeds"/> × 5 × <see cref="ChunkRelations.MaxPerKind"/> relations visited per query,
/// independent of the index size.</para>
/// </remarks>
internal sealed class GraphPropagation
{
    /// <summary>How many of the best first-stage definitions pass on score.</summary>
    public const int Seeds = 30;

    /// <summary>Line count at which a definition counts as fully "doing work".</summary>
    public const int FullWorkLines = 16;

    /// <summary>How far above its declaration an implementation that inherits the declaration's score lands.</summary>
    private const double InheritEpsilon = 1e-6;

    private readonly ChunkRecords _chunks;
    private readonly ChunkRelations _relations;
    private readonly float[] _work;
    private readonly int[] _nextPart;

    public GraphPropagation(ChunkRecords chunks, ChunkRelations relations, Func<int, (int Start, int End)> groupSpan)
    {
        _chunks = chunks;
        _relations = relations;
        _work = new float[chunks.Count];
        _nextPart = new int[chunks.Count];

        // The parts of a definition in ordinal order; an array, not a dictionary: this runs for every chunk at load.
        var lastPart = new int[chunks.Count];
        Array.Fill(lastPart, -1);
        for (var i = 0; i < chunks.Count; i++)
        {
            _nextPart[i] = -1;
            var head = chunks.GroupHead(i);
            if (lastPart[head] is var previous and >= 0)
            {
                _nextPart[previous] = i;
            }

            lastPart[head] = i;
        }

        for (var i = 0; i < chunks.Count; i++)
        {
            // Declarations and test code do not receive score: neither is the code that does the work.
            var kind = chunks.Kind(i);
            if (chunks.GroupHead(i) != i || (relations.Role(i) & ChunkRole.Declaration) != 0 || !kind.IsCallable()
                || (chunks.Traits(i) & SymbolTraits.Test) != 0
                || kind is SymbolKind.Property or SymbolKind.Indexer or SymbolKind.Event)
            {
                continue;
            }

            var (start, end) = groupSpan(i);
            _work[i] = MathF.Min(1f, MathF.Sqrt((end - start + 1) / (float)FullWorkLines));
        }
    }

    /// <summary>The "does work" prior of the definition whose first chunk is <paramref name="head"/>, in [0, 1].</summary>
    public float Work(int head) => _work[head];

    /// <summary>
    /// Re-scores <paramref name="fused"/> (chunk ordinal → first-stage score). Returns the definitions (represented by
    /// their best chunk) with their new scores, best first, the reason for those that received a share, and for those
    /// that took the place of what led to them (an implementation, a forwarding target, an outline's member) the chunk
    /// they inherited their score from (-1 otherwise).
    /// </summary>
    /// <param name="fused">Chunk ordinal → first-stage score.</param>
    /// <param name="weight">Share of a seed's score passed to readers and users.</param>
    /// <param name="declarationWeight">Factor on the score of a seed that passed score on (see <see cref="Search.SearchOptions.DeclarationWeight"/>).</param>
    public List<(int Ordinal, double Score, string? Via, int InheritedFrom)> Apply(IReadOnlyDictionary<int, double> fused, double weight, double declarationWeight = 1)
    {
        // One entry per definition: its best part represents it.
        var groups = new Dictionary<int, (int Ordinal, double Score)>();
        foreach (var (ordinal, score) in fused)
        {
            var head = _chunks.GroupHead(ordinal);
            if (!groups.TryGetValue(head, out var current) || score > current.Score || (score == current.Score && ordinal < current.Ordinal))
            {
                groups[head] = (ordinal, score);
            }
        }

        // Additive shares (readers, users, forwarding targets) and inherited scores (implementations) per definition.
        var boosts = new Dictionary<int, Boost>();
        var passedOn = new HashSet<int>();
        if (weight > 0 && _relations.Count > 0)
        {
            var ordered = groups.OrderByDescending(g => g.Value.Score).ThenBy(g => g.Key).ToList();
            // Shares are measured above the score of the first definition that is not a seed: fused scores are compressed
            // (1/61 against 1/90), and a seed that barely made the list should pass on next to nothing.
            // With fewer definitions than that (a small code base), the last one's score is the floor.
            var floor = ordered.Count == 0 ? 0 : ordered[Math.Min(Seeds, ordered.Count - 1)].Value.Score;
            foreach (var (head, (best, score)) in ordered.Take(Seeds))
            {
                var role = _relations.Role(head);
                if (role == ChunkRole.None)
                {
                    continue;
                }

                // The definition's relations, and those of the part that matched (the readers of the members it declares).
                var (targets, kinds) = RelationsOf(head, best);
                if ((role & ChunkRole.Outline) != 0)
                {
                    // A type's outline matched: the question is about what the type does, and its member that matched best
                    // does it. That member takes the outline's place, just above it; members that did not match get nothing.
                    var member = BestMember(targets, kinds, groups);
                    if (member >= 0)
                    {
                        passedOn.Add(head);
                        var boost = boosts.GetValueOrDefault(member);
                        var inherited = score + InheritEpsilon;
                        if (inherited > boost.Inherited)
                        {
                            boost = boost with { Inherited = inherited, InheritedFrom = best };
                            if (inherited > boost.Best)
                            {
                                boost = boost with { Best = inherited, From = best, Kind = ChunkRelationKind.Member };
                            }
                        }

                        boosts[member] = boost;
                    }

                    continue;
                }

                var kind = _chunks.Kind(head);
                var passes = 0;
                for (var i = 0; i < targets.Length; i++)
                {
                    if (Passes(role, kind, kinds[i]) && _work[targets[i]] > 0)
                    {
                        passes++;
                    }
                }

                if (passes == 0)
                {
                    continue;
                }

                passedOn.Add(head);

                for (var i = 0; i < targets.Length; i++)
                {
                    var target = targets[i];
                    if (!Passes(role, kind, kinds[i]) || _work[target] <= 0)
                    {
                        continue;
                    }

                    var boost = boosts.GetValueOrDefault(target);
                    if (kinds[i] is ChunkRelationKind.Implementation or ChunkRelationKind.ForwardsTo)
                    {
                        // An implementation is what its declaration describes, and the body an overload forwards to is
                        // what the overload does: it takes the declaration's place, just above it.
                        var inherited = (score * _work[target] / Math.Sqrt(passes)) + InheritEpsilon;
                        if (inherited > boost.Inherited)
                        {
                            boost = boost with { Inherited = inherited, InheritedFrom = best };
                            if (inherited > boost.Best)
                            {
                                boost = boost with { Best = inherited, From = best, Kind = kinds[i] };
                            }
                        }
                    }
                    else
                    {
                        // The largest share counts, not their sum: a method that raises ten exception types is not
                        // ten times as relevant.
                        var amount = weight * (score - floor) * _work[target] / Math.Sqrt(passes);
                        boost = boost with { Added = Math.Max(boost.Added, amount) };
                        // Reading the very member that matched says more than using the type that declares it.
                        if (amount > boost.Best || (amount == boost.Best && kinds[i] == ChunkRelationKind.MemberReader))
                        {
                            boost = boost with { Best = amount, From = best, Kind = kinds[i] };
                        }
                    }

                    boosts[target] = boost;
                }
            }
        }

        var result = new List<(int Ordinal, double Score, string? Via, int InheritedFrom)>(groups.Count + boosts.Count);
        foreach (var (head, (ordinal, rawScore)) in groups)
        {
            // A declaration that handed score to the code acting on it describes that code: it steps back behind it. So
            // does one that describes without acting even when no code acting on it was found: a question is more
            // often about the code that performs a behaviour than about the setting, member or type that names it.
            var score = passedOn.Contains(head) || (weight > 0 && DescribesOnly(head)) ? rawScore * declarationWeight : rawScore;
            if (boosts.Remove(head, out var boost) && Math.Max(score, boost.Inherited) + boost.Added > score)
            {
                result.Add((ordinal, Math.Max(score, boost.Inherited) + boost.Added, Reason(boost.From, boost.Kind, head), boost.Inherited > score ? boost.InheritedFrom : -1));
            }
            else
            {
                result.Add((ordinal, score, null, -1));
            }
        }

        foreach (var (head, boost) in boosts)
        {
            result.Add((head, boost.Inherited + boost.Added, Reason(boost.From, boost.Kind, head), boost.Inherited > 0 ? boost.InheritedFrom : -1));
        }

        result.Sort(static (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.Ordinal.CompareTo(b.Ordinal));
        return result;
    }

    /// <summary>
    /// Whether the definition is a declaration whose own text does nothing: data, an enum, an interface or a body-less
    /// member, a delegate or a type alias. A class, struct, record or module-level value (judged like a type) counts only
    /// once it passed score on, since a small one embedded whole shows its code (a three-line <c>__call__</c> is the
    /// answer to a question about its class).
    /// </summary>
    private bool DescribesOnly(int head) => (_relations.Role(head) & ChunkRole.Declaration) != 0
        && _chunks.Kind(head) is not (SymbolKind.Class or SymbolKind.Struct or SymbolKind.Record or SymbolKind.Variable);

    /// <summary>The member (a <see cref="ChunkRelationKind.Member"/> target that does work) with the best first-stage score, or -1.</summary>
    private int BestMember(int[] targets, ChunkRelationKind[] kinds, Dictionary<int, (int Ordinal, double Score)> groups)
    {
        var best = -1;
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < targets.Length; i++)
        {
            if (kinds[i] == ChunkRelationKind.Member && _work[targets[i]] > 0 && groups.TryGetValue(targets[i], out var entry)
                && (entry.Score > bestScore || (entry.Score == bestScore && targets[i] < best)))
            {
                best = targets[i];
                bestScore = entry.Score;
            }
        }

        return best;
    }

    private (int[] Targets, ChunkRelationKind[] Kinds) RelationsOf(int head, int part)
    {
        var targets = _relations.Targets(head);
        var kinds = _relations.Kinds(head);
        if (part == head || _relations.Targets(part).IsEmpty)
        {
            return (targets.ToArray(), kinds.ToArray());
        }

        return ([.. targets, .. _relations.Targets(part)], [.. kinds, .. _relations.Kinds(part)]);
    }

    /// <summary>
    /// What a definition received: additive shares, the best inherited score and the chunk it came from
    /// (<see cref="InheritedFrom"/> means something only while <see cref="Inherited"/> is above 0), and the largest
    /// contribution.
    /// </summary>
    private readonly record struct Boost(double Added, double Inherited, double Best, int From, ChunkRelationKind Kind, int InheritedFrom);

    /// <summary>
    /// Which relations pass score: a property or field to its readers, a type to its users, a declaration to its
    /// implementations, a forwarder to what it forwards to. Callers of a method are not what the method describes.
    /// </summary>
    private static bool Passes(ChunkRole role, SymbolKind seedKind, ChunkRelationKind kind) => kind switch
    {
        ChunkRelationKind.Caller => (role & ChunkRole.Declaration) != 0 && IsData(seedKind),
        ChunkRelationKind.User => (role & ChunkRole.Declaration) != 0 && seedKind.IsType(),
        ChunkRelationKind.Implementation => (role & ChunkRole.Declaration) != 0,
        ChunkRelationKind.ForwardsTo => (role & ChunkRole.Forwarder) != 0,
        ChunkRelationKind.MemberReader => (role & ChunkRole.Declaration) != 0,
        _ => false,
    };

    private static bool IsData(SymbolKind kind) => kind is SymbolKind.Property or SymbolKind.Field or SymbolKind.Indexer
        or SymbolKind.Event or SymbolKind.EnumMember or SymbolKind.Variable;

    /// <summary>Why a definition received score: its relation to the declaration or forwarder that passed it on.</summary>
    private string Reason(int from, ChunkRelationKind kind, int receiver)
    {
        var source = _chunks[from];
        var name = ShortName(source.SymbolName ?? source.Path);
        return kind switch
        {
            ChunkRelationKind.MemberReader => "reads " + ReadMember(source, receiver, name),
            ChunkRelationKind.Member => "member of " + name,
            ChunkRelationKind.Caller when IsData(source.SymbolKind) => "reads " + name,
            ChunkRelationKind.Caller => "calls " + name,
            ChunkRelationKind.User => "uses " + name,
            ChunkRelationKind.Implementation => "implements " + name,
            _ => name + " forwards to it",
        };
    }

    /// <summary><c>Type.member</c> for the first member <paramref name="source"/> declares that the receiver spells, else the type's name.</summary>
    private string ReadMember(CodeChunk source, int receiver, string typeName)
    {
        var simple = typeName[(typeName.LastIndexOf('.') + 1)..];
        var members = DeclaredMemberNames.Find(source.DisplayText);
        for (var part = receiver; part >= 0; part = _nextPart[part])
        {
            var text = _chunks[part].DisplayText;
            foreach (var range in IdentifierSplitter.EnumerateIdentifiers(text))
            {
                var identifier = text.AsSpan()[range];
                foreach (var member in members)
                {
                    if (identifier.SequenceEqual(member))
                    {
                        return simple + "." + member;
                    }
                }
            }
        }

        return simple;
    }

    /// <summary>The last two parts of a qualified name (<c>JsonSerializerSettings.ReferenceLoopHandling</c>).</summary>
    internal static string ShortName(string qualifiedName)
    {
        var generic = qualifiedName.IndexOf('<', StringComparison.Ordinal);
        var end = generic > 0 ? generic : qualifiedName.Length;
        var last = qualifiedName.LastIndexOf('.', end - 1);
        if (last <= 0)
        {
            return qualifiedName;
        }

        var previous = qualifiedName.LastIndexOf('.', last - 1);
        return qualifiedName[(previous + 1)..];
    }
}
