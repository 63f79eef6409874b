namespace Shop.Core.Orders;

/// <summary>Shared order workflow; derived services decide how orders are validated.</summary>
public abstract class OrderServiceBase
{
    protected OrderServiceBase(IOrderRepository repository) => Repository = repository;

    protected IOrderRepository Repository { get; }

    /// <summary>Checks an order before it is placed.</summary>
    public virtual bool Validate(Order order) => order.Lines.Count > 0;

    public abstract int PlaceOrder(Order order);
}
