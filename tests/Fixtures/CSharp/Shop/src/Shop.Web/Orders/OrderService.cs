using Shop.Core.Orders;
using Shop.Core.Pricing;

namespace Shop.Web.Orders;

/// <summary>Places orders for the web shop.</summary>
public sealed class OrderService : OrderServiceBase
{
    private readonly Cache<string, decimal> _prices = new();

    public OrderService(IOrderRepository repository) : base(repository)
    {
    }

    public override bool Validate(Order order) => base.Validate(order) && order.Customer.Length > 0;

    public override int PlaceOrder(Order order)
    {
        if (!Validate(order))
        {
            throw new ArgumentException("Invalid order", nameof(order));
        }

        var skus = order.Lines.Select(l => l.Sku.NormalizeSku()).ToList();
        foreach (var sku in skus)
        {
            _prices.GetOrAdd(sku, LookUpPrice);
        }

        return Repository.Save(order);

        static decimal LookUpPrice(string sku) => sku.Length;
    }
}
