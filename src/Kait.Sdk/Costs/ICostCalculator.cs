namespace Kait.Sdk.Costs;

/// <summary>Prices a call.</summary>
public interface ICostCalculator
{
    /// <summary>
    /// The cost of a call, from the first source that knows it: the proxy's <c>x-litellm-response-cost</c> header,
    /// the config's prices on <paramref name="deployment"/>, the <c>KAIT_PRICE_MAP</c> price map, Kait's built-in
    /// prices, else <see cref="CostResult.Unknown"/> (a null cost). A cache hit is <see cref="CostResult.CacheHit"/>; it
    /// needs no calculator.
    /// </summary>
    /// <param name="deployment">The deployment that answered.</param>
    /// <param name="usage">The normalised usage (<see cref="LlmUsage"/>).</param>
    /// <param name="proxyCostHeader">The raw <c>x-litellm-response-cost</c> header value, when the call went through the proxy.</param>
    CostResult Calculate(ModelDeployment deployment, LlmUsage usage, string? proxyCostHeader = null);
}
