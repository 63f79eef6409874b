using System.Text;

namespace Warehouse.Inventory;

/// <summary>Reconciles physical counts with the ledger and decides when to reorder.</summary>
public sealed class InventoryService
{
    private const int DefaultReorderPoint = 10;
    private readonly Dictionary<string, StockLevel> _levels = new();
    private readonly List<string> _auditLog = [];
    private int _reconciliations;

    /// <summary>Registers a stock level so it takes part in reconciliation.</summary>
    public void Track(StockLevel level)
    {
        ArgumentNullException.ThrowIfNull(level);
        _levels[Key(level.Sku, level.Warehouse)] = level;
    }

    /// <summary>Classifies a level as in stock, low or out of stock.</summary>
    public StockStatus StatusOf(StockLevel level)
    {
        if (level.Available <= 0)
        {
            return StockStatus.OutOfStock;
        }

        return level.Available < DefaultReorderPoint ? StockStatus.Low : StockStatus.InStock;
    }

    /// <summary>Applies a physical stock count to the ledger, records every discrepancy and reorders what ran low.</summary>
    public string Reconcile(IReadOnlyDictionary<string, int> physicalCounts, string warehouse, bool dryRun)
    {
        ArgumentNullException.ThrowIfNull(physicalCounts);
        var report = new StringBuilder();
        report.AppendLine($"Reconciliation #{++_reconciliations} for {warehouse}");

        var shrinkage = 0;
        var surplus = 0;
        var unknownSkus = new List<string>();

        foreach (var (sku, counted) in physicalCounts)
        {
            if (!_levels.TryGetValue(Key(sku, warehouse), out var level))
            {
                unknownSkus.Add(sku);
                report.AppendLine($"  {sku}: counted {counted} but not tracked in {warehouse}");
                continue;
            }

            var difference = counted - level.OnHand;
            if (difference < 0)
            {
                shrinkage += -difference;
                report.AppendLine($"  {sku}: {-difference} unit(s) missing (ledger {level.OnHand}, counted {counted})");
            }
            else if (difference > 0)
            {
                surplus += difference;
                report.AppendLine($"  {sku}: {difference} unit(s) found (ledger {level.OnHand}, counted {counted})");
            }

            if (!dryRun)
            {
                level.OnHand = counted;
                _auditLog.Add($"{warehouse}/{sku}: on hand set to {counted}");
            }
        }

        foreach (var level in _levels.Values)
        {
            if (level.Warehouse != warehouse || physicalCounts.ContainsKey(level.Sku))
            {
                continue;
            }

            report.AppendLine($"  {level.Sku}: tracked but not counted; ledger kept at {level.OnHand}");
        }

        var reorders = 0;
        foreach (var level in _levels.Values.Where(l => l.Warehouse == warehouse))
        {
            if (StatusOf(level) is StockStatus.Low or StockStatus.OutOfStock && level.OnOrder == 0)
            {
                var quantity = DefaultReorderPoint * 2 - level.Available;
                if (!dryRun)
                {
                    level.OnOrder += quantity;
                    _auditLog.Add($"{warehouse}/{level.Sku}: reordered {quantity}");
                }

                report.AppendLine($"  {level.Sku}: reorder {quantity} unit(s)");
                reorders++;
            }
        }

        report.AppendLine($"Shrinkage {shrinkage}, surplus {surplus}, unknown {unknownSkus.Count}, reorders {reorders}");
        if (dryRun)
        {
            report.AppendLine("Dry run: the ledger was not changed.");
        }

        return report.ToString();
    }

    /// <summary>Everything the service changed, oldest first.</summary>
    public IReadOnlyList<string> AuditLog => _auditLog;

    private static string Key(string sku, string warehouse) => warehouse + "/" + sku;
}
