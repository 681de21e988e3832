namespace Kait.Sdk.Routing;

/// <summary>Where a direct call goes: the bridge, the deployment, the base URL and the provider key.</summary>
/// <param name="Bridge">The bridge.</param>
/// <param name="Deployment">The deployment served.</param>
/// <param name="BaseUrl">The provider's base URL (Anthropic: without <c>/v1</c>; OpenAI: with it).</param>
/// <param name="ApiKey">The provider key (never logged, never sent elsewhere).</param>
internal sealed record DirectTarget(DirectBridge Bridge, ModelDeployment Deployment, Uri BaseUrl, string ApiKey)
{
    /// <summary>The provider name.</summary>
    public string Provider => Bridge == DirectBridge.Anthropic ? "anthropic" : "openai";

    /// <inheritdoc />
    public override string ToString() => $"{Provider} {Deployment.ProviderModel} at {BaseUrl}"; // no key
}
