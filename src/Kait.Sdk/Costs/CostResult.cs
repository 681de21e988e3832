namespace Kait.Sdk.Costs;

/// <summary>A call's cost and where it came from.</summary>
/// <param name="CostUsd">The cost in USD; null when <paramref name="Source"/> is <see cref="CostSource.Unknown"/>.</param>
/// <param name="Source">Where the cost came from.</param>
public readonly record struct CostResult(decimal? CostUsd, CostSource Source)
{
    /// <summary>Nothing priced the call: a null cost, never a made-up 0.</summary>
    public static CostResult Unknown => new(null, CostSource.Unknown);

    /// <summary>A cache hit: it cost nothing.</summary>
    public static CostResult CacheHit => new(0m, CostSource.Cache);
}
