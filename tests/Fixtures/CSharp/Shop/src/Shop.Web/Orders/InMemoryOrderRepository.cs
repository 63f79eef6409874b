using Shop.Core.Orders;

namespace Shop.Web.Orders;

public sealed class InMemoryOrderRepository : IOrderRepository
{
    private readonly List<Order> _orders = [];

    public int Save(Order order)
    {
        _orders.Add(order);
        return order.Id;
    }

    Order? IOrderRepository.Find(int id) => _orders.FirstOrDefault(o => o.Id == id);
}
