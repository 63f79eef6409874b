using Shop.Core.Pricing;

namespace Shop.Core.Tests;

public static class PriceCalculatorChecks
{
    public static bool NetIsBelowGross() => new PriceCalculator { Discount = 0.1m }.Net(100m) < 100m;
}
