using StructuralChunking.Graph;
using StructuralChunking.Roslyn;

namespace StructuralChunking.Tests.Roslyn;

public sealed class CSharpGraphLoaderTests(ShopSolutionFixture shop) : IClassFixture<ShopSolutionFixture>
{
    private CodeGraph Graph => shop.Solution.Graph;

    [Fact]
    public void Solution_is_read_from_its_project_files_with_all_projects()
    {
        Assert.Equal(CSharpLoadMode.ProjectFiles, shop.Solution.Mode);
        Assert.Equal(3, shop.Solution.ProjectCount);
        // 13 source files, one generated (OrderDto.g.cs).
        Assert.Equal(12, Graph.Symbols.Where(s => !s.IsExternal && (s.Traits & SymbolTraits.Generated) == 0 && s.Kind != SymbolKind.Namespace)
            .SelectMany(s => s.AllLocations).Select(l => l.Path).Distinct().Count());
        Assert.Equal(13, shop.Solution.DocumentCount);
    }

    [Fact]
    public void Trusted_msbuild_load_and_static_read_give_the_same_graph_of_own_code()
    {
        var trusted = shop.TrustedSolution;
        Assert.Equal(CSharpLoadMode.MSBuild, trusted.Mode);
        Assert.Equal(3, trusted.ProjectCount);
        static HashSet<SymbolId> Own(CodeGraph graph) => graph.Symbols.Where(s => !s.IsExternal).Select(s => s.Id).ToHashSet();
        var own = Own(Graph);
        Assert.Equal(own, Own(trusted.Graph));
        Assert.Equal(
            trusted.Graph.Edges.Where(e => own.Contains(e.From) && own.Contains(e.To)).OrderBy(e => e.ToString(), StringComparer.Ordinal),
            Graph.Edges.Where(e => own.Contains(e.From) && own.Contains(e.To)).OrderBy(e => e.ToString(), StringComparer.Ordinal));
    }

    [Fact]
    public void Unrestored_package_reference_is_reported_and_does_not_stop_the_graph()
    {
        Assert.Contains(shop.Solution.Diagnostics, d => d.Message.Contains("not restored", StringComparison.Ordinal) && d.Path == "src/Shop.Web/Shop.Web.csproj");
        Graph.AssertEdge("Shop.Web.Orders.OrderService.PlaceOrder", "Shop.Core.Orders.IOrderRepository.Save", EdgeKind.Calls);
    }

    [Fact]
    public void Declarations_become_symbols_with_kinds_paths_lines_and_docs()
    {
        var service = Graph.Symbol("Shop.Web.Orders.OrderService");
        Assert.Equal(SymbolKind.Class, service.Kind);
        Assert.Equal("csharp", service.Language);
        Assert.Equal("src/Shop.Web/Orders/OrderService.cs", service.Path);
        Assert.Equal(7, service.StartLine);
        Assert.Equal(34, service.EndLine);
        Assert.Equal("Places orders for the web shop.", service.Documentation);
        Assert.Equal("public sealed class OrderService : OrderServiceBase", service.Signature);

        var place = Graph.Symbol("Shop.Web.Orders.OrderService.PlaceOrder");
        Assert.Equal(SymbolKind.Method, place.Kind);
        Assert.Equal(service.Id, place.ParentId);
        Assert.Equal("public override int PlaceOrder(Order order)", place.Signature);
        Assert.Equal(17, place.StartLine);

        Assert.Equal(SymbolKind.Record, Graph.Symbol("Shop.Core.Orders.Order").Kind);
        Assert.Equal(SymbolKind.Interface, Graph.Symbol("Shop.Core.Orders.IOrderRepository").Kind);
        Assert.Equal(SymbolKind.Property, Graph.Symbol("Shop.Core.Orders.Order.Total").Kind);
        Assert.Equal(SymbolKind.Namespace, Graph.Symbol("Shop.Core.Orders").Kind);
        Assert.Equal(SymbolKind.Field, Graph.Symbol("Shop.Web.Orders.OrderService._prices").Kind);
        Assert.Equal("Saves an order and returns its id.", Graph.Symbol("Shop.Core.Orders.IOrderRepository.Save").Documentation);
    }

    [Fact]
    public void Local_function_is_a_child_of_its_method()
    {
        var local = Graph.Symbol("Shop.Web.Orders.OrderService.PlaceOrder.LookUpPrice");
        Assert.Equal(SymbolKind.LocalFunction, local.Kind);
        Assert.Equal(Graph.Symbol("Shop.Web.Orders.OrderService.PlaceOrder").Id, local.ParentId);
        Graph.AssertEdge("Shop.Web.Orders.OrderService.PlaceOrder", "Shop.Web.Orders.OrderService.PlaceOrder.LookUpPrice", EdgeKind.Contains);
    }

    [Fact]
    public void Partial_class_is_one_symbol_with_two_locations()
    {
        var calculator = Graph.Symbol("Shop.Core.Pricing.PriceCalculator");
        Assert.Equal(["src/Shop.Core/Pricing/PriceCalculator.Discounts.cs", "src/Shop.Core/Pricing/PriceCalculator.cs"],
            calculator.AllLocations.Select(l => l.Path));
        Assert.Equal(["Shop.Core.Pricing.PriceCalculator.ApplyDiscount", "Shop.Core.Pricing.PriceCalculator.Discount", "Shop.Core.Pricing.PriceCalculator.Net"],
            Graph.Members(calculator.Id).Select(s => s.QualifiedName).Order(StringComparer.Ordinal));
        // Calls across the two parts resolve.
        Graph.AssertEdge("Shop.Core.Pricing.PriceCalculator.Net", "Shop.Core.Pricing.PriceCalculator.ApplyDiscount", EdgeKind.Calls);
        Graph.AssertEdge("Shop.Core.Pricing.PriceCalculator.ApplyDiscount", "Shop.Core.Pricing.PriceCalculator.Discount", EdgeKind.Calls);
    }

    [Fact]
    public void Calls_are_resolved_semantically_across_projects()
    {
        const string place = "Shop.Web.Orders.OrderService.PlaceOrder";
        Graph.AssertEdge(place, "Shop.Web.Orders.OrderService.Validate", EdgeKind.Calls);
        // Extension method called inside a lambda: attributed to the enclosing method, recorded against the static method.
        Graph.AssertEdge(place, "Shop.Core.Pricing.StringExtensions.NormalizeSku", EdgeKind.Calls);
        // Generic method on a constructed type: recorded against the definition.
        Graph.AssertEdge(place, "Shop.Core.Pricing.Cache<TKey, TValue>.GetOrAdd", EdgeKind.Calls);
        // Method group passed as a delegate.
        Graph.AssertEdge(place, "Shop.Web.Orders.OrderService.PlaceOrder.LookUpPrice", EdgeKind.Calls);
        // Call through an interface: recorded against the declared target.
        Graph.AssertEdge(place, "Shop.Core.Orders.IOrderRepository.Save", EdgeKind.Calls);
        // Property accessor of our own property.
        Graph.AssertEdge(place, "Shop.Core.Orders.OrderServiceBase.Repository", EdgeKind.Calls);
        // base.Validate(...) and the base constructor initializer.
        Graph.AssertEdge("Shop.Web.Orders.OrderService.Validate", "Shop.Core.Orders.OrderServiceBase.Validate", EdgeKind.Calls);
        Graph.AssertEdge("Shop.Web.Orders.OrderService.OrderService", "Shop.Core.Orders.OrderServiceBase.OrderServiceBase", EdgeKind.Calls);
        // Object creation in a field initializer: the constructor of the generic type.
        Graph.AssertEdge("Shop.Web.Orders.OrderService._prices", "Shop.Core.Pricing.Cache<TKey, TValue>.Cache", EdgeKind.Calls);
        // Cross-project target is the defining project's symbol, not a placeholder.
        var save = Graph.Symbol("Shop.Core.Orders.IOrderRepository.Save");
        Assert.False(save.IsExternal);
        Assert.Equal("src/Shop.Core/Orders/IOrderRepository.cs", save.Path);
    }

    [Fact]
    public void External_calls_point_to_external_symbols()
    {
        var targets = Graph.Targets("Shop.Web.Orders.OrderService.PlaceOrder", EdgeKind.Calls);
        Assert.Contains("System.ArgumentException.ArgumentException", targets);
        Assert.True(Graph.Symbol("System.ArgumentException.ArgumentException").IsExternal);
    }

    [Fact]
    public void Inheritance_overrides_and_implementations_are_edges()
    {
        Graph.AssertEdge("Shop.Web.Orders.OrderService", "Shop.Core.Orders.OrderServiceBase", EdgeKind.Inherits);
        Graph.AssertEdge("Shop.Web.Orders.OrderService.Validate", "Shop.Core.Orders.OrderServiceBase.Validate", EdgeKind.Overrides);
        Graph.AssertEdge("Shop.Web.Orders.OrderService.PlaceOrder", "Shop.Core.Orders.OrderServiceBase.PlaceOrder", EdgeKind.Overrides);
        Graph.AssertEdge("Shop.Web.Orders.InMemoryOrderRepository", "Shop.Core.Orders.IOrderRepository", EdgeKind.Implements);
        // Implicit implementation.
        Graph.AssertEdge("Shop.Web.Orders.InMemoryOrderRepository.Save", "Shop.Core.Orders.IOrderRepository.Save", EdgeKind.Implements);
        // Explicit implementation.
        var repository = Graph.Symbol("Shop.Web.Orders.InMemoryOrderRepository");
        var explicitFind = Assert.Single(Graph.Members(repository.Id), s => s.Name.EndsWith("Find", StringComparison.Ordinal));
        Assert.Contains(Graph.Implemented(explicitFind.Id), s => s.QualifiedName == "Shop.Core.Orders.IOrderRepository.Find");
        Assert.Equal(2, Graph.Implementations(Graph.Symbol("Shop.Core.Orders.IOrderRepository").Id).Length +
            Graph.Implementations(Graph.Symbol("Shop.Core.Orders.IOrderRepository.Save").Id).Length);
    }

    [Fact]
    public void Type_usage_is_a_references_edge()
    {
        Graph.AssertEdge("Shop.Core.Orders.IOrderRepository.Save", "Shop.Core.Orders.Order", EdgeKind.References);
        Graph.AssertEdge("Shop.Web.Orders.OrderService.OrderService", "Shop.Core.Orders.IOrderRepository", EdgeKind.References);
    }

    [Fact]
    public void Seed_example_middlewares_both_call_the_shared_token_reader()
    {
        const string reader = "Shop.Web.Auth.Middleware.TokenReader.ReadBearerToken";
        Graph.AssertEdge("Shop.Web.Auth.Middleware.AdminJwtValidator.UseAdminJwtValidationMiddleware", reader, EdgeKind.Calls);
        Graph.AssertEdge("Shop.Web.Auth.Middleware.UserJwtValidator.UseUserJwtValidationMiddleware", reader, EdgeKind.Calls);
        Assert.Equal(["Shop.Web.Auth.Middleware.AdminJwtValidator.UseAdminJwtValidationMiddleware", "Shop.Web.Auth.Middleware.UserJwtValidator.UseUserJwtValidationMiddleware"],
            Graph.Callers(Graph.Symbol(reader).Id).Select(s => s.QualifiedName));
        Assert.Equal("src/Shop.Web/auth/middleware/admin_jwt_validator.cs", Graph.Symbol("Shop.Web.Auth.Middleware.AdminJwtValidator").Path);
    }

    [Fact]
    public void Generated_and_test_code_are_tagged()
    {
        Assert.Equal(SymbolTraits.Generated, Graph.Symbol("Shop.Web.Orders.OrderDto").Traits);
        Assert.Equal(SymbolTraits.Test, Graph.Symbol("Shop.Core.Tests.PriceCalculatorChecks").Traits);
        Assert.Equal(SymbolTraits.None, Graph.Symbol("Shop.Web.Orders.OrderService").Traits);
    }

    [Fact]
    public void Ad_hoc_folder_load_resolves_the_same_symbols_and_edges()
    {
        var adHoc = shop.AdHoc.Graph;
        Assert.Equal(CSharpLoadMode.AdHoc, shop.AdHoc.Mode);
        Assert.Equal("Shop.Web/auth/middleware/admin_jwt_validator.cs", adHoc.Symbol("Shop.Web.Auth.Middleware.AdminJwtValidator").Path);
        // Ids depend on names and signatures only, so both paths agree on them.
        var fromSolution = Graph.Symbols.Where(s => !s.IsExternal && s.Path!.StartsWith("src/", StringComparison.Ordinal)).Select(s => s.Id).ToHashSet();
        var fromFolder = adHoc.Symbols.Where(s => !s.IsExternal).Select(s => s.Id).ToHashSet();
        Assert.Subset(fromSolution, fromFolder);
        adHoc.AssertEdge("Shop.Web.Orders.OrderService.PlaceOrder", "Shop.Core.Orders.IOrderRepository.Save", EdgeKind.Calls);
        adHoc.AssertEdge("Shop.Web.Orders.InMemoryOrderRepository.Save", "Shop.Core.Orders.IOrderRepository.Save", EdgeKind.Implements);
    }

    [Fact]
    public async Task Loading_twice_gives_identical_graphs()
    {
        var again = await CSharpGraphLoader.LoadAsync(Path.GetDirectoryName(ShopSolutionFixture.SolutionPath)! + "/src");
        Assert.Equal(shop.AdHoc.Graph.Symbols.Select(s => (s.Id, s.Location)), again.Graph.Symbols.Select(s => (s.Id, s.Location)));
        Assert.Equal(shop.AdHoc.Graph.Edges.ToArray(), again.Graph.Edges.ToArray());
    }
}
