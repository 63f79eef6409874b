using System.Globalization;
using StructuralChunking.Identifiers;

namespace StructuralChunking.Tests.Identifiers;

public sealed class IdentifierSplitterTests
{
    [Theory]
    [InlineData("where is useAdminJwt used?", new[] { "where", "is", "use", "admin", "jwt", "used" })]
    [InlineData("How does OrderService.PlaceOrder validate JWTs", new[] { "how", "does", "order", "service", "place", "order", "validate", "jwts" })]
    [InlineData("std::unique_ptr vs shared_ptr", new[] { "std", "unique", "ptr", "vs", "shared", "ptr" })]
    [InlineData("  ", new string[0])]
    [InlineData("HTTP/2 server in Go!", new[] { "http", "2", "server", "in", "go" })]
    [InlineData("größe berechnen – wie?", new[] { "größe", "berechnen", "wie" })]
    public void SplitText_SplitsQueriesAndTheIdentifiersInThem(string query, string[] expected) =>
        Assert.Equal(expected, IdentifierSplitter.SplitText(query));

    [Fact]
    public void SplitText_AndSplit_AgreeOnAdminAndUserVariants()
    {
        // The point of splitting: the two middlewares now differ in exactly one visible word.
        var admin = IdentifierSplitter.Split("useAdminJwtValidationMiddleware");
        var user = IdentifierSplitter.Split("useUserJwtValidationMiddleware");
        var query = IdentifierSplitter.SplitText("admin jwt validation");

        Assert.All(query, word => Assert.Contains(word, admin));
        Assert.DoesNotContain("admin", user);
        Assert.Equal(4, admin.Intersect(user).Count());
    }

    [Fact]
    public void EnumerateWords_YieldsRangesInOriginalCase()
    {
        const string text = "__getHTTPResponse2";
        var words = new List<string>();
        var starts = new List<int>();
        foreach (var range in IdentifierSplitter.EnumerateWords(text))
        {
            words.Add(text[range]);
            starts.Add(range.Start.Value);
        }

        Assert.Equal(["get", "HTTP", "Response", "2"], words);
        Assert.Equal([2, 5, 9, 17], starts);
    }

    [Fact]
    public void EnumerateWords_OnEmptyInput_YieldsNothing()
    {
        var count = 0;
        foreach (var _ in IdentifierSplitter.EnumerateWords(ReadOnlySpan<char>.Empty))
        {
            count++;
        }

        Assert.Equal(0, count);
        Assert.Empty(IdentifierSplitter.Split(string.Empty));
        Assert.Equal(string.Empty, IdentifierSplitter.SplitToText("___"));
    }

    [Fact]
    public void EnumerateWords_DoesNotAllocate()
    {
        const string text = "getHTTPResponseCode requestIDs größeBerechnen __init__ x86_64 JSONtoXML 𐐀𐐨𐐩Word std::vector";
        var expected = CountWords(text);

        // Warm up so JIT and static initialisation are not measured.
        for (var i = 0; i < 10; i++)
        {
            CountWords(text);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var total = 0;
        for (var i = 0; i < 100; i++)
        {
            total += CountWords(text);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(100 * expected, total);
        Assert.Equal(19, expected);

        static int CountWords(ReadOnlySpan<char> text)
        {
            var count = 0;
            foreach (var range in IdentifierSplitter.EnumerateWords(text))
            {
                count += text[range].Length > 0 ? 1 : 0;
            }

            return count;
        }
    }

    [Fact]
    public void EnumerateIdentifiers_DoesNotAllocate()
    {
        const string code = "var total = order.Items.Sum(i => i.Price * 2); // 0xFF";
        for (var i = 0; i < 10; i++)
        {
            CountIdentifiers(code);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var total = 0;
        for (var i = 0; i < 100; i++)
        {
            total += CountIdentifiers(code);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(800, total);

        static int CountIdentifiers(ReadOnlySpan<char> code)
        {
            var count = 0;
            foreach (var _ in IdentifierSplitter.EnumerateIdentifiers(code))
            {
                count++;
            }

            return count;
        }
    }

    [Fact]
    public void EnumerateIdentifiers_FindsIdentifierTokensInCode()
    {
        const string code = """
            public async Task<IActionResult> PlaceOrder(OrderDto dto, CancellationToken ct = default)
            {
                var $total = dto.Items.Sum(i => i.Price * 1.5m) + 0xFF + 42L;
                _logger.LogInformation("Placed {OrderId}", dto.order_id);
                if (__DEV__ && größe > 3) std::cout << x86_64;
                @class = #private + _ + __ + $;
            }
            """;

        var tokens = new List<string>();
        foreach (var range in IdentifierSplitter.EnumerateIdentifiers(code))
        {
            tokens.Add(code[range]);
        }

        Assert.Equal(
            [
                "public", "async", "Task", "IActionResult", "PlaceOrder", "OrderDto", "dto", "CancellationToken", "ct", "default",
                "var", "$total", "dto", "Items", "Sum", "i", "i", "Price",
                "_logger", "LogInformation", "Placed", "OrderId", "dto", "order_id",
                "if", "__DEV__", "größe", "std", "cout", "x86_64",
                "class", "private",
            ],
            tokens);
    }

    [Fact]
    public void EnumerateIdentifiers_OnTextWithoutIdentifiers_YieldsNothing()
    {
        var count = 0;
        foreach (var _ in IdentifierSplitter.EnumerateIdentifiers("123 + 4.5 == 0x1F; // __ $ _"))
        {
            count++;
        }

        Assert.Equal(0, count);
    }

    [Fact]
    public void Split_LowerCasesInvariantly_RegardlessOfCurrentCulture()
    {
        var original = CultureInfo.CurrentCulture;
        try
        {
            // The test project runs with ICU (InvariantGlobalization off), so this is the real Turkish culture, in which
            // ToLower() turns 'I' into a dotless 'ı'; the splitter must not.
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("tr-TR");
            Assert.Equal("ı", "I".ToLower(CultureInfo.CurrentCulture));

            Assert.Equal(["title"], IdentifierSplitter.Split("TITLE"));
            Assert.Equal(["id"], IdentifierSplitter.Split("Id"));
            Assert.Equal("get user id", IdentifierSplitter.SplitToText("getUserID"));
            Assert.Equal(["i", "order", "service"], IdentifierSplitter.SplitText("IOrderService"));
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }
    }

    [Fact]
    public void Split_HandlesVeryLongInputInOnePass()
    {
        var pascal = string.Concat(Enumerable.Repeat("OrderLine", 20_000));
        var words = IdentifierSplitter.Split(pascal);
        Assert.Equal(40_000, words.Count);
        Assert.Equal("order", words[^2]);

        var noBoundary = new string('A', 100_000);
        Assert.Equal([noBoundary.ToLowerInvariant()], IdentifierSplitter.Split(noBoundary));

        var text = IdentifierSplitter.SplitToText(string.Concat(Enumerable.Repeat("a_", 50_000)));
        Assert.Equal(99_999, text.Length);
    }

    [Fact]
    public void Split_AppendsToAnyCollection()
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        IdentifierSplitter.Split("orderId", set);
        IdentifierSplitter.Split("ORDER_ID".AsSpan(), set);
        Assert.Equal(["id", "order"], set.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => IdentifierSplitter.Split(null!));
        Assert.Throws<ArgumentNullException>(() => IdentifierSplitter.SplitText(null!));
        Assert.Throws<ArgumentNullException>(() => IdentifierSplitter.SplitToText(null!));
        Assert.Throws<ArgumentNullException>(() => IdentifierSplitter.Split("a", null!));
    }
}
