using Microsoft.Extensions.Time.Testing;

namespace Kait.Sdk.Costs.Tests;

public sealed class BudgetTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 15, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static async Task SpendAsync(TempDir dir, params (DateTimeOffset At, decimal Usd)[] calls)
    {
        await using var tracker = new LlmCostTracker(dir.Options(), new FakeTimeProvider(Now));
        foreach (var (at, usd) in calls)
        {
            await tracker.RecordAsync(new LlmCallRecord { TimestampUtc = at, Alias = "claude-fast", CostUsd = usd, CostSource = CostSource.ProxyHeader });
        }
    }

    private static BudgetGuard Guard(TempDir dir, TimeProvider time, decimal? daily, decimal? monthly)
    {
        var options = dir.Options(o => { o.DailyBudgetUsd = daily; o.MonthlyBudgetUsd = monthly; });
        return new BudgetGuard(options, new SqliteCostLedger(options), time);
    }

    [Fact]
    public async Task Daily_budget_seeded_from_the_ledger_refuses_once_reached_naming_spend_and_limit()
    {
        using var dir = new TempDir();
        await SpendAsync(dir, (Now.AddHours(-2), 1.25m), (Now.AddHours(-1), 0.75m), (Now.AddDays(-1), 40m));
        var guard = Guard(dir, new FakeTimeProvider(Now), daily: 2m, monthly: null);

        var error = await Assert.ThrowsAsync<BudgetExceededException>(() => guard.ReserveAsync(0.01m).AsTask());

        Assert.Equal((2m, 2m, "daily"), (error.SpentUsd, error.LimitUsd, error.Period));
        Assert.Contains("$2 of $2", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<KaitException>(error);
    }

    [Fact]
    public async Task Below_the_daily_limit_calls_go_through_and_settled_costs_count()
    {
        using var dir = new TempDir();
        await SpendAsync(dir, (Now.AddHours(-1), 1.5m));
        var guard = Guard(dir, new FakeTimeProvider(Now), daily: 2m, monthly: null);

        using (var reservation = await guard.ReserveAsync(0.1m))
        {
            reservation.Settle(0.5m);
        }

        var error = await Assert.ThrowsAsync<BudgetExceededException>(() => guard.ReserveAsync(0.1m).AsTask());
        Assert.Equal(2m, error.SpentUsd);
        Assert.Equal(new BudgetSnapshot(2m, 2m, 0m, 2m, null), guard.GetSnapshot());
    }

    [Fact]
    public async Task Monthly_budget_counts_earlier_days_of_the_UTC_month_only()
    {
        using var dir = new TempDir();
        await SpendAsync(dir, (Now.AddDays(-10), 6m), (Now.AddDays(-2), 4m), (new DateTimeOffset(2026, 10, 31, 23, 59, 0, TimeSpan.Zero), 500m));
        var guard = Guard(dir, new FakeTimeProvider(Now), daily: 100m, monthly: 10m);

        var error = await Assert.ThrowsAsync<BudgetExceededException>(() => guard.ReserveAsync(0m).AsTask());

        Assert.Equal((10m, 10m, "monthly"), (error.SpentUsd, error.LimitUsd, error.Period));
    }

    [Fact]
    public async Task A_new_UTC_day_and_month_start_from_zero()
    {
        using var dir = new TempDir();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero));
        var guard = Guard(dir, time, daily: 1m, monthly: 3m);
        for (var i = 0; i < 2; i++)
        {
            (await guard.ReserveAsync(0.5m)).Settle(0.5m);
        }

        await Assert.ThrowsAsync<BudgetExceededException>(() => guard.ReserveAsync(0.5m).AsTask());

        time.Advance(TimeSpan.FromHours(1)); // 2026-12-01 00:00 UTC
        using var next = await guard.ReserveAsync(0.5m);
        Assert.Equal(new BudgetSnapshot(0m, 0m, 0.5m, 1m, 3m), guard.GetSnapshot());
    }

    [Fact]
    public async Task A_reservation_released_unsettled_spends_nothing_and_unknown_cost_counts_the_estimate()
    {
        using var dir = new TempDir();
        var guard = Guard(dir, new FakeTimeProvider(Now), daily: 1m, monthly: null);

        (await guard.ReserveAsync(0.9m)).Dispose();
        Assert.Equal(0m, guard.GetSnapshot().DaySpentUsd);

        (await guard.ReserveAsync(0.3m)).Settle(null);
        Assert.Equal(new BudgetSnapshot(0.3m, 0.3m, 0m, 1m, null), guard.GetSnapshot());
    }

    [Fact]
    public async Task Sixty_four_concurrent_callers_overshoot_by_at_most_one_estimate()
    {
        using var dir = new TempDir();
        var guard = Guard(dir, new FakeTimeProvider(Now), daily: 1m, monthly: null);
        const decimal CallCost = 0.1m;
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var admitted = 0;
        var refused = 0;

        var callers = Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
        {
            await go.Task;
            try
            {
                using var reservation = await guard.ReserveAsync(CallCost);
                Interlocked.Increment(ref admitted);
                await Task.Delay(10); // the call, in flight while others check
                reservation.Settle(CallCost);
            }
            catch (BudgetExceededException)
            {
                Interlocked.Increment(ref refused);
            }
        })).ToList();
        go.SetResult();
        await Task.WhenAll(callers).WaitAsync(Bound);

        var spent = guard.GetSnapshot().DaySpentUsd;
        Assert.Equal(64, admitted + refused);
        Assert.InRange(spent, 1m, 1m + CallCost);
        Assert.Equal(10, admitted); // 0.0, 0.1, ..., 0.9 were below the limit when checked
    }

    [Fact]
    public async Task Without_budgets_the_guard_never_reads_the_ledger_nor_refuses()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new KaitCostOptions());
        var guard = new BudgetGuard(options, new ThrowingLedger(), new FakeTimeProvider(Now));

        using var reservation = await guard.ReserveAsync(1_000_000m);

        Assert.False(guard.IsEnabled);
    }

    [Fact]
    public async Task An_unreadable_ledger_does_not_stop_calls_and_budgets_count_from_zero()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new KaitCostOptions { DailyBudgetUsd = 1m });
        var logger = new ListLogger<BudgetGuard>();
        var guard = new BudgetGuard(options, new ThrowingLedger(), new FakeTimeProvider(Now), logger);

        (await guard.ReserveAsync(0.4m)).Settle(0.4m);

        Assert.Equal(0.4m, guard.GetSnapshot().DaySpentUsd);
        Assert.True(logger.Has(Microsoft.Extensions.Logging.LogLevel.Error, 4121));
    }

    private sealed class ThrowingLedger : ICostLedger
    {
        public Task<IReadOnlyList<CostTotals>> GetTotalsAsync(CostGroupBy groupBy, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken = default)
            => throw new InvalidOperationException("ledger unavailable");

        public Task<CostTotals> GetSummaryAsync(DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken = default)
            => throw new InvalidOperationException("ledger unavailable");

        public Task<IReadOnlyList<LlmCallRecord>> GetCallsAsync(DateTimeOffset fromUtc, DateTimeOffset toUtc, int limit = 100, CancellationToken cancellationToken = default)
            => throw new InvalidOperationException("ledger unavailable");
    }
}
