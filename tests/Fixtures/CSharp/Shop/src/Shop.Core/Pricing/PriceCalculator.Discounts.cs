namespace Shop.Core.Pricing;

public partial class PriceCalculator
{
    private decimal ApplyDiscount(decimal gross) => gross * Discount;
}
