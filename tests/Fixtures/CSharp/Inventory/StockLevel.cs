namespace Warehouse.Inventory;

/// <summary>How much of an item is on hand, reserved and on order.</summary>
public enum StockStatus
{
    InStock,
    Low,
    OutOfStock,
    Discontinued,
}

/// <summary>Stock of one SKU in one warehouse.</summary>
public sealed class StockLevel
{
    public string Sku { get; init; } = "";
    public string Warehouse { get; init; } = "";
    public int OnHand { get; set; }
    public int Reserved { get; set; }
    public int OnOrder { get; set; }

    /// <summary>Units that can still be promised to customers.</summary>
    public int Available => OnHand - Reserved;
}
