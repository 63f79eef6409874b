namespace Shop.Core.Pricing;

/// <summary>A tiny generic cache.</summary>
public sealed class Cache<TKey, TValue> where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _items = new();

    public TValue GetOrAdd(TKey key, Func<TKey, TValue> factory)
    {
        if (!_items.TryGetValue(key, out var value))
        {
            value = factory(key);
            _items[key] = value;
        }

        return value;
    }
}

public static class StringExtensions
{
    /// <summary>Normalises a SKU.</summary>
    public static string NormalizeSku(this string sku) => sku.Trim().ToUpperInvariant();
}
