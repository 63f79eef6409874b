using Shop.Util;

namespace Shop.Orders
{
    /// <summary>Places orders.</summary>
    public class OrderService : IOrderService
    {
        public void Place(string id)
        {
            Validate(id);
            Log.Write(id);
        }

        private void Validate(string id) { }
    }

    public interface IOrderService
    {
        void Place(string id);
    }
}
