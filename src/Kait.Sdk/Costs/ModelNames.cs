namespace Kait.Sdk.Costs;

/// <summary>How a model name is looked up in a price table: by its full name, then without the provider prefix.</summary>
internal static class ModelNames
{
    public static bool TryLookup<T>(IReadOnlyDictionary<string, T> prices, string model, out T price)
        where T : struct
    {
        if (prices.TryGetValue(model, out price))
        {
            return true;
        }

        var slash = model.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && slash < model.Length - 1 && prices.TryGetValue(model[(slash + 1)..], out price))
        {
            return true;
        }

        price = default;
        return false;
    }

    /// <summary>The names to try for a deployment, best first: <c>model_info.base_model</c> (what LiteLLM prices by
    /// when set), then <c>litellm_params.model</c>, then the provider's own name qualified by the provider.</summary>
    public static IEnumerable<string> Candidates(ModelDeployment deployment)
    {
        if (!string.IsNullOrWhiteSpace(deployment.BaseModel))
        {
            yield return deployment.BaseModel;
        }

        yield return deployment.Model;
        if (deployment.Provider is { Length: > 0 } provider && !string.Equals(deployment.ProviderModel, deployment.Model, StringComparison.Ordinal))
        {
            yield return provider + "/" + deployment.ProviderModel;
        }
    }
}
