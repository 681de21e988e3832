using Kait.Sdk.Config;

namespace Kait.Sdk.Routing;

/// <summary>Picks the direct bridge for an alias: its first deployment whose provider has one (<c>anthropic</c>,
/// <c>openai</c>, as LiteLLM infers them), the key from the variable the config names, the base URL from
/// <c>api_base</c>, else <c>ANTHROPIC_BASE_URL</c>/<c>OPENAI_BASE_URL</c>, else the public endpoint.</summary>
internal sealed class DirectRouteResolver(KaitEnvironment environment, IModelCatalog catalog)
{
    internal static readonly Uri AnthropicPublic = new("https://api.anthropic.com");
    internal static readonly Uri OpenAIPublic = new("https://api.openai.com/v1");

    /// <summary>The target, or a reason it has none (the exception to throw).</summary>
    public DirectTarget? TryResolve(ModelAlias alias, out KaitException? failure)
    {
        var deployments = alias.Deployments;
        if (deployments.Count == 0 && alias.GroupAliasTarget is { } target && catalog.TryResolve(target, out var group))
        {
            deployments = group.Deployments;
        }

        foreach (var deployment in deployments)
        {
            if (BridgeOf(deployment.Provider) is { } b)
            {
                return Complete(alias, b, deployment, out failure);
            }
        }

        var providers = deployments.Select(d => d.Provider ?? "unknown (" + d.Model + ")").Distinct(StringComparer.Ordinal).ToArray();
        failure = new NoDirectRouteException(
            $"Model alias '{alias.Name}' goes to provider '{string.Join("', '", providers)}', which Kait cannot call directly "
            + "(direct bridges: anthropic, openai). Enable the LiteLLM proxy (KAIT_LITELLM_ENABLED=true) to call it.")
        {
            Provider = providers.FirstOrDefault(),
        };
        return null;
    }

    /// <summary>The target, or throws why there is none.</summary>
    /// <summary>The first deployment a direct bridge can serve (the one <see cref="TryResolve"/> picks), or null.</summary>
    public static ModelDeployment? FirstBridgeable(IReadOnlyList<ModelDeployment> deployments) =>
        deployments.FirstOrDefault(d => BridgeOf(d.Provider) is not null);

    /// <summary>The bridge of a provider: only <c>anthropic</c> and <c>openai</c> have one.</summary>
    public static DirectBridge? BridgeOf(string? provider) => provider switch
    {
        "anthropic" => DirectBridge.Anthropic,
        "openai" => DirectBridge.OpenAI,
        _ => null,
    };

    public DirectTarget Resolve(ModelAlias alias) => TryResolve(alias, out var failure) ?? throw failure!;

    private DirectTarget? Complete(ModelAlias alias, DirectBridge bridge, ModelDeployment deployment, out KaitException? failure)
    {
        failure = null;
        var keyVariable = deployment.ApiKeyVariable
            ?? (bridge == DirectBridge.Anthropic ? KaitEnvironmentVariables.AnthropicApiKey : KaitEnvironmentVariables.OpenAIApiKey);
        var key = environment.Get(keyVariable);
        if (key is null)
        {
            failure = new KaitConfigurationException(
                $"Model alias '{alias.Name}' needs the {keyVariable} environment variable (its {deployment.Provider} key) to be called directly; it is not set.")
            {
                Variable = keyVariable,
            };
            return null;
        }

        var baseVariable = bridge == DirectBridge.Anthropic ? KaitEnvironmentVariables.AnthropicBaseUrl : KaitEnvironmentVariables.OpenAIBaseUrl;
        var configured = deployment.ApiBase;
        var source = "api_base of '" + alias.Name + "'";
        if (configured is not null && EnvironmentReference.TryParse(configured, out var apiBaseVariable))
        {
            configured = environment.Get(apiBaseVariable);
            source = apiBaseVariable;
        }

        if (configured is null)
        {
            configured = environment.Get(baseVariable);
            source = baseVariable;
        }

        Uri baseUrl;
        if (configured is null)
        {
            baseUrl = bridge == DirectBridge.Anthropic ? AnthropicPublic : OpenAIPublic;
        }
        else if (!Uri.TryCreate(configured.TrimEnd('/'), UriKind.Absolute, out baseUrl!))
        {
            failure = new KaitConfigurationException($"{source}='{configured}' is not an absolute URL.") { Variable = source };
            return null;
        }

        return new DirectTarget(bridge, deployment, baseUrl, key);
    }
}
