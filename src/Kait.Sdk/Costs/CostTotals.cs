namespace Kait.Sdk.Costs;

/// <summary>Totals of one group of calls.</summary>
/// <param name="Key">The group: a UTC day (<c>yyyy-MM-dd</c>), an alias, a model or a route.</param>
/// <param name="Calls">Calls, failures and cache hits included.</param>
/// <param name="InputTokens">Input tokens (cached reads included).</param>
/// <param name="OutputTokens">Output tokens.</param>
/// <param name="CostUsd">The cost, USD: known costs plus Kait's estimates for calls that may have been billed
/// (<see cref="EstimatedCostUsd"/> of it); calls of unknown cost (<see cref="UnknownCostCalls"/>) add nothing.</param>
/// <param name="CacheHits">Calls answered from a cache.</param>
public sealed record CostTotals(string Key, long Calls, long InputTokens, long OutputTokens, decimal CostUsd, long CacheHits)
{
    /// <summary>Input tokens read from a provider's cache.</summary>
    public long CachedInputTokens { get; init; }

    /// <summary>Calls whose cost is unknown (not in <see cref="CostUsd"/>).</summary>
    public long UnknownCostCalls { get; init; }

    /// <summary>Calls booked at Kait's estimate (<see cref="CostSource.Estimated"/>): a call that may have been billed
    /// though its real cost is unknown, or, with a budget set, one nothing could price.</summary>
    public long EstimatedCostCalls { get; init; }

    /// <summary>The part of <see cref="CostUsd"/> that is estimates, USD.</summary>
    public decimal EstimatedCostUsd { get; init; }
}
