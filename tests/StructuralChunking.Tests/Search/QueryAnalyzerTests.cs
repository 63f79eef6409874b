using StructuralChunking.Search;

namespace StructuralChunking.Tests.Search;

public sealed class QueryAnalyzerTests
{
    [Fact]
    public void Python_traceback_frames_are_ordered_from_the_error_outwards()
    {
        const string report = """
            Traceback (most recent call last):
              File "/usr/lib/python3.11/site-packages/flask/app.py", line 2190, in wsgi_app
                response = self.full_dispatch_request()
              File "/srv/app/auth/tokens.py", line 19, in _split
                return token.split(".")
            AttributeError: 'NoneType' object has no attribute 'split'
            """;

        var analysis = QueryAnalyzer.Analyze(report);

        Assert.Equal(2, analysis.Frames.Count);
        var closest = analysis.Frames.Single(f => f.Order == 0);
        Assert.Equal(StackTraceFormat.Python, closest.Format);
        Assert.Equal("/srv/app/auth/tokens.py", closest.Path);
        Assert.Equal(19, closest.Line);
        Assert.Equal("_split", closest.Function);
        Assert.Equal("wsgi_app", analysis.Frames.Single(f => f.Order == 1).Function);
        Assert.Contains("AttributeError: 'NoneType' object has no attribute 'split'", analysis.Messages);
        Assert.True(analysis.IsStructured);
    }

    [Fact]
    public void DotNet_frames_give_the_method_the_user_wrote_even_inside_async_state_machines()
    {
        const string trace = """
            System.InvalidOperationException: Sequence contains no elements
               at System.Linq.ThrowHelper.ThrowNoElementsException()
               at Shop.Web.Orders.OrderService.PlaceOrder(Order order) in C:\src\Shop.Web\Orders\OrderService.cs:line 21
               at Shop.Web.Orders.OrderController.<Create>d__4.MoveNext() in /src/Shop.Web/Orders/OrderController.cs:line 33
            """;

        var frames = QueryAnalyzer.Analyze(trace).Frames;

        Assert.Equal(3, frames.Count);
        Assert.All(frames, f => Assert.Equal(StackTraceFormat.DotNet, f.Format));
        Assert.Equal("System.Linq.ThrowHelper.ThrowNoElementsException", frames[0].Function);
        Assert.Null(frames[0].Path);
        Assert.Equal(0, frames[0].Order);
        Assert.Equal("Shop.Web.Orders.OrderService.PlaceOrder", frames[1].Function);
        Assert.Equal("C:/src/Shop.Web/Orders/OrderService.cs", frames[1].Path);
        Assert.Equal(21, frames[1].Line);
        Assert.Equal("PlaceOrder", frames[1].SimpleFunction);
        Assert.Equal("OrderService", frames[1].TypeName);
        Assert.Equal("Shop.Web.Orders.OrderController.Create", frames[2].Function);
        Assert.Equal(33, frames[2].Line);
    }

    [Fact]
    public void Java_frames_name_class_method_file_and_line()
    {
        const string trace = """
            java.lang.NullPointerException: order is null
                at com.shop.orders.OrderService.place(OrderService.java:42)
                at com.shop.orders.Cart$Line.lambda$total$0(Cart.java:17)
                at java.base/java.util.ArrayList.forEach(Native Method)
            """;

        var frames = QueryAnalyzer.Analyze(trace).Frames;

        Assert.Equal(3, frames.Count);
        Assert.All(frames, f => Assert.Equal(StackTraceFormat.Java, f.Format));
        Assert.Equal(("com.shop.orders.OrderService.place", "OrderService.java", 42), (frames[0].Function, frames[0].Path, frames[0].Line));
        Assert.Equal("com.shop.orders.Cart.Line.total", frames[1].Function);
        Assert.Equal("Line", frames[1].TypeName);
        Assert.Null(frames[2].Path);
        Assert.Equal("java.util.ArrayList.forEach", frames[2].Function);
    }

    [Fact]
    public void Go_frames_pair_the_function_line_with_the_file_line_under_it()
    {
        const string trace = "panic: runtime error: invalid memory address or nil pointer dereference\n\n" +
            "goroutine 1 [running]:\n" +
            "example.com/shop/orders.(*Service).Place(0x0, {0xc000012345, 0x3})\n" +
            "\t/home/dev/shop/orders/service.go:42 +0x1d\n" +
            "main.main()\n" +
            "\t/home/dev/shop/main.go:12 +0x25\n";

        var frames = QueryAnalyzer.Analyze(trace).Frames;

        Assert.Equal(2, frames.Count);
        Assert.All(frames, f => Assert.Equal(StackTraceFormat.Go, f.Format));
        Assert.Equal(("orders.Service.Place", "/home/dev/shop/orders/service.go", 42, 0), (frames[0].Function, frames[0].Path, frames[0].Line, frames[0].Order));
        Assert.Equal("main.main", frames[1].Function);
        Assert.Equal("Service", frames[0].TypeName);
    }

    [Fact]
    public void JavaScript_frames_with_and_without_a_function_name()
    {
        const string trace = """
            TypeError: Cannot read properties of undefined (reading 'id')
                at Cart.total (/app/src/cart.ts:27:15)
                at async placeOrder (file:///app/src/orders.js:8:3)
                at /app/node_modules/express/lib/router/layer.js:95:5
            """;

        var frames = QueryAnalyzer.Analyze(trace).Frames;

        Assert.Equal(3, frames.Count);
        Assert.All(frames, f => Assert.Equal(StackTraceFormat.JavaScript, f.Format));
        Assert.Equal(("Cart.total", "/app/src/cart.ts", 27), (frames[0].Function, frames[0].Path, frames[0].Line));
        Assert.Equal(("placeOrder", "/app/src/orders.js"), (frames[1].Function, frames[1].Path));
        Assert.Null(frames[2].Function);
        Assert.Equal("/app/node_modules/express/lib/router/layer.js", frames[2].Path);
    }

    [Fact]
    public void Identifiers_qualified_names_paths_and_fenced_code_are_extracted()
    {
        const string report = """
            Session.request ignores `max_retries` when called through requests.api.get(); see
            src/requests/adapters.py and sessions.py. Also std::vector::push_back and https://example.com/a/b.py are unrelated.
            ```python
            s = requests.Session()
            s.mount("https://", HTTPAdapter(max_retries=3))
            ```
            """;

        var analysis = QueryAnalyzer.Analyze(report);

        Assert.Contains("Session.request", analysis.QualifiedNames);
        Assert.Contains("requests.api.get", analysis.QualifiedNames);
        Assert.Contains("std::vector::push_back", analysis.QualifiedNames);
        Assert.Contains("max_retries", analysis.Identifiers);
        Assert.Contains("HTTPAdapter", analysis.Identifiers);
        Assert.Contains("push_back", analysis.Identifiers);
        Assert.Contains("src/requests/adapters.py", analysis.Paths);
        Assert.Contains("sessions.py", analysis.Paths);
        Assert.DoesNotContain(analysis.Paths, p => p.Contains("example.com", StringComparison.Ordinal));
        Assert.DoesNotContain("adapters.py", analysis.QualifiedNames);
        Assert.Single(analysis.CodeBlocks);
        Assert.StartsWith("s = requests.Session()", analysis.CodeBlocks[0], StringComparison.Ordinal);
        Assert.True(analysis.IsStructured);
    }

    [Fact]
    public void A_short_question_is_not_a_report()
    {
        var analysis = QueryAnalyzer.Analyze("where is the jwt of an admin validated");

        Assert.False(analysis.IsStructured);
        Assert.Empty(analysis.Frames);
        Assert.Empty(analysis.Identifiers);
        Assert.Equal(8, analysis.WordCount);
    }

    [Fact]
    public void Inline_code_in_backticks_makes_a_short_report_structured()
    {
        Assert.True(QueryAnalyzer.Analyze("Fix `extend()` dropping the retry limit").IsStructured);
        Assert.False(QueryAnalyzer.Analyze("Fix extend dropping the retry limit").IsStructured);
    }

    [Fact]
    public void Long_queries_are_cut_into_windows_and_a_short_tail_joins_the_last_one()
    {
        var words = Enumerable.Range(0, 250).Select(i => "w" + i).ToArray();

        var windows = QueryAnalyzer.Windows(string.Join(' ', words), 120);

        Assert.Equal(2, windows.Count);
        Assert.StartsWith("w0 ", windows[0], StringComparison.Ordinal);
        Assert.EndsWith(" w249", windows[1], StringComparison.Ordinal);
        Assert.Equal(250, windows.Sum(w => w.Split(' ').Length));
        Assert.Equal(["short query"], QueryAnalyzer.Windows("short query", 120));
    }
}
