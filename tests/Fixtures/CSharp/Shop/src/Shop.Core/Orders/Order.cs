namespace Shop.Core.Orders;

/// <summary>A customer's order.</summary>
public sealed record Order(int Id, string Customer, IReadOnlyList<OrderLine> Lines)
{
    public decimal Total => Lines.Sum(l => l.Subtotal());
}

public sealed record OrderLine(string Sku, int Quantity, decimal UnitPrice)
{
    public decimal Subtotal() => Quantity * UnitPrice;
}
