using StructuralChunking.Graph;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.TreeSitter;

public sealed class PythonAndJavaScriptGraphTests
{
    private static readonly Lazy<CodeGraph> Python = new(() => TreeSitterTestSupport.Load(RepositoryPaths.Fixture("python")).Graph);
    private static readonly Lazy<CodeGraph> Script = new(() => TreeSitterTestSupport.Load(RepositoryPaths.Fixture("javascript")).Graph);

    private const string Admin = "auth.middleware.admin_jwt_validator";
    private const string User = "auth.middleware.user_jwt_validator";

    [Fact]
    public void Seed_example_both_middlewares_call_the_shared_token_reader()
    {
        var graph = Python.Value;
        graph.AssertDefinition(Admin + ".useAdminJwtValidationMiddleware", SymbolKind.Function, 4, 15);
        graph.AssertDefinition(User + ".useUserJwtValidationMiddleware", SymbolKind.Function, 23, 26);
        graph.AssertDefinition("auth.tokens.read_bearer_token", SymbolKind.Function, 4, 9);

        // from auth.tokens import read_bearer_token, called in a nested function
        graph.AssertEdge(Admin + ".useAdminJwtValidationMiddleware.middleware", "auth.tokens.read_bearer_token");
        // import auth.tokens as tokens; tokens.read_bearer_token(...)
        graph.AssertEdge(User + ".useUserJwtValidationMiddleware", "auth.tokens.read_bearer_token");
        graph.AssertEdge(Admin, "auth.tokens", EdgeKind.Imports);
        graph.AssertEdge(User, "auth.tokens", EdgeKind.Imports);
    }

    [Fact]
    public void Python_modules_classes_methods_and_nested_functions()
    {
        var graph = Python.Value;
        var module = graph.Symbol(Admin);
        Assert.Equal(SymbolKind.Module, module.Kind);
        Assert.Equal("admin_jwt_validator", module.Name);
        Assert.Equal("auth/middleware/admin_jwt_validator.py", module.Path);

        var function = graph.Symbol(Admin + ".useAdminJwtValidationMiddleware");
        Assert.Equal("def useAdminJwtValidationMiddleware(app):", function.Signature);
        Assert.Equal("Rejects requests whose JWT lacks the admin role.", function.Documentation);
        Assert.Equal(module.Id, function.ParentId);
        Assert.Equal(SymbolId.Create("python", Admin + ".useAdminJwtValidationMiddleware", function.Signature), function.Id);

        graph.AssertDefinition(Admin + ".useAdminJwtValidationMiddleware.middleware", SymbolKind.LocalFunction, 7, 9);
        graph.AssertDefinition(Admin + ".useAdminJwtValidationMiddleware.check", SymbolKind.LocalFunction, 11, 12);
        Assert.Equal(function.Id, graph.Symbol(Admin + ".useAdminJwtValidationMiddleware.middleware").ParentId);
        // A sibling nested function, found through the enclosing function's scope.
        graph.AssertEdge(Admin + ".useAdminJwtValidationMiddleware.middleware", Admin + ".useAdminJwtValidationMiddleware.check");

        graph.AssertDefinition(User + ".BaseValidator", SymbolKind.Class, 5, 10);
        graph.AssertDefinition(User + ".UserValidator", SymbolKind.Class, 14, 20);
        Assert.Equal("class UserValidator(BaseValidator):", graph.Symbol(User + ".UserValidator").Signature);
        Assert.Equal("Validates ordinary users.", graph.Symbol(User + ".UserValidator").Documentation);
        // The decorator belongs to the method's location.
        graph.AssertDefinition(User + ".UserValidator.describe", SymbolKind.Method, 15, 17);
        graph.AssertDefinition(User + ".UserValidator.run", SymbolKind.Method, 19, 20);
        Assert.Equal("Reading bearer tokens from requests.", graph.Symbol("auth.tokens").Documentation);

        graph.AssertEdge(User, User + ".UserValidator", EdgeKind.Contains);
        graph.AssertEdge(User + ".UserValidator", User + ".UserValidator.run", EdgeKind.Contains);
        graph.AssertEdge(User + ".UserValidator", User + ".BaseValidator", EdgeKind.Inherits);
    }

    [Fact]
    public void Python_call_resolution_follows_scope_rules()
    {
        var graph = Python.Value;
        // self.validate() is inherited from the base class.
        graph.AssertEdge(User + ".UserValidator.run", User + ".BaseValidator.validate");
        graph.AssertEdge(User + ".BaseValidator.validate", User + ".BaseValidator.decode");
        graph.AssertEdge("auth.tokens.TokenDecoder.decode", "auth.tokens.TokenDecoder._split");
        // Construction through a relative import (from ..tokens import TokenDecoder).
        graph.AssertEdge(User + ".BaseValidator.decode", "auth.tokens.TokenDecoder");
        // TokenDecoder().decode(...): the receiver's type is unknown, two methods are named decode: 1/2 each.
        graph.AssertEdge(User + ".BaseValidator.decode", "auth.tokens.TokenDecoder.decode", weight: 0.5f);
        graph.AssertEdge(User + ".BaseValidator.decode", User + ".BaseValidator.decode", weight: 0.5f);
        // app.use(...) resolves to nothing indexed: no edge, no placeholder.
        Assert.DoesNotContain(graph.Symbols, s => s.Name == "use");
    }

    [Fact]
    public void Ambiguity_limit_one_keeps_only_unambiguous_calls()
    {
        var graph = TreeSitterGraphLoader_Load(new() { AmbiguousCallLimit = 1 });
        graph.AssertNoEdge(User + ".BaseValidator.decode", "auth.tokens.TokenDecoder.decode");
        graph.AssertEdge(User + ".BaseValidator.decode", "auth.tokens.TokenDecoder");
    }

    private static CodeGraph TreeSitterGraphLoader_Load(StructuralChunking.TreeSitter.TreeSitterGraphOptions options) =>
        StructuralChunking.TreeSitter.TreeSitterGraphLoader.LoadAsync(RepositoryPaths.Fixture("python"), options).GetAwaiter().GetResult().Graph;

    [Fact]
    public void JavaScript_definitions_docs_and_signatures()
    {
        var graph = Script.Value;
        graph.AssertDefinition("lib/tokens.readBearerToken", SymbolKind.Function, 7, 10);
        Assert.Equal("function readBearerToken(headers)", graph.Symbol("lib/tokens.readBearerToken").Signature);
        Assert.StartsWith("Reads the bearer token of a request.", graph.Symbol("lib/tokens.readBearerToken").Documentation);
        graph.AssertDefinition("lib/tokens.isExpired", SymbolKind.Function, 12, 12);
        Assert.Equal("const isExpired = (token, now) =>", graph.Symbol("lib/tokens.isExpired").Signature);

        // export class: the location includes "export"; the comment above is its documentation.
        graph.AssertDefinition("lib/validator.Validator", SymbolKind.Class, 5, 18);
        Assert.Equal("Base class of every validator.", graph.Symbol("lib/validator.Validator").Documentation);
        graph.AssertDefinition("lib/validator.Validator.constructor", SymbolKind.Method, 6, 8);
        graph.AssertDefinition("lib/validator.Validator.validate", SymbolKind.Method, 10, 13);
        graph.AssertDefinition("lib/validator.useAdminJwtValidationMiddleware.middleware", SymbolKind.LocalFunction, 27, 29);
        graph.AssertEdge("lib/validator.AdminValidator", "lib/validator.Validator", EdgeKind.Inherits);
    }

    [Fact]
    public void JavaScript_calls_through_imports_require_and_this()
    {
        var graph = Script.Value;
        graph.AssertEdge("lib/validator.Validator.validate", "lib/tokens.readBearerToken"); // import { readBearerToken }
        graph.AssertEdge("lib/validator.Validator.validate", "lib/validator.Validator.check"); // this.check
        graph.AssertEdge("lib/validator.AdminValidator.check", "lib/tokens.isExpired"); // import * as tokens
        graph.AssertEdge("lib/server.start", "lib/tokens.readBearerToken"); // const { readBearerToken } = require(...)
        graph.AssertEdge("lib/server.start", "lib/validator.useAdminJwtValidationMiddleware"); // validator.x()
        graph.AssertEdge("lib/validator.useAdminJwtValidationMiddleware.middleware", "lib/validator.AdminValidator"); // new
        graph.AssertEdge("lib/server", "lib/tokens", EdgeKind.Imports);
        graph.AssertEdge("lib/validator", "lib/tokens", EdgeKind.Imports);
    }
}
