namespace Ledger;

public static class InvoiceTotals
{
    public static decimal WithTax(decimal net, decimal taxRate) => Math.Round(net * (1 + taxRate), 2, MidpointRounding.ToEven);

    public static decimal Outstanding(IEnumerable<Invoice> invoices, DateOnly today, LateFeePolicy policy)
    {
        var total = 0m;
        foreach (var invoice in invoices)
        {
            if (invoice.PaidOn is null)
            {
                total += invoice.Amount + policy.LateFee(invoice, today);
            }
        }

        return total;
    }
}
