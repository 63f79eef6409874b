namespace StructuralChunking.Search;

/// <summary>The format a stack-trace line was written in.</summary>
public enum StackTraceFormat
{
    /// <summary>Python: <c>File "app/models.py", line 12, in save</c>.</summary>
    Python,

    /// <summary>.NET: <c>at Shop.Orders.OrderService.Place(Order order) in /src/OrderService.cs:line 42</c>.</summary>
    DotNet,

    /// <summary>Java and other JVM languages: <c>at com.shop.OrderService.place(OrderService.java:42)</c>.</summary>
    Java,

    /// <summary>Go: <c>shop/orders.(*Service).Place(...)</c> followed by <c>\t/src/orders/service.go:42</c>.</summary>
    Go,

    /// <summary>JavaScript and TypeScript (V8): <c>at placeOrder (src/orders.ts:42:7)</c>.</summary>
    JavaScript,
}

/// <summary>One frame of a stack trace found in a query.</summary>
/// <param name="Format">The trace format.</param>
/// <param name="Function">The function or method name as written (<c>OrderService.Place</c>, <c>save</c>), or <c>null</c>.</param>
/// <param name="Path">The file as written in the frame, or <c>null</c> when the frame names none.</param>
/// <param name="Line">The 1-based line, when the frame gives one.</param>
/// <param name="Order">Position in the trace counted from the frame closest to the error (0), whatever order the format prints in.</param>
public sealed record StackFrame(StackTraceFormat Format, string? Function, string? Path, int? Line, int Order)
{
    /// <summary>The simple name of <see cref="Function"/> (<c>Place</c> for <c>Shop.OrderService.Place</c>), or <c>null</c>.</summary>
    public string? SimpleFunction => Function is null ? null : QueryAnalyzer.LastName(Function);

    /// <summary>The name of the type that contains <see cref="Function"/> when the frame qualifies it (<c>OrderService</c>), else <c>null</c>.</summary>
    public string? TypeName => Function is null ? null : QueryAnalyzer.ContainerName(Function);
}
