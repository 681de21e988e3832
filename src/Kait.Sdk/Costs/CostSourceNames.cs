namespace Kait.Sdk.Costs;

/// <summary>The wire names of <see cref="CostSource"/> (<c>proxy-header</c>, <c>config-price</c>, <c>price-map</c>,
/// <c>built-in</c>, <c>cache</c>, <c>unknown</c>), as stored in the ledger.</summary>
public static class CostSourceNames
{
    /// <summary>The wire name of <paramref name="source"/>.</summary>
    /// <param name="source">The source.</param>
    public static string ToWireName(this CostSource source) => source switch
    {
        CostSource.ProxyHeader => "proxy-header",
        CostSource.ConfigPrice => "config-price",
        CostSource.PriceMap => "price-map",
        CostSource.BuiltIn => "built-in",
        CostSource.Cache => "cache",
        _ => "unknown",
    };

    /// <summary>The source named <paramref name="wireName"/>; <see cref="CostSource.Unknown"/> for any other text.</summary>
    /// <param name="wireName">A wire name.</param>
    public static CostSource Parse(string? wireName) => wireName switch
    {
        "proxy-header" => CostSource.ProxyHeader,
        "config-price" => CostSource.ConfigPrice,
        "price-map" => CostSource.PriceMap,
        "built-in" => CostSource.BuiltIn,
        "cache" => CostSource.Cache,
        _ => CostSource.Unknown,
    };
}
