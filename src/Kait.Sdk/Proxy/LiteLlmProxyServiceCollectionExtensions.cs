using Kait.Sdk.Proxy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the supervised LiteLLM proxy with a generic host.</summary>
public static class LiteLlmProxyServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="LiteLlmProxyService"/> as a singleton and as a hosted service (started and stopped with the host), and
    /// <see cref="LiteLlmProxyHealthCheck"/>; add the check with <c>services.AddHealthChecks().AddCheck&lt;LiteLlmProxyHealthCheck&gt;("litellm")</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="options">The settings; <see cref="LiteLlmProxyOptions.FromEnvironment"/> when <see langword="null"/>.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddLiteLlmProxy(this IServiceCollection services, LiteLlmProxyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(options ?? LiteLlmProxyOptions.FromEnvironment());
        services.TryAddSingleton<LiteLlmProxyService>();
        services.AddHostedService(sp => sp.GetRequiredService<LiteLlmProxyService>());
        services.TryAddSingleton<LiteLlmProxyHealthCheck>();
        return services;
    }
}
