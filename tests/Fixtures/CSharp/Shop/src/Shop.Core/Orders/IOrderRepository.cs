namespace Shop.Core.Orders;

/// <summary>Stores and loads orders.</summary>
public interface IOrderRepository
{
    /// <summary>Saves an order and returns its id.</summary>
    int Save(Order order);

    Order? Find(int id);
}
