using StructuralChunking.Graph;

namespace StructuralChunking.Tests.Graph;

public sealed class CodeGraphTests
{
    private static CodeSymbol Symbol(string qualifiedName, SymbolKind kind, string path, int startLine, int endLine, SymbolId? parent = null, string? signature = null)
    {
        var name = qualifiedName[(qualifiedName.LastIndexOf('.') + 1)..];
        return new CodeSymbol
        {
            Id = SymbolId.Create("csharp", qualifiedName, signature),
            Name = name,
            QualifiedName = qualifiedName,
            Kind = kind,
            Language = "csharp",
            Location = new SourceLocation(path, startLine, endLine, startLine * 100, endLine * 100 + 50),
            Signature = signature,
            ParentId = parent,
        };
    }

    private static CodeSymbol External(string qualifiedName, SymbolKind kind) => new()
    {
        Id = SymbolId.Create("csharp", qualifiedName),
        Name = qualifiedName[(qualifiedName.LastIndexOf('.') + 1)..],
        QualifiedName = qualifiedName,
        Kind = kind,
        Language = "csharp",
        Traits = SymbolTraits.External,
    };

    [Fact]
    public void SymbolId_is_derived_from_language_name_and_signature()
    {
        var a = SymbolId.Create("csharp", "Shop.OrderService.PlaceOrder", "(Order)");
        var again = SymbolId.Create("csharp", "Shop.OrderService.PlaceOrder", "(Order)");
        var overload = SymbolId.Create("csharp", "Shop.OrderService.PlaceOrder", "(Order, bool)");
        var otherLanguage = SymbolId.Create("python", "Shop.OrderService.PlaceOrder", "(Order)");

        Assert.Equal(a, again);
        Assert.NotEqual(a, overload);
        Assert.NotEqual(a, otherLanguage);
        Assert.Matches("^[0-9a-f]{16}$", a.Value);
        // Pinned to literals computed outside .NET (Python: sha256("csharp\x1fShop.OrderService.PlaceOrder\x1f(Order)")
        // .hexdigest()[:16]), so a change to the derivation, which would orphan every stored index, fails here.
        Assert.Equal("176853d82de70353", a.Value);
        Assert.Equal("3f2c35fca4caa8c5", SymbolId.Create("python", "auth.tokens.read_bearer_token").Value);
        Assert.Equal(SymbolId.Parse(a.Value), a);
    }

    [Fact]
    public void SymbolId_parts_are_delimited()
    {
        Assert.NotEqual(SymbolId.Create("csharp", "ab", "c"), SymbolId.Create("csharp", "a", "bc"));
        Assert.NotEqual(SymbolId.Create("csharp", "A.B"), SymbolId.Create("csharp", "A.B", "()"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0123456789ABCDEF")]
    [InlineData("0123456789abcde")]
    [InlineData("0123456789abcdeg")]
    public void SymbolId_parse_rejects_malformed_values(string value) =>
        Assert.Throws<FormatException>(() => SymbolId.Parse(value));

    [Fact]
    public void Queries_return_callers_callees_members_and_implementations_in_source_order()
    {
        var ns = Symbol("Shop", SymbolKind.Namespace, "Shop/IOrderService.cs", 1, 40);
        var iface = Symbol("Shop.IOrderService", SymbolKind.Interface, "Shop/IOrderService.cs", 3, 8, ns.Id);
        var ifaceMethod = Symbol("Shop.IOrderService.PlaceOrder", SymbolKind.Method, "Shop/IOrderService.cs", 5, 5, iface.Id, "(Order)");
        var type = Symbol("Shop.OrderService", SymbolKind.Class, "Shop/OrderService.cs", 3, 40, ns.Id);
        var place = Symbol("Shop.OrderService.PlaceOrder", SymbolKind.Method, "Shop/OrderService.cs", 10, 20, type.Id, "(Order)");
        var validate = Symbol("Shop.OrderService.Validate", SymbolKind.Method, "Shop/OrderService.cs", 22, 30, type.Id, "(Order)");
        var save = Symbol("Shop.OrderService.Save", SymbolKind.Method, "Shop/OrderService.cs", 32, 38, type.Id, "(Order)");
        var log = External("System.Console.WriteLine", SymbolKind.Method);

        var builder = new CodeGraphBuilder();
        // Added out of order on purpose: the graph orders by location, not by insertion.
        foreach (var s in new[] { save, log, place, ifaceMethod, validate, type, iface, ns })
        {
            builder.AddSymbol(s);
        }

        builder.AddEdge(ns.Id, type.Id, EdgeKind.Contains);
        builder.AddEdge(ns.Id, iface.Id, EdgeKind.Contains);
        builder.AddEdge(type.Id, save.Id, EdgeKind.Contains);
        builder.AddEdge(type.Id, place.Id, EdgeKind.Contains);
        builder.AddEdge(type.Id, validate.Id, EdgeKind.Contains);
        builder.AddEdge(place.Id, save.Id, EdgeKind.Calls);
        builder.AddEdge(place.Id, validate.Id, EdgeKind.Calls);
        builder.AddEdge(place.Id, log.Id, EdgeKind.Calls);
        builder.AddEdge(save.Id, log.Id, EdgeKind.Calls);
        builder.AddEdge(type.Id, iface.Id, EdgeKind.Implements);
        builder.AddEdge(place.Id, ifaceMethod.Id, EdgeKind.Implements);
        var graph = builder.Build();

        Assert.Equal(["Shop", "Shop.IOrderService", "Shop.IOrderService.PlaceOrder", "Shop.OrderService", "Shop.OrderService.PlaceOrder",
            "Shop.OrderService.Validate", "Shop.OrderService.Save", "System.Console.WriteLine"],
            graph.Symbols.Select(s => s.QualifiedName));
        Assert.Equal(["Validate", "Save", "WriteLine"], graph.Callees(place.Id).Select(s => s.Name));
        Assert.Equal(["PlaceOrder", "Save"], graph.Callers(log.Id).Select(s => s.Name));
        Assert.Equal(["PlaceOrder", "Validate", "Save"], graph.Members(type.Id).Select(s => s.Name));
        Assert.Equal(type, Assert.Single(graph.Implementations(iface.Id)));
        Assert.Equal(place, Assert.Single(graph.Implementations(ifaceMethod.Id)));
        Assert.Equal(ifaceMethod, Assert.Single(graph.Implemented(place.Id)));
        Assert.Equal(type, graph.Parent(place.Id));
        Assert.Equal(["Shop", "OrderService", "PlaceOrder"], graph.ScopeChain(place.Id).Select(s => s.Name));
        Assert.Empty(graph.Callers(place.Id));
        Assert.True(graph[log.Id].IsExternal);
    }

    [Fact]
    public void Build_is_deterministic_whatever_the_insertion_order()
    {
        var symbols = Enumerable.Range(0, 50)
            .Select(i => Symbol($"N.T{i % 5}.M{i}", SymbolKind.Method, $"f{i % 7}.cs", (i % 11) + 1, (i % 11) + 3))
            .ToArray();
        var edges = Enumerable.Range(0, 200)
            .Select(i => new CodeEdge(symbols[i % 50].Id, symbols[(i * 7 + 3) % 50].Id, (EdgeKind)(i % 7)))
            .ToArray();

        CodeGraph BuildShuffled(int seed)
        {
            var random = new Random(seed);
            var builder = new CodeGraphBuilder();
            foreach (var s in symbols.OrderBy(_ => random.Next()))
            {
                builder.AddSymbol(s);
            }

            foreach (var e in edges.OrderBy(_ => random.Next()))
            {
                builder.AddEdge(e);
            }

            return builder.Build();
        }

        var first = BuildShuffled(1);
        var second = BuildShuffled(2);
        Assert.Equal(first.Symbols.Select(s => s.QualifiedName), second.Symbols.Select(s => s.QualifiedName));
        Assert.Equal(first.Edges.ToArray(), second.Edges.ToArray());
    }

    [Fact]
    public void Duplicate_edges_keep_the_highest_weight()
    {
        var a = Symbol("A.F", SymbolKind.Function, "a.py", 1, 2);
        var b = Symbol("B.G", SymbolKind.Function, "b.py", 1, 2);
        var builder = new CodeGraphBuilder();
        builder.AddSymbol(a);
        builder.AddSymbol(b);
        builder.AddEdge(a.Id, b.Id, EdgeKind.Calls, 0.5f);
        builder.AddEdge(a.Id, b.Id, EdgeKind.Calls, 1f);
        builder.AddEdge(a.Id, b.Id, EdgeKind.Calls, 0.25f);

        var edge = Assert.Single(builder.Build().Edges);
        Assert.Equal(1f, edge.Weight);
    }

    [Fact]
    public void Partial_declarations_merge_into_one_symbol_with_several_locations()
    {
        var part2 = Symbol("Shop.Cart", SymbolKind.Class, "Shop/CartTotals.cs", 3, 30) with { Documentation = "A cart." };
        var part1 = Symbol("Shop.Cart", SymbolKind.Class, "Shop/Cart.cs", 5, 50) with { Traits = SymbolTraits.Generated };
        var builder = new CodeGraphBuilder();
        Assert.True(builder.AddSymbol(part2));
        Assert.False(builder.AddSymbol(part1));
        Assert.False(builder.AddSymbol(part1));

        var cart = Assert.Single(builder.Build().Symbols);
        Assert.Equal("Shop/Cart.cs", cart.Path);
        Assert.Equal(["Shop/Cart.cs", "Shop/CartTotals.cs"], cart.AllLocations.Select(l => l.Path));
        Assert.Equal("A cart.", cart.Documentation);
        // One hand-written part makes the type hand-written.
        Assert.Equal(SymbolTraits.None, cart.Traits);
    }

    [Fact]
    public void A_declaration_replaces_an_external_placeholder()
    {
        var placeholder = External("Shop.Cart", SymbolKind.Class);
        var declared = Symbol("Shop.Cart", SymbolKind.Class, "Shop/Cart.cs", 1, 9);
        var builder = new CodeGraphBuilder();
        builder.AddSymbol(placeholder);
        builder.AddSymbol(declared);
        builder.AddSymbol(placeholder);

        var cart = Assert.Single(builder.Build().Symbols);
        Assert.False(cart.IsExternal);
        Assert.Equal("Shop/Cart.cs", cart.Path);
    }

    [Fact]
    public void A_generated_declaration_stays_generated_when_a_reference_from_hand_written_code_came_first()
    {
        // The designer file's InitializeComponent, called from the form's hand-written constructor parsed before it.
        var placeholder = External("Shop.OrderForm.InitializeComponent", SymbolKind.Method);
        var declared = Symbol("Shop.OrderForm.InitializeComponent", SymbolKind.Method, "Shop/OrderForm.Designer.cs", 20, 90) with { Traits = SymbolTraits.Generated };
        var builder = new CodeGraphBuilder();
        builder.AddSymbol(placeholder);
        builder.AddSymbol(declared);

        var method = Assert.Single(builder.Build().Symbols);
        Assert.Equal(SymbolTraits.Generated, method.Traits);
        Assert.Equal("Shop/OrderForm.Designer.cs", method.Path);
    }

    [Fact]
    public void Edges_to_unknown_symbols_are_reported_not_dropped()
    {
        var a = Symbol("A.F", SymbolKind.Function, "a.py", 1, 2);
        var builder = new CodeGraphBuilder();
        builder.AddSymbol(a);
        builder.AddEdge(a.Id, SymbolId.Create("python", "Missing.G"), EdgeKind.Calls);

        var error = Assert.Throws<InvalidOperationException>(builder.Build);
        Assert.Contains("1 edge(s)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(5, 4)]
    public void Invalid_locations_are_rejected(int startLine, int endLine)
    {
        var builder = new CodeGraphBuilder();
        var symbol = Symbol("A.F", SymbolKind.Function, "a.py", 1, 1) with { Location = new SourceLocation("a.py", startLine, endLine, 0, 1) };
        Assert.Throws<ArgumentException>(() => builder.AddSymbol(symbol));
    }

    [Fact]
    public void Merging_graphs_of_two_languages_yields_one_graph()
    {
        var py = new CodeGraphBuilder();
        py.AddSymbol(Symbol("auth.verify", SymbolKind.Function, "auth.py", 1, 3));
        var js = new CodeGraphBuilder();
        js.AddSymbol(Symbol("ui.render", SymbolKind.Function, "ui.js", 1, 3));

        var merged = new CodeGraphBuilder();
        merged.AddGraph(py.Build());
        merged.AddGraph(js.Build());

        Assert.Equal(["auth.py", "ui.js"], merged.Build().Symbols.Select(s => s.Path));
    }

    [Fact]
    public void Kinds_have_lower_case_wire_names_that_round_trip()
    {
        foreach (var kind in Enum.GetValues<SymbolKind>())
        {
            var wire = kind.ToWireName();
            Assert.Equal(wire.ToLowerInvariant(), wire);
            Assert.True(SymbolKindExtensions.TryParseWireName(wire.ToUpperInvariant(), out var parsed));
            Assert.Equal(kind, parsed);
        }

        Assert.Equal(["contains", "calls", "implements", "inherits", "overrides", "references", "imports"],
            Enum.GetValues<EdgeKind>().Select(k => k.ToWireName()));
    }
}
