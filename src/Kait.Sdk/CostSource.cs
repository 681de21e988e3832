namespace Kait.Sdk;

/// <summary>Where a call's cost came from.</summary>
public enum CostSource
{
    /// <summary>Not known (<c>unknown</c>).</summary>
    Unknown,

    /// <summary>The proxy's <c>x-litellm-response-cost</c> header (<c>proxy-header</c>).</summary>
    ProxyHeader,

    /// <summary>Per-token prices in the LiteLLM config (<c>config-price</c>).</summary>
    ConfigPrice,

    /// <summary>LiteLLM's price map (<c>price-map</c>).</summary>
    PriceMap,

    /// <summary>Kait's built-in prices (<c>built-in</c>).</summary>
    BuiltIn,

    /// <summary>A cache hit: no provider call was paid for (<c>cache</c>).</summary>
    Cache,

    /// <summary>Kait's conservative estimate (<c>estimate</c>): the real cost is not known but may have been charged, so an
    /// estimate is booked instead of nothing. Used for an attempt that failed after its request may have reached the
    /// provider (a timeout after sending, a connection closed before the answer, a broken stream), and, when a budget is
    /// set, for an answer nothing could price. See <c>docs/costs.md</c>.</summary>
    Estimated,
}

/// <summary>The wire names of <see cref="CostSource"/>.</summary>
internal static class CostSourceNames
{
    /// <summary>The name (<c>proxy-header</c>, <c>config-price</c>, <c>price-map</c>, <c>built-in</c>, <c>cache</c>,
    /// <c>estimate</c>, <c>unknown</c>).</summary>
    public static string ToName(this CostSource source) => source switch
    {
        CostSource.ProxyHeader => "proxy-header",
        CostSource.ConfigPrice => "config-price",
        CostSource.PriceMap => "price-map",
        CostSource.BuiltIn => "built-in",
        CostSource.Cache => "cache",
        CostSource.Estimated => "estimate",
        _ => "unknown",
    };

    /// <summary>Parses a name of <see cref="ToName"/>; unknown for anything else.</summary>
    public static CostSource Parse(string? name) => name switch
    {
        "proxy-header" => CostSource.ProxyHeader,
        "config-price" => CostSource.ConfigPrice,
        "price-map" => CostSource.PriceMap,
        "built-in" => CostSource.BuiltIn,
        "cache" => CostSource.Cache,
        "estimate" => CostSource.Estimated,
        _ => CostSource.Unknown,
    };
}
