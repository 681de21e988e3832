using System.Diagnostics.Metrics;
using Kait.Sdk;
using Kait.Sdk.Costs;
using Kait.Sdk.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

#pragma warning disable IDE0130 // The conventional namespace of service registrations.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers Kait's cost tracking.</summary>
public static class KaitCostServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="KaitCostOptions"/> (Kait's settings, <see cref="KaitOptions.Costs"/>: <c>Kait:Costs</c>, then
    /// <c>.env</c>, then <c>KAIT_PRICE_MAP</c>, <c>KAIT_BUDGET_DAILY_USD</c>, <c>KAIT_BUDGET_MONTHLY_USD</c>; the ledger is
    /// <see cref="KaitPaths.LedgerFile"/> under <c>KAIT_HOME</c>; then <paramref name="configure"/>), and as singletons
    /// <see cref="ICostCalculator"/>, <see cref="ICostLedger"/>, <see cref="LlmCostTracker"/> (also as <see cref="ILlmCostTracker"/>; disposed with
    /// the container, which writes what is queued), <see cref="BudgetGuard"/>, <see cref="KaitTelemetry"/> and, unless one is
    /// there, <see cref="TimeProvider.System"/>. Register a <see cref="KaitEnvironment"/> first to read other variables
    /// than the process's.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets options after the settings have been read.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddKaitCostTracking(this IServiceCollection services, Action<KaitCostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        KaitSettingsRegistration.Add(services, configuration: null);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ICostCalculator>(sp => new DefaultCostCalculator(
            sp.GetRequiredService<IOptions<KaitCostOptions>>(), sp.GetService<ILogger<DefaultCostCalculator>>()));
        services.TryAddSingleton<ICostLedger>(sp => new SqliteCostLedger(sp.GetRequiredService<IOptions<KaitCostOptions>>()));
        services.TryAddSingleton(sp => new LlmCostTracker(
            sp.GetRequiredService<IOptions<KaitCostOptions>>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<LlmCostTracker>>()));
        services.TryAddSingleton<ILlmCostTracker>(sp => sp.GetRequiredService<LlmCostTracker>());
        services.TryAddSingleton(sp => new BudgetGuard(
            sp.GetRequiredService<IOptions<KaitCostOptions>>(), sp.GetRequiredService<ICostLedger>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<BudgetGuard>>(),
            sp.GetRequiredService<LlmCostTracker>()));
        services.TryAddSingleton(sp => new KaitTelemetry(sp.GetService<IMeterFactory>()));
        return services;
    }
}
