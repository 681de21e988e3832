using System.Net;
using Kait.Sdk.Caching;
using Kait.Sdk.Pipeline;
using Kait.Sdk.Routing;
using Kait.Sdk.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Kait.</summary>
public static class KaitServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="Kait.Sdk.LlmGateway"/> (also as <see cref="Kait.Sdk.ILlmGateway"/>),
    /// <see cref="Kait.Sdk.LiteLlmProxyClient"/>, <see cref="Kait.Sdk.KaitOptions"/>
    /// bound from the <c>Kait</c> section of <paramref name="configuration"/> and overridden by the <c>KAIT_*</c> variables,
    /// the alias catalogue (generated aliases merged with the run-time config), <see cref="Kait.Sdk.KaitPaths"/> and the
    /// HttpClientFactory clients of <see cref="KaitHttpClients"/>, whose logs redact <c>Authorization</c> and
    /// <c>x-api-key</c>. Register a <see cref="Kait.Sdk.KaitEnvironment"/>, a <see cref="TimeProvider"/> or an
    /// <see cref="Kait.Sdk.Costs.ICostCalculator"/> first to replace the defaults (the process environment, the system clock, the
    /// price sources). It also registers cost tracking (<c>AddKaitCostTracking</c>): a ledger row per call, budgets, telemetry.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration root (its <c>Kait</c> section is bound).</param>
    public static IServiceCollection AddKaitSdk(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        // The one settings model (configuration, then .env, then the environment), its paths and the cost options.
        Kait.Sdk.KaitSettingsRegistration.Add(services, configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<Kait.Sdk.IModelCatalog>(sp => RuntimeCatalogLoader.Load(
            sp.GetRequiredService<IOptions<Kait.Sdk.KaitOptions>>().Value,
            sp.GetRequiredService<Kait.Sdk.KaitEnvironment>(),
            sp.GetRequiredService<ILoggerFactory>()));

        // Every client: Kait's User-Agent, no redirect followed (a redirect would carry the prompt, and Anthropic's
        // x-api-key, to another host), keys redacted from HttpClientFactory's logs, the pipeline's own timeouts.
        foreach (var name in (ReadOnlySpan<string>)[KaitHttpClients.LiteLlm, KaitHttpClients.Anthropic, KaitHttpClients.OpenAI, Kait.Sdk.Http.HttpApis.LiteLlm, Kait.Sdk.Http.HttpApis.Anthropic, Kait.Sdk.Http.HttpApis.OpenAI])
        {
            var proxy = name is KaitHttpClients.LiteLlm or Kait.Sdk.Http.HttpApis.LiteLlm;
            services.AddHttpClient(name)
                .ConfigureHttpClient(static client =>
                {
                    client.Timeout = Timeout.InfiniteTimeSpan;
                    client.DefaultRequestHeaders.UserAgent.Add(KaitHttpClients.Product);
                    client.DefaultRequestHeaders.UserAgent.Add(KaitHttpClients.Runtime);
                })
                .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
                {
                    ConnectTimeout = proxy ? sp.GetRequiredService<IOptions<Kait.Sdk.KaitOptions>>().Value.Proxy.ConnectTimeout : TimeSpan.FromSeconds(30),
                    AutomaticDecompression = DecompressionMethods.All,
                    AllowAutoRedirect = false,
                })
                .RedactLoggedHeaders(KaitHttpClients.CredentialHeaders);
        }

        // The wire APIs, raw, as typed clients: each adds its own key for its own host only.
        Kait.Sdk.Http.HttpApis.Add(services);

        // Costs: every call is priced, booked in the SQLite ledger (KaitPaths.LedgerFile) and held to the budgets.
        services.AddKaitCostTracking();
        services.TryAddSingleton(sp => new DirectRouteResolver(sp.GetRequiredService<Kait.Sdk.KaitEnvironment>(), sp.GetRequiredService<Kait.Sdk.IModelCatalog>()));
        services.TryAddSingleton(sp => new ResponseCache(
            sp.GetRequiredService<IOptions<Kait.Sdk.KaitOptions>>().Value,
            sp.GetRequiredService<Kait.Sdk.KaitPaths>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetKeyedService<Microsoft.Extensions.Caching.Distributed.IDistributedCache>(Kait.Sdk.KaitCacheOptions.SharedStoreKey)));

        // The one request pipeline: accounting → cache → route and fallback → resilience → transport.
        services.TryAddSingleton(sp =>
        {
            var time = sp.GetRequiredService<TimeProvider>();
            var settings = sp.GetRequiredService<IOptions<Kait.Sdk.KaitOptions>>().Value;
            return new CallPipeline(
                new CallPlanner(
                    sp.GetRequiredService<IOptions<Kait.Sdk.KaitOptions>>(),
                    sp.GetRequiredService<DirectRouteResolver>(),
                    sp.GetRequiredService<ILogger<CallPlanner>>(),
                    new Kait.Sdk.ModelCapabilityCatalog(sp.GetRequiredService<IOptions<Kait.Sdk.Costs.KaitCostOptions>>().Value.PriceMapPath, sp.GetRequiredService<ILoggerFactory>().CreateLogger("Kait.Sdk.Models"))),
                next => new AccountingStage(
                    next,
                    sp.GetRequiredService<Kait.Sdk.Costs.ICostCalculator>(),
                    new Kait.Sdk.Costs.CostEstimator(sp.GetRequiredService<Kait.Sdk.Costs.ICostCalculator>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Kait.Sdk.Costs")),
                    sp.GetRequiredService<Kait.Sdk.Costs.ILlmCostTracker>(),
                    sp.GetRequiredService<Kait.Sdk.Costs.BudgetGuard>(),
                    sp.GetRequiredService<Kait.Sdk.Telemetry.KaitTelemetry>(),
                    sp.GetRequiredService<IOptions<Kait.Sdk.Costs.KaitCostOptions>>().Value,
                    time,
                    sp.GetRequiredService<ILoggerFactory>().CreateLogger("Kait.Sdk.Costs")),
                next => new CacheStage(next, sp.GetRequiredService<ResponseCache>(), time),
                next => new ResilienceStage(next, settings, time, sp.GetRequiredService<ILoggerFactory>().CreateLogger("Kait.Sdk.Resilience")),
                new TransportStage(sp.GetRequiredService<IHttpClientFactory>(), time, WireLimits.From(settings.Resilience)),
                time);
        });
        services.TryAddSingleton(sp => new Kait.Sdk.LlmGateway(
            sp.GetRequiredService<CallPipeline>(),
            sp.GetRequiredService<Kait.Sdk.IModelCatalog>(),
            sp.GetRequiredService<IOptions<Kait.Sdk.KaitOptions>>().Value));
        services.TryAddSingleton<Kait.Sdk.ILlmGateway>(sp => sp.GetRequiredService<Kait.Sdk.LlmGateway>());
        services.TryAddSingleton(sp => new Kait.Sdk.LiteLlmProxyClient(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<IOptions<Kait.Sdk.KaitOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
