using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kait.Sdk.Costs.Tests;

public sealed class OptionsTests
{
    // The cost options as a container resolves them, over the given variables (and the .env of a fresh folder).
    private static KaitCostOptions Resolve(Action<KaitCostOptions>? configure, params (string Name, string Value)[] variables)
    {
        using var dir = new TempDir();
        var map = variables.ToDictionary(v => v.Name, v => (string?)v.Value, StringComparer.Ordinal);
        var services = new ServiceCollection();
        services.AddSingleton(KaitEnvironment.FromDictionary(map, dir.Path));
        services.AddKaitCostTracking(configure);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<KaitCostOptions>>().Value;
    }

    [Fact]
    public void KAIT_HOME_moves_the_ledger_and_the_other_variables_set_price_map_and_budgets()
    {
        var options = Resolve(null,
            ("KAIT_HOME", "/srv/kait"), ("KAIT_PRICE_MAP", "/srv/prices.json"), ("KAIT_BUDGET_DAILY_USD", "2.5"), ("KAIT_BUDGET_MONTHLY_USD", "1e2"));

        Assert.Equal("/srv/kait/llm_costs.db", options.ResolveDatabasePath());
        Assert.Equal("/srv/prices.json", options.PriceMapPath);
        Assert.Equal((2.5m, 100m), (options.DailyBudgetUsd, options.MonthlyBudgetUsd));
    }

    [Fact]
    public void Without_variables_the_ledger_is_in_the_users_dot_kait_and_a_named_file_wins()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var options = Resolve(null, ("HOME", home));

        Assert.Equal(Path.Combine(home, ".kait", "llm_costs.db"), options.ResolveDatabasePath());
        Assert.Null(options.DailyBudgetUsd);
        Assert.Equal(Path.Combine(home, ".kait", "llm_costs.db"), new KaitCostOptions().ResolveDatabasePath());
        Assert.Equal("/tmp/elsewhere/costs.db", new KaitCostOptions { DatabasePath = "/tmp/elsewhere/costs.db" }.ResolveDatabasePath());
        Assert.Equal("/tmp/elsewhere/costs.db", Resolve(o => o.DatabasePath = "/tmp/elsewhere/costs.db").ResolveDatabasePath());
    }

    [Fact]
    public void A_budget_that_is_not_a_number_is_a_clear_error_not_a_silent_no_limit()
    {
        var error = Assert.Throws<KaitConfigurationException>(() => Resolve(null, ("KAIT_BUDGET_DAILY_USD", "five dollars")));
        Assert.Equal("KAIT_BUDGET_DAILY_USD", error.Variable);
        Assert.Contains("KAIT_BUDGET_DAILY_USD", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Retrying_after_a_possibly_billed_attempt_is_on_by_default()
        => Assert.True(new KaitCostOptions().RetryAfterPossibleBilling);

    [Fact]
    public async Task AddKaitCostTracking_reads_the_injected_environment_and_the_container_flushes_the_tracker_on_dispose()
    {
        using var dir = new TempDir();
        var services = new ServiceCollection();
        services.AddSingleton(KaitEnvironment.FromDictionary(
            new Dictionary<string, string?> { ["KAIT_HOME"] = dir.Path, ["KAIT_BUDGET_DAILY_USD"] = "3", ["KAIT_BUDGET_MONTHLY_USD"] = "9" }, dir.Path));
        services.AddKaitCostTracking(o => o.MonthlyBudgetUsd = 50m);

        await using (var provider = services.BuildServiceProvider())
        {
            var options = provider.GetRequiredService<IOptions<KaitCostOptions>>().Value;
            Assert.Equal((3m, 50m), (options.DailyBudgetUsd, options.MonthlyBudgetUsd));
            Assert.True(provider.GetRequiredService<BudgetGuard>().IsEnabled);
            Assert.IsType<DefaultCostCalculator>(provider.GetRequiredService<ICostCalculator>());
            await provider.GetRequiredService<LlmCostTracker>().RecordAsync(new LlmCallRecord { TimestampUtc = DateTimeOffset.UtcNow, Alias = "claude-fast" });
        }

        Assert.Equal(1, Db.Scalar(Path.Combine(dir.Path, "llm_costs.db"), "SELECT COUNT(*) FROM llm_calls"));
    }
}
