namespace Kait.Sdk;

/// <summary>Prices a call the proxy did not price (the direct route, or a proxy answer without a cost header).
/// Register your own in DI to replace <see cref="UnknownCostCalculator"/>.</summary>
public interface ICostCalculator
{
    /// <summary>The cost of a call.</summary>
    /// <param name="aliasName">The alias called.</param>
    /// <param name="deployment">The deployment that served it, when known.</param>
    /// <param name="providerModel">The model the provider reported, when known.</param>
    /// <param name="usage">Its token counts.</param>
    CostEstimate Estimate(string aliasName, ModelDeployment? deployment, string? providerModel, LlmUsage usage);
}

/// <summary>A price and where it came from.</summary>
/// <param name="CostUsd">USD; null when unknown.</param>
/// <param name="Source">Where it came from.</param>
public readonly record struct CostEstimate(decimal? CostUsd, CostSource Source)
{
    /// <summary>Unknown cost.</summary>
    public static CostEstimate Unknown => new(null, CostSource.Unknown);
}

/// <summary>The default calculator: every cost is unknown.</summary>
public sealed class UnknownCostCalculator : ICostCalculator
{
    /// <inheritdoc />
    public CostEstimate Estimate(string aliasName, ModelDeployment? deployment, string? providerModel, LlmUsage usage) => CostEstimate.Unknown;
}
