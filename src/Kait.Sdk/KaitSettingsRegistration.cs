using Kait.Sdk.Costs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kait.Sdk;

/// <summary>
/// Registers Kait's settings once per container, for <c>AddKaitSdk</c>, <c>AddLiteLlmProxy</c> and
/// <c>AddKaitCostTracking</c> alike: <see cref="KaitOptions"/> read by <see cref="KaitOptionsLoader"/> from the
/// configuration (the one given to <c>AddKaitSdk</c>, else the container's <see cref="IConfiguration"/>, else none) and
/// the <see cref="KaitEnvironment"/> (the process and its <c>.env</c> unless one is registered), <see cref="KaitPaths"/>,
/// and <see cref="KaitCostOptions"/> from <see cref="KaitOptions.Costs"/>.
/// </summary>
internal sealed class KaitSettingsRegistration
{
    private KaitSettingsRegistration()
    {
    }

    /// <summary>The configuration given by the host; null: the container's own, if it has one.</summary>
    public IConfiguration? Configuration { get; private set; }

    public static void Add(IServiceCollection services, IConfiguration? configuration)
    {
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(KaitSettingsRegistration))?.ImplementationInstance as KaitSettingsRegistration;
        if (existing is not null)
        {
            existing.Configuration = configuration ?? existing.Configuration;
            return;
        }

        var registration = new KaitSettingsRegistration { Configuration = configuration };
        services.AddSingleton(registration);
        services.TryAddSingleton(_ => KaitEnvironment.FromProcess());
        services.AddOptions<KaitOptions>()
            .Configure<KaitSettingsRegistration, KaitEnvironment, IServiceProvider>(static (options, registration, environment, provider) =>
                KaitOptionsLoader.Populate(options, registration.Configuration ?? provider.GetService<IConfiguration>(), environment));
        services.TryAddSingleton(static sp => KaitPaths.From(sp.GetRequiredService<IOptions<KaitOptions>>().Value, sp.GetRequiredService<KaitEnvironment>()));
        services.AddOptions<KaitCostOptions>()
            .Configure<IOptions<KaitOptions>, KaitPaths>(static (costs, settings, paths) => costs.CopyFrom(settings.Value.Costs, paths));
    }
}
