using Kait.Sdk;
using Kait.Sdk.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the supervised LiteLLM proxy with a generic host.</summary>
public static class LiteLlmProxyServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="LiteLlmProxyService"/> as a singleton and as a hosted service (started and stopped with the host:
    /// with <c>KAIT_LITELLM_ENABLED=true</c> it starts the proxy and keeps it running), and <see cref="LiteLlmProxyHealthCheck"/>;
    /// add the check with <c>services.AddHealthChecks().AddCheck&lt;LiteLlmProxyHealthCheck&gt;("litellm")</c>. Its options
    /// come from the same settings as <c>AddKaitSdk</c> (<see cref="LiteLlmProxyOptions.From"/>): the configuration given
    /// to <c>AddKaitSdk</c> or the host's <c>IConfiguration</c>, then <c>.env</c>, then the environment. One line for a
    /// host: <c>services.AddKaitSdk(configuration).AddLiteLlmProxy();</c>
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Changes the derived options (e.g. the readiness timeout) before the service gets them.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddLiteLlmProxy(this IServiceCollection services, Action<LiteLlmProxyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        KaitSettingsRegistration.Add(services, configuration: null);
        services.TryAddSingleton(sp =>
        {
            var options = LiteLlmProxyOptions.From(sp.GetRequiredService<IOptions<KaitOptions>>().Value, sp.GetRequiredService<KaitPaths>());
            configure?.Invoke(options);
            return options;
        });
        return AddService(services);
    }

    /// <summary>Adds the proxy service (as <see cref="AddLiteLlmProxy(IServiceCollection, Action{LiteLlmProxyOptions}?)"/>)
    /// with these <paramref name="options"/> instead of the settings.</summary>
    /// <param name="services">The services.</param>
    /// <param name="options">The settings.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddLiteLlmProxy(this IServiceCollection services, LiteLlmProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(options);
        return AddService(services);
    }

    private static IServiceCollection AddService(IServiceCollection services)
    {
        services.TryAddSingleton(sp => new LiteLlmProxyService(
            sp.GetRequiredService<LiteLlmProxyOptions>(),
            sp.GetService<ILogger<LiteLlmProxyService>>(),
            sp.GetService<TimeProvider>()));
        services.AddHostedService(sp => sp.GetRequiredService<LiteLlmProxyService>());
        services.TryAddSingleton<LiteLlmProxyHealthCheck>();
        return services;
    }
}
