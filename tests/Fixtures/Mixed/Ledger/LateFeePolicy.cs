namespace Ledger;

public sealed class LateFeePolicy
{
    private const decimal DailyRate = 0.0005m;
    private const decimal MaximumShare = 0.10m;

    public decimal LateFee(Invoice invoice, DateOnly today)
    {
        var settled = invoice.PaidOn ?? today;
        var daysOverdue = settled.DayNumber - invoice.DueDate.DayNumber;
        if (daysOverdue <= 0)
        {
            return 0m;
        }

        var penalty = invoice.Amount * DailyRate * daysOverdue;
        return Math.Min(penalty, invoice.Amount * MaximumShare);
    }
}
