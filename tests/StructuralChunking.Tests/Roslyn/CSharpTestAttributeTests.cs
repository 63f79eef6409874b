using StructuralChunking.Graph;
using StructuralChunking.Roslyn;
using StructuralChunking.Tests.Support;

namespace StructuralChunking.Tests.Roslyn;

/// <summary>C# test code recognised by its framework attributes, in a file no path convention calls a test.</summary>
public sealed class CSharpTestAttributeTests
{
    [Fact]
    public async Task Test_attributes_mark_methods_and_their_classes()
    {
        using var folder = new TempDirectory();
        folder.Write("Shop/PriceRules.cs", """
            using System;

            namespace Shop;

            [TestFixture]
            public class PriceRules
            {
                [Test]
                public void AppliesDiscount() { }

                [TestCase(1), TestCase(2)]
                public void RoundsUp(int value) { }

                private int Fixture() => 1;
            }

            public class XunitRules
            {
                [Xunit.Theory]
                public void Rounds(int value) { }

                public int Count { get; set; }
            }

            public class MsTestRules
            {
                [TestMethodAttribute]
                public void Totals() { }
            }

            public class Pricing
            {
                [Obsolete]
                public int Price(int value) => value;
            }
            """);
        var graph = (await CSharpGraphLoader.LoadAsync(folder.Path)).Graph;
        bool IsTest(string name) => (graph.Symbols.Single(s => s.Name == name && !s.IsExternal).Traits & SymbolTraits.Test) != 0;

        Assert.True(IsTest("PriceRules"));
        Assert.True(IsTest("AppliesDiscount"));
        Assert.True(IsTest("RoundsUp"));
        Assert.True(IsTest("Fixture"));
        Assert.True(IsTest("XunitRules"));
        Assert.True(IsTest("Count"));
        Assert.True(IsTest("Totals"));
        Assert.False(IsTest("Pricing"));
        Assert.False(IsTest("Price"));
        Assert.False(IsTest("Shop"));
    }
}
