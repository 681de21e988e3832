using System.Globalization;

namespace Kait.Sdk.Costs;

/// <summary>The LiteLLM proxy's <c>x-litellm-response-cost</c> header.</summary>
internal static class ProxyCostHeader
{
    /// <summary>The header's name.</summary>
    public const string Name = "x-litellm-response-cost";

    /// <summary>
    /// Parses the header's value invariantly (<c>0.00042</c>, <c>4.2e-05</c>, <c>1E-7</c>); false for an empty,
    /// malformed, negative or implausible (over 10,000 USD for one call) value, so that the next cost source is tried.
    /// </summary>
    /// <param name="value">The header's value, or null when the response had none.</param>
    /// <param name="costUsd">The cost in USD.</param>
    public static bool TryParse(string? value, out decimal costUsd)
    {
        costUsd = 0m;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        if (!decimal.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) || !CostSanity.IsPlausible(parsed))
        {
            return false;
        }

        costUsd = parsed;
        return true;
    }
}
