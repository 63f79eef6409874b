namespace Shop.Core.Pricing;

/// <summary>Computes prices; split over two files.</summary>
public partial class PriceCalculator
{
    public decimal Discount { get; set; }

    public decimal Net(decimal gross) => gross - ApplyDiscount(gross);
}
