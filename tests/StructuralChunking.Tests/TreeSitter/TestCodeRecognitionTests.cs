using StructuralChunking.Chunking;
using StructuralChunking.Graph;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.TreeSitter;

/// <summary>
/// Test code recognised by what it is (test blocks, framework attributes, test names and bases), not only by its path:
/// every file here sits where no path convention would call it a test.
/// </summary>
public sealed class TestCodeRecognitionTests
{
    private static CodeGraph Load(string path, string content, params string[] languages)
    {
        using var folder = new TempDirectory();
        folder.Write(path, content);
        return TreeSitterTestSupport.Load(folder.Path, languages).Graph;
    }

    private static bool IsTest(CodeGraph graph, string qualifiedName) => (graph.Symbol(qualifiedName).Traits & SymbolTraits.Test) != 0;

    private const string Spec = """
        import { check } from './check';

        describe("check", () => {
          beforeEach(() => {
            reset();
          });

          test("rejects empty name", () => {
            expect(() => check("")).toThrow();
          });

          it.each([1, 2])("accepts %s", (n) => {
            expect(check(n)).toBe(true);
          });

          test.only('runs alone', async function () {
            await check(1);
          });

          describe("nested group", () => {
            it(`handles templates`, () => {
              const local = () => check(2);
              local();
            });
          });
        });

        export function check(value) {
          return Boolean(value);
        }
        """;

    [Fact]
    public void JavaScript_test_blocks_are_named_by_their_description_and_nest()
    {
        var graph = Load("src/check.js", Spec, "javascript");
        graph.AssertDefinition("src/check.check", SymbolKind.Namespace, 3, 26);
        graph.AssertDefinition("src/check.check.rejects empty name", SymbolKind.Function, 8, 10);
        graph.AssertDefinition("src/check.check.accepts %s", SymbolKind.Function, 12, 14);
        graph.AssertDefinition("src/check.check.runs alone", SymbolKind.Function, 16, 18);
        graph.AssertDefinition("src/check.check.nested group", SymbolKind.Namespace, 20, 25);
        graph.AssertDefinition("src/check.check.nested group.handles templates", SymbolKind.Function, 21, 24);
        graph.AssertDefinition("src/check.check.nested group.handles templates.local", SymbolKind.LocalFunction, 22, 22);
        Assert.True(IsTest(graph, "src/check.check.rejects empty name"));
        Assert.True(IsTest(graph, "src/check.check.nested group.handles templates.local"));
        Assert.False(IsTest(graph, "src/check.check~2"));

        // A test block is not a call target: check("") reaches the function, not the describe block named "check".
        graph.AssertEdge("src/check.check.rejects empty name", "src/check.check~2");
        graph.AssertNoEdge("src/check.check.rejects empty name", "src/check.check");
    }

    [Fact]
    public void Test_block_chunks_carry_the_name_scope_and_test_trait()
    {
        using var folder = new TempDirectory();
        folder.Write("src/check.ts", Spec);
        var result = TreeSitterTestSupport.Load(folder.Path, "typescript");
        var chunks = new StructuralChunker().Chunk(result.Graph, SourceTexts.FromDirectory(result.RootDirectory), [new ChunkSourceFile("src/check.ts", "typescript")]);

        var test = Assert.Single(chunks, c => c.SymbolName == "src/check.check.rejects empty name");
        // A describe block is a scope of its tests, as a namespace is of its types.
        Assert.Contains("scope: src/check.check > rejects empty name (function)", test.EmbeddingText, StringComparison.Ordinal);
        Assert.Contains("scope: src/check.check.nested group > handles templates (function)",
            Assert.Single(chunks, c => c.SymbolName == "src/check.check.nested group.handles templates").EmbeddingText, StringComparison.Ordinal);
        Assert.Equal(SymbolTraits.Test, test.Traits & SymbolTraits.Test);
        var production = Assert.Single(chunks, c => c.SymbolName == "src/check.check~2");
        Assert.Equal(SymbolTraits.None, production.Traits & SymbolTraits.Test);
        // The set-up code of the describe block is file-level code of a file that holds tests.
        var setup = Assert.Single(chunks, c => c.SymbolKind == SymbolKind.File && c.DisplayText.Contains("beforeEach", StringComparison.Ordinal));
        Assert.Equal(SymbolTraits.Test, setup.Traits & SymbolTraits.Test);
    }

    [Fact]
    public void Python_test_functions_test_classes_and_test_case_subclasses()
    {
        var graph = Load("app/checks.py", """
            import unittest


            def test_parses_numbers():
                assert parse("1") == 1


            class TestParser:
                def test_rejects_text(self):
                    assert parse("x") is None

                def helper(self):
                    return 1


            class ParserCase(unittest.TestCase):
                def setUp(self):
                    self.value = 1


            class Testimony:
                def testify(self):
                    return parse("2")


            def parse(text):
                return int(text) if text.isdigit() else None
            """, "python");
        Assert.True(IsTest(graph, "app.checks.test_parses_numbers"));
        Assert.True(IsTest(graph, "app.checks.TestParser"));
        Assert.True(IsTest(graph, "app.checks.TestParser.helper"));
        Assert.True(IsTest(graph, "app.checks.ParserCase"));
        Assert.True(IsTest(graph, "app.checks.ParserCase.setUp"));
        Assert.False(IsTest(graph, "app.checks.Testimony"));
        Assert.False(IsTest(graph, "app.checks.Testimony.testify"));
        Assert.False(IsTest(graph, "app.checks.parse"));
    }

    [Fact]
    public void Go_test_benchmark_and_example_functions()
    {
        var graph = Load("calc/calc.go", """
            package calc

            import "testing"

            func TestAdd(t *testing.T) { Add(1, 2) }

            func BenchmarkAdd(b *testing.B) { Add(1, 2) }

            func ExampleAdd() { Add(1, 2) }

            func Testify() {}

            func Add(a, b int) int { return a + b }
            """, "go");
        Assert.True(IsTest(graph, "calc/calc.TestAdd"));
        Assert.True(IsTest(graph, "calc/calc.BenchmarkAdd"));
        Assert.True(IsTest(graph, "calc/calc.ExampleAdd"));
        Assert.False(IsTest(graph, "calc/calc.Testify"));
        Assert.False(IsTest(graph, "calc/calc.Add"));
    }

    [Fact]
    public void Java_test_annotations_make_the_class_test_code()
    {
        var graph = Load("com/shop/PriceRules.java", """
            package com.shop;

            import org.junit.jupiter.api.Test;

            class PriceRules {
                @Test
                void appliesDiscount() { price(10); }

                @ParameterizedTest
                @ValueSource(ints = {1, 2})
                void roundsUp(int value) { price(value); }

                private int fixture() { return 1; }
            }

            class Pricing {
                @TestInstance
                int price(int value) { return value; }
            }
            """, "java");
        Assert.True(IsTest(graph, "com/shop/PriceRules.PriceRules.appliesDiscount"));
        Assert.True(IsTest(graph, "com/shop/PriceRules.PriceRules.roundsUp"));
        Assert.True(IsTest(graph, "com/shop/PriceRules.PriceRules"));
        Assert.True(IsTest(graph, "com/shop/PriceRules.PriceRules.fixture"));
        Assert.False(IsTest(graph, "com/shop/PriceRules.Pricing"));
        Assert.False(IsTest(graph, "com/shop/PriceRules.Pricing.price"));
    }

    [Fact]
    public void Rust_test_functions_and_cfg_test_modules()
    {
        var graph = Load("src/math.rs", """
            pub fn add(a: i32, b: i32) -> i32 {
                a + b
            }

            #[test]
            fn adds_small_numbers() {
                assert_eq!(add(1, 2), 3);
            }

            #[cfg(test)]
            mod tests {
                use super::*;

                fn helper() -> i32 { add(2, 2) }

                #[tokio::test]
                async fn adds_async() { helper(); }
            }
            """, "rust");
        Assert.False(IsTest(graph, "src/math.add"));
        Assert.True(IsTest(graph, "src/math.adds_small_numbers"));
        Assert.True(IsTest(graph, "src/math.tests"));
        Assert.True(IsTest(graph, "src/math.tests.helper"));
        Assert.True(IsTest(graph, "src/math.tests.adds_async"));
    }

    [Fact]
    public void CSharp_test_attributes_through_tree_sitter()
    {
        var graph = Load("Shop/PriceRules.cs", """
            namespace Shop;

            [TestFixture]
            public class PriceRules
            {
                [Test, Category("fast")]
                public void AppliesDiscount() { }

                private int Fixture() => 1;
            }

            public class XunitRules
            {
                [Xunit.Fact]
                public void Rounds() { }
            }

            public class Pricing
            {
                [Obsolete]
                public int Price(int value) => value;
            }
            """, "csharp");
        Assert.True(IsTest(graph, "Shop/PriceRules.PriceRules"));
        Assert.True(IsTest(graph, "Shop/PriceRules.PriceRules.Fixture"));
        Assert.True(IsTest(graph, "Shop/PriceRules.XunitRules.Rounds"));
        Assert.True(IsTest(graph, "Shop/PriceRules.XunitRules"));
        Assert.False(IsTest(graph, "Shop/PriceRules.Pricing"));
        Assert.False(IsTest(graph, "Shop/PriceRules.Pricing.Price"));
    }

    [Fact]
    public void Ruby_rspec_blocks_and_minitest_methods()
    {
        var graph = Load("lib/cart_checks.rb", """
            RSpec.describe Cart do
              context "when empty" do
                it "has no total" do
                  expect(Cart.new.total).to eq(0)
                end
              end
            end

            class CartTest < Minitest::Test
              def test_adds_items
                Cart.new.add(1)
              end
            end

            class Cart
              def total
                0
              end

              def test_mode
                false
              end
            end
            """, "ruby");
        graph.AssertDefinition("lib/cart_checks.Cart", SymbolKind.Namespace, 1, 7);
        graph.AssertDefinition("lib/cart_checks.Cart.when empty.has no total", SymbolKind.Function, 3, 5);
        Assert.True(IsTest(graph, "lib/cart_checks.Cart.when empty.has no total"));
        Assert.True(IsTest(graph, "lib/cart_checks.CartTest"));
        Assert.True(IsTest(graph, "lib/cart_checks.CartTest.test_adds_items"));
        Assert.False(IsTest(graph, "lib/cart_checks.Cart~2"));
        Assert.False(IsTest(graph, "lib/cart_checks.Cart~2.test_mode"));
    }

    [Fact]
    public void Php_test_case_subclasses_and_test_attributes()
    {
        var graph = Load("src/CartChecks.php", """
            <?php
            namespace App;

            use PHPUnit\Framework\TestCase;

            class CartTest extends TestCase
            {
                public function testAddsItems(): void { $this->assertTrue(true); }

                private function makeCart(): Cart { return new Cart(); }
            }

            class CartSpec
            {
                #[Test]
                public function totals(): void {}
            }

            class Cart
            {
                public function testConnection(): bool { return true; }
            }
            """, "php");
        Assert.True(IsTest(graph, "src/CartChecks.CartTest"));
        Assert.True(IsTest(graph, "src/CartChecks.CartTest.testAddsItems"));
        Assert.True(IsTest(graph, "src/CartChecks.CartTest.makeCart"));
        Assert.True(IsTest(graph, "src/CartChecks.CartSpec.totals"));
        Assert.False(IsTest(graph, "src/CartChecks.Cart"));
        Assert.False(IsTest(graph, "src/CartChecks.Cart.testConnection"));
    }
}
