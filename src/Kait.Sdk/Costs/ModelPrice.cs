namespace Kait.Sdk.Costs;

/// <summary>A model's per-token prices in USD, as LiteLLM names them.</summary>
/// <param name="InputCostPerToken"><c>input_cost_per_token</c>.</param>
/// <param name="OutputCostPerToken"><c>output_cost_per_token</c>.</param>
/// <param name="CacheReadInputTokenCost"><c>cache_read_input_token_cost</c>; null: cached reads cost nothing (as in LiteLLM).</param>
/// <param name="CacheCreationInputTokenCost"><c>cache_creation_input_token_cost</c>; null: cache writes cost nothing (as in LiteLLM).</param>
public readonly record struct ModelPrice(
    decimal InputCostPerToken,
    decimal OutputCostPerToken,
    decimal? CacheReadInputTokenCost = null,
    decimal? CacheCreationInputTokenCost = null)
{
    /// <summary>
    /// LiteLLM's formula (<c>generic_cost_per_token</c>): input tokens less cached ones at the input rate, cached
    /// prompt tokens at the cache-read rate, cache writes at the cache-creation rate, output tokens at the output rate.
    /// </summary>
    /// <param name="usage">The normalised usage.</param>
    public decimal Cost(LlmUsage usage)
        => (usage.UncachedInputTokens * InputCostPerToken)
           + (usage.CachedInputTokens * (CacheReadInputTokenCost ?? 0m))
           + (usage.CacheCreationInputTokens * (CacheCreationInputTokenCost ?? 0m))
           + (usage.OutputTokens * OutputCostPerToken);

    /// <summary>The prices a deployment's config carries, when it carries both the input and the output price.</summary>
    /// <param name="deployment">The deployment.</param>
    /// <param name="price">Its prices.</param>
    public static bool TryFromDeployment(ModelDeployment deployment, out ModelPrice price)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (deployment.InputCostPerToken is { } input && deployment.OutputCostPerToken is { } output)
        {
            price = new ModelPrice(input, output, deployment.CacheReadInputTokenCost, deployment.CacheCreationInputTokenCost);
            return true;
        }

        price = default;
        return false;
    }
}
