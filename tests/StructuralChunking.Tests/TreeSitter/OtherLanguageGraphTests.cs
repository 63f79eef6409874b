using StructuralChunking.Graph;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.TreeSitter;

/// <summary>One small fixture per further language: definitions, nesting, bases, imports and cross-file calls.</summary>
public sealed class OtherLanguageGraphTests
{
    private static CodeGraph Load(string fixture, params string[] languages) =>
        TreeSitterTestSupport.Load(RepositoryPaths.Fixture(fixture), languages).Graph;

    [Fact]
    public void Go_package_calls_and_receiver_methods()
    {
        var graph = Load("go", "go");
        graph.AssertDefinition("server/server.Server", SymbolKind.Struct, 8, 10);
        graph.AssertDefinition("server/server.Handler", SymbolKind.Interface, 12, 14);
        graph.AssertDefinition("server/server.Server.Start", SymbolKind.Method, 17, 19);
        Assert.Equal("Start runs the server.", graph.Symbol("server/server.Server.Start").Documentation);
        Assert.Equal(graph.Symbol("server/server.Server").Id, graph.Symbol("server/server.Server.Start").ParentId);
        graph.AssertEdge("server/server.Server.Start", "server/server.Server.route"); // s.route: the receiver
        graph.AssertEdge("server/server.Server.Start", "util/strings.Normalize"); // util.Normalize: imported package
        graph.AssertEdge("server/server.Server.route", "server/router.NewRouter"); // same package, other file
        graph.AssertEdge("server/router.Router", "server/router.Router.Match", EdgeKind.Contains);
        graph.AssertEdge("server/server", "util/strings", EdgeKind.Imports);
    }

    [Fact]
    public void Java_classes_constructors_bases_and_inherited_calls()
    {
        var graph = Load("java", "java");
        graph.AssertDefinition("com/shop/Inventory.Inventory", SymbolKind.Class, 8, 22);
        graph.AssertDefinition("com/shop/Inventory.Inventory.Inventory", SymbolKind.Constructor, 12, 13);
        Assert.Equal("Creates an empty inventory.", graph.Symbol("com/shop/Inventory.Inventory.Inventory").Documentation);
        graph.AssertEdge("com/shop/Inventory.Inventory", "com/shop/Inventory.Countable", EdgeKind.Implements);
        graph.AssertEdge("com/shop/Store.Store", "com/shop/Store.BaseStore", EdgeKind.Inherits);
        graph.AssertEdge("com/shop/Inventory.Inventory.count", "com/shop/Inventory.Inventory.extra"); // implicit this
        graph.AssertEdge("com/shop/Store.Store.capacity", "com/shop/Store.BaseStore.size"); // inherited
        graph.AssertEdge("com/shop/Inventory.Inventory", "com/shop/Store.Store"); // new Store()
    }

    [Fact]
    public void Rust_impl_methods_traits_and_paths()
    {
        var graph = Load("rust", "rust");
        graph.AssertDefinition("src/shapes.Circle", SymbolKind.Struct, 3, 5);
        graph.AssertDefinition("src/shapes.Circle.new", SymbolKind.Method, 9, 11);
        Assert.Equal(graph.Symbol("src/shapes.Circle").Id, graph.Symbol("src/shapes.Circle.new").ParentId);
        graph.AssertDefinition("src/lib.Area", SymbolKind.Interface, 6, 8);
        graph.AssertEdge("src/shapes.Circle", "src/lib.Area", EdgeKind.Implements); // impl Area for Circle
        graph.AssertEdge("src/lib.helper", "src/shapes.Circle.new"); // Circle::new
        graph.AssertEdge("src/lib.total", "src/lib.helper");
    }

    [Fact]
    public void TypeScript_and_tsx_interfaces_implements_and_imports()
    {
        var graph = Load("typescript", "typescript", "tsx");
        graph.AssertDefinition("src/repo.Repository", SymbolKind.Interface, 1, 3);
        graph.AssertDefinition("src/repo.MemoryRepository", SymbolKind.Class, 6, 12);
        graph.AssertEdge("src/repo.MemoryRepository", "src/repo.Repository", EdgeKind.Implements);
        graph.AssertDefinition("src/app.App", SymbolKind.Function, 3, 6);
        graph.AssertEdge("src/app.App", "src/repo.normalize"); // import { normalize } in a .tsx file
        graph.AssertEdge("src/app.App", "src/repo.MemoryRepository");
        graph.AssertEdge("src/repo.MemoryRepository.find", "src/repo.normalize");
    }

    [Fact]
    public void C_and_cpp_functions_classes_and_calls()
    {
        var c = Load("c", "c");
        c.AssertDefinition("util.c.clamp", SymbolKind.Function, 4, 6);
        Assert.Equal("int clamp(int value, int low, int high)", c.Symbol("util.c.clamp").Signature);
        Assert.Equal("Limits value to [low, high].", c.Symbol("util.c.clamp").Documentation);
        c.AssertDefinition("main.c.point", SymbolKind.Struct, 3, 6);
        c.AssertEdge("main.c.scale", "util.c.clamp");
        c.AssertEdge("main.c.main", "main.c.scale");
        c.AssertEdge("main.c", "util.h", EdgeKind.Imports);

        var cpp = Load("cpp", "cpp");
        cpp.AssertDefinition("shapes.cpp.geo.Circle", SymbolKind.Class, 11, 17);
        Assert.Equal("A circle.", cpp.Symbol("shapes.cpp.geo.Circle").Documentation);
        cpp.AssertDefinition("shapes.cpp.geo.Circle.area", SymbolKind.Method, 13, 13);
        cpp.AssertEdge("shapes.cpp.geo.Circle", "shapes.cpp.geo.Shape", EdgeKind.Inherits);
        cpp.AssertEdge("shapes.cpp.geo.Circle.area", "shapes.cpp.geo.Circle.square"); // implicit this
    }

    [Fact]
    public void Ruby_classes_requires_and_local_variables()
    {
        var graph = Load("ruby", "ruby");
        graph.AssertDefinition("lib/greeter.Greeter", SymbolKind.Class, 4, 13);
        graph.AssertDefinition("lib/greeter.Greeter.greet", SymbolKind.Method, 5, 8);
        Assert.Equal("Greets people.", graph.Symbol("lib/greeter.Greeter").Documentation);
        graph.AssertEdge("lib/greeter.Greeter", "lib/formatter.BaseGreeter", EdgeKind.Inherits);
        graph.AssertEdge("lib/greeter.Greeter.greet", "lib/greeter.Greeter.format_name"); // bare call, implicit self
        graph.AssertEdge("lib/greeter.Greeter.format_name", "lib/formatter.Formatter.format");
        graph.AssertNoEdge("lib/greeter.Greeter.greet", "lib/greeter.Greeter.greet"); // a definition's name is no call
        graph.AssertEdge("lib/greeter", "lib/formatter", EdgeKind.Imports); // require_relative
    }

    [Fact]
    public void Php_classes_interfaces_use_and_static_calls()
    {
        var graph = Load("php", "php");
        graph.AssertDefinition("src/User.User", SymbolKind.Class, 11, 19);
        graph.AssertDefinition("src/User.User.name", SymbolKind.Method, 12, 14);
        graph.AssertEdge("src/User.User", "src/User.HasName", EdgeKind.Implements);
        graph.AssertEdge("src/User.User", "src/Str.Model", EdgeKind.Inherits);
        graph.AssertEdge("src/User.User.name", "src/User.User.raw"); // $this->raw()
        graph.AssertEdge("src/User.User.name", "src/Str.Str.upper"); // Str::upper after use App\Support\Str
    }

    [Fact]
    public void CSharp_only_when_asked_for()
    {
        var byDefault = TreeSitterTestSupport.Load(RepositoryPaths.Fixture("csharp"));
        Assert.Equal(0, byDefault.DocumentCount);

        var graph = Load("csharp", "csharp");
        graph.AssertDefinition("Orders.Shop.Orders.OrderService", SymbolKind.Class, 6, 15);
        Assert.Equal("Places orders.", graph.Symbol("Orders.Shop.Orders.OrderService").Documentation);
        graph.AssertEdge("Orders.Shop.Orders.OrderService", "Orders.Shop.Orders.IOrderService", EdgeKind.Implements);
        graph.AssertEdge("Orders.Shop.Orders.OrderService.Place", "Orders.Shop.Orders.OrderService.Validate");
        graph.AssertEdge("Orders.Shop.Orders.OrderService.Place", "Log.Shop.Util.Log.Write"); // using Shop.Util; Log.Write
    }
}
