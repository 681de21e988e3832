namespace Kait.Sdk.Costs;

/// <summary>Where a call's cost came from, best first. Stored in the ledger as its wire name
/// (<see cref="CostSourceNames.ToWireName"/>).</summary>
public enum CostSource
{
    /// <summary><c>unknown</c>: nothing priced the model; the cost is null, never a made-up 0.</summary>
    Unknown = 0,

    /// <summary><c>proxy-header</c>: the LiteLLM proxy's <c>x-litellm-response-cost</c> header.</summary>
    ProxyHeader,

    /// <summary><c>config-price</c>: prices in the LiteLLM config (<see cref="ModelDeployment.InputCostPerToken"/>...).</summary>
    ConfigPrice,

    /// <summary><c>price-map</c>: the LiteLLM-format price map named by <c>KAIT_PRICE_MAP</c>.</summary>
    PriceMap,

    /// <summary><c>built-in</c>: the prices Kait carries for its default aliases' models.</summary>
    BuiltIn,

    /// <summary><c>cache</c>: a cache hit; it cost nothing.</summary>
    Cache,
}
