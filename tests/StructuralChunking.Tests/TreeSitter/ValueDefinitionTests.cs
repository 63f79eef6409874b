using StructuralChunking.Chunking;
using StructuralChunking.Graph;
using StructuralChunking.Tests.Support;
using StructuralChunking.TreeSitter;

namespace StructuralChunking.Tests.TreeSitter;

/// <summary>Definitions made by a value (<c>const Widget = factory(…)</c>, <c>module.exports = {…}</c>, <c>NAME = call()</c>,
/// <c>var f = func…</c>): named, with their nested functions as members, resolvable as call targets, named in every
/// part of their chunks.</summary>
public sealed class ValueDefinitionTests
{
    private const string Widgets = """
        const express = require('express');
        const { factory } = require('./core');

        /** Builds the widget type. */
        export const Widget = factory("Widget", (inst, def) => {
          inst.parse = (data) => {
            return check(data);
          };
          inst.validate = function (value) {
            if (!value) throw new Error("empty");
            return value;
          };
        });

        const Button = memo(() => {
          return render("button");
        });

        const slice = createSlice({
          name: "todos",
          reducers: {
            add(state, action) {
              state.push(action.payload);
            },
            remove: (state, action) => state.filter(t => t.id !== action.payload),
          },
        });

        const router = express.Router();

        const Store = class {
          get(key) { return key; }
        };

        function check(data) {
          return Button() && slice.add(data);
        }
        """;

    private const string Exports = """
        module.exports = {
          start() {
            return run();
          },
          stop: function () { return 1; },
        };

        module.exports.defaults = buildDefaults({ retries: 3 });
        exports.program = new Command();

        function run() {}
        """;

    private const string Consumer = """
        import { slice } from './widgets';
        const server = require('./server');

        export function boot() {
          server.start();
          slice.add({});
        }
        """;

    private static CodeGraph LoadScript()
    {
        using var folder = new TempDirectory();
        folder.Write("src/widgets.js", Widgets);
        folder.Write("src/server.js", Exports);
        folder.Write("src/boot.js", Consumer);
        return TreeSitterTestSupport.Load(folder.Path, "javascript").Graph;
    }

    [Fact]
    public void JavaScript_module_level_values_are_named_definitions_with_members()
    {
        var graph = LoadScript();
        graph.AssertDefinition("src/widgets.Widget", SymbolKind.Variable, 5, 13);
        Assert.Equal("Builds the widget type.", graph.Symbol("src/widgets.Widget").Documentation);
        Assert.StartsWith("const Widget = factory(\"Widget\", (inst, def) =>", graph.Symbol("src/widgets.Widget").Signature, StringComparison.Ordinal);
        // Functions assigned inside the factory's callback are its members, not local functions or module functions.
        graph.AssertDefinition("src/widgets.Widget.parse", SymbolKind.Function, 6, 8);
        graph.AssertDefinition("src/widgets.Widget.validate", SymbolKind.Function, 9, 12);
        graph.AssertEdge("src/widgets.Widget", "src/widgets.Widget.parse", EdgeKind.Contains);

        graph.AssertDefinition("src/widgets.Button", SymbolKind.Variable, 15, 17);
        graph.AssertDefinition("src/widgets.slice", SymbolKind.Variable, 19, 27);
        graph.AssertDefinition("src/widgets.slice.add", SymbolKind.Method, 22, 24);
        graph.AssertDefinition("src/widgets.slice.remove", SymbolKind.Function, 25, 25);
        graph.AssertDefinition("src/widgets.router", SymbolKind.Variable, 29, 29);
        graph.AssertDefinition("src/widgets.Store", SymbolKind.Class, 31, 33);
        graph.AssertDefinition("src/widgets.Store.get", SymbolKind.Method, 32, 32);

        // require(…) binds a module, not a definition.
        Assert.DoesNotContain(graph.Symbols, s => s.Kind != SymbolKind.Module && s.Name is "express" or "factory" or "server");

        graph.AssertDefinition("src/server.module.exports", SymbolKind.Variable, 1, 6);
        graph.AssertDefinition("src/server.module.exports.start", SymbolKind.Method, 2, 4);
        graph.AssertDefinition("src/server.defaults", SymbolKind.Variable, 8, 8);
        graph.AssertDefinition("src/server.program", SymbolKind.Variable, 9, 9);
    }

    [Fact]
    public void JavaScript_calls_reach_values_and_their_members()
    {
        var graph = LoadScript();
        graph.AssertEdge("src/widgets.check", "src/widgets.Button");
        graph.AssertEdge("src/widgets.check", "src/widgets.slice.add"); // slice.add(): a member of a value in the file
        graph.AssertEdge("src/widgets.Widget.parse", "src/widgets.check");
        graph.AssertEdge("src/boot.boot", "src/widgets.slice.add"); // imported value's member
        graph.AssertEdge("src/boot.boot", "src/server.module.exports.start"); // require(): what module.exports holds
        graph.AssertEdge("src/server.module.exports.start", "src/server.run");
    }

    [Fact]
    public void TypeScript_values_behind_type_assertions_and_exports()
    {
        using var folder = new TempDirectory();
        folder.Write("src/routes.ts", """
            export const routes = {
              home() { return "/"; },
              user(id: string) { return `/users/${id}`; },
            } as const;

            export const api: Api = createApi({
              endpoints: (build) => ({ list: build.query() }),
            });

            export const useTodos = () => api.list();
            """);
        var graph = TreeSitterTestSupport.Load(folder.Path, "typescript").Graph;
        graph.AssertDefinition("src/routes.routes", SymbolKind.Variable, 1, 4);
        graph.AssertDefinition("src/routes.routes.user", SymbolKind.Method, 3, 3);
        graph.AssertDefinition("src/routes.api", SymbolKind.Variable, 6, 8);
        graph.AssertDefinition("src/routes.api.endpoints", SymbolKind.Function, 7, 7);
        graph.AssertDefinition("src/routes.useTodos", SymbolKind.Function, 10, 10);
    }

    [Fact]
    public void Python_module_level_calls_and_lambdas_are_definitions()
    {
        using var folder = new TempDirectory();
        folder.Write("app/config.py", """
            import logging

            log = logging.getLogger(__name__)
            retry_policy = Retry(
                total=3,
                backoff_factor=0.5,
            )
            normalize = lambda text: text.strip().lower()
            LIMIT = 10


            def load():
                return normalize(" X ")
            """);
        var graph = TreeSitterTestSupport.Load(folder.Path, "python").Graph;
        graph.AssertDefinition("app.config.log", SymbolKind.Variable, 3, 3);
        graph.AssertDefinition("app.config.retry_policy", SymbolKind.Variable, 4, 7);
        graph.AssertDefinition("app.config.normalize", SymbolKind.Function, 8, 8);
        Assert.DoesNotContain(graph.Symbols, s => s.Name == "LIMIT"); // a constant, not a definition
        graph.AssertEdge("app.config.load", "app.config.normalize");
    }

    [Fact]
    public void Go_package_level_function_values_are_functions()
    {
        using var folder = new TempDirectory();
        folder.Write("web/handlers.go", """
            package web

            import "net/http"

            var notFound = func(w http.ResponseWriter, r *http.Request) {
                w.WriteHeader(404)
            }

            var (
                health = func(w http.ResponseWriter, r *http.Request) {
                    w.WriteHeader(200)
                }
                index = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
                    notFound(w, r)
                })
                timeout = 30
            )
            """);
        var graph = TreeSitterTestSupport.Load(folder.Path, "go").Graph;
        graph.AssertDefinition("web/handlers.notFound", SymbolKind.Function, 5, 7);
        graph.AssertDefinition("web/handlers.health", SymbolKind.Function, 10, 12);
        graph.AssertDefinition("web/handlers.index", SymbolKind.Variable, 13, 15);
        Assert.DoesNotContain(graph.Symbols, s => s.Name == "timeout");
        graph.AssertEdge("web/handlers.index", "web/handlers.notFound");
    }

    [Fact]
    public void Every_part_of_a_split_value_keeps_its_name_and_scope()
    {
        using var folder = new TempDirectory();
        var body = string.Join("\n", Enumerable.Range(1, 150).Select(i => $"  inst.step{i} = inst.value + {i} * def.factor;"));
        folder.Write("src/schema.js", $$"""
            export const Schema = factory("Schema", (inst, def) => {
            {{body}}
            });
            """);
        var result = TreeSitterTestSupport.Load(folder.Path, "javascript");
        var chunks = new StructuralChunker()
            .Chunk(result.Graph, SourceTexts.FromDirectory(result.RootDirectory), [new ChunkSourceFile("src/schema.js", "javascript")]);
        var parts = chunks.Where(c => c.SymbolName == "src/schema.Schema").ToList();
        Assert.True(parts.Count > 2, $"expected several parts, got {parts.Count}");
        Assert.DoesNotContain(chunks, c => c.SymbolKind == SymbolKind.File);
        for (var i = 0; i < parts.Count; i++)
        {
            Assert.Equal(i, parts[i].PartIndex);
            Assert.Contains($"scope: src/schema > Schema (variable, part {i + 1} of {parts.Count})", parts[i].EmbeddingText, StringComparison.Ordinal);
            Assert.Contains("schema", parts[i].LexicalText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_large_value_with_members_is_chunked_like_a_type_and_keeps_the_code_between_members()
    {
        using var folder = new TempDirectory();
        var members = string.Join("\n", Enumerable.Range(1, 12).Select(i => $$"""
              handler{{i}}(state, action) {
                const next = state.items.filter((item) => item.id !== action.payload.id);
                state.items = next.concat([{ id: action.payload.id, index: {{i}} }]);
                state.version = state.version + {{i}};
              },
            """));
        folder.Write("src/todos.js", $$"""
            export const todos = createSlice({
              name: "todos",
              initialState: { items: [], version: 0, filter: "all", loading: false, error: null },
              reducers: {
            {{members}}
              },
              selectors: { selectCount: (state) => state.items.length },
              extraReducers: "none",
              devTools: process.env.NODE_ENV !== "production",
            });
            """);
        var result = TreeSitterTestSupport.Load(folder.Path, "javascript");
        var chunks = new StructuralChunker()
            .Chunk(result.Graph, SourceTexts.FromDirectory(result.RootDirectory), [new ChunkSourceFile("src/todos.js", "javascript")]);

        var own = chunks.Where(c => c.SymbolName == "src/todos.todos").ToList();
        Assert.True(own.Count >= 2, "a skeleton and the code after the members");
        Assert.Contains("handler1(state, action) …", own[0].EmbeddingText, StringComparison.Ordinal);
        Assert.Contains(own, c => c.Id.Contains("+rest#", StringComparison.Ordinal) && c.DisplayText.Contains("devTools", StringComparison.Ordinal));
        Assert.All(own, c => Assert.Contains($"of {own.Count})", c.EmbeddingText, StringComparison.Ordinal));
        for (var i = 1; i <= 12; i++)
        {
            var member = Assert.Single(chunks, c => c.SymbolName == $"src/todos.todos.handler{i}");
            Assert.Contains($"scope: src/todos > todos > handler{i} (method", member.EmbeddingText, StringComparison.Ordinal);
        }

        // Nothing is dropped: every line with code is in some chunk.
        var lines = File.ReadAllLines(Path.Combine(result.RootDirectory, "src/todos.js"));
        for (var line = 1; line <= lines.Length; line++)
        {
            if (lines[line - 1].Trim().Length > 3)
            {
                Assert.Contains(chunks, c => c.Location.StartLine <= line && line <= c.Location.EndLine);
            }
        }
    }
}
