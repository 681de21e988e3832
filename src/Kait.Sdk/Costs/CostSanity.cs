namespace Kait.Sdk.Costs;

/// <summary>
/// The bounds a cost or a price must keep to be believed, whatever its source (the proxy's header, the config, the price
/// map, a custom <see cref="ICostCalculator"/>): a value outside them is treated as unknown, logged by whoever met it,
/// and never booked.
/// </summary>
internal static class CostSanity
{
    /// <summary>The most one call may cost: 10,000 USD, far above any real call (a full 2M-token context at the dearest
    /// list prices is a few hundred USD), low enough that one hostile header cannot spend a month's budget a thousand
    /// times over.</summary>
    public const decimal MaxCallCostUsd = 10_000m;

    /// <summary>The most one token may cost: 0.001 USD (1,000 USD per million tokens; the dearest real list price, o1-pro's
    /// output, is 600). Price-map entries above it are data errors (per-token prices given per thousand or per million).</summary>
    public const decimal MaxPricePerToken = 0.001m;

    /// <summary>A cost that can be booked: not negative, not above <see cref="MaxCallCostUsd"/>.</summary>
    public static bool IsPlausible(decimal costUsd) => costUsd >= 0m && costUsd <= MaxCallCostUsd;

    /// <summary>A per-token price that can be believed: not negative, not above <see cref="MaxPricePerToken"/>.</summary>
    public static bool IsPlausiblePrice(decimal pricePerToken) => pricePerToken >= 0m && pricePerToken <= MaxPricePerToken;

    /// <summary>A price whose every rate is plausible.</summary>
    public static bool IsPlausible(ModelPrice price) =>
        IsPlausiblePrice(price.InputCostPerToken) && IsPlausiblePrice(price.OutputCostPerToken)
        && IsPlausiblePrice(price.CacheReadInputTokenCost ?? 0m) && IsPlausiblePrice(price.CacheCreationInputTokenCost ?? 0m);

    /// <summary><paramref name="cost"/> when its amount is plausible (or unknown), else <see cref="CostResult.Unknown"/>.</summary>
    /// <param name="cost">A cost from any source.</param>
    /// <param name="rejected">The amount that was rejected, when one was.</param>
    public static CostResult Check(CostResult cost, out decimal? rejected)
    {
        if (cost.CostUsd is { } usd && !IsPlausible(usd))
        {
            rejected = usd;
            return CostResult.Unknown;
        }

        rejected = null;
        return cost.CostUsd is null && cost.Source != CostSource.Unknown ? CostResult.Unknown : cost;
    }
}
