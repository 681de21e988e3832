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
    public async Task An_unreadable_ledger_refuses_calls_saying_why_until_a_later_read_succeeds()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new KaitCostOptions { DailyBudgetUsd = 1m });
        var logger = new ListLogger<BudgetGuard>();
        var ledger = new ThrowingLedger { Failures = 2 };
        var guard = new BudgetGuard(options, ledger, new FakeTimeProvider(Now), logger);

        // Fail closed: the spend is unknown, so nothing is sent (and nothing is counted from zero).
        var error = await Assert.ThrowsAsync<BudgetExceededException>(() => guard.ReserveAsync(0.4m).AsTask());
        Assert.Equal((null, 1m, "daily"), (error.SpentUsd, error.LimitUsd, error.Period));
        Assert.Contains("cannot be checked", error.Message, StringComparison.Ordinal);
        Assert.Contains("ledger unavailable", error.Message, StringComparison.Ordinal);
        Assert.Contains("not sent", error.Message, StringComparison.Ordinal);
        Assert.True(logger.Has(Microsoft.Extensions.Logging.LogLevel.Error, 4121));
        Assert.Equal(0m, guard.GetSnapshot().InFlightUsd);

        // Each refused call reads again; once the ledger answers, calls go through and its spend counts.
        await Assert.ThrowsAsync<BudgetExceededException>(() => guard.ReserveAsync(0.4m).AsTask());
        ledger.Spent = 0.5m;
        (await guard.ReserveAsync(0.4m)).Settle(0.4m);

        Assert.Equal(0.9m, guard.GetSnapshot().DaySpentUsd);
        Assert.Equal(1, logger.Entries.Count(e => e.Id.Id == 4121)); // the same failure is logged once at Error
    }

    [Fact]
    public async Task A_ledger_file_that_is_not_a_database_refuses_calls_naming_the_file()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(Path.GetDirectoryName(dir.DatabasePath)!);
        await File.WriteAllBytesAsync(dir.DatabasePath, Enumerable.Range(0, 8192).Select(i => (byte)(i * 37)).ToArray());
        var guard = Guard(dir, new FakeTimeProvider(Now), daily: 5m, monthly: null);

        var error = await Assert.ThrowsAsync<BudgetExceededException>(() => guard.ReserveAsync(0.01m).AsTask());

        Assert.Null(error.SpentUsd);
        Assert.Contains(dir.DatabasePath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_corrupt_ledger_is_moved_aside_its_periods_stay_refused_until_the_copy_is_dealt_with()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(Path.GetDirectoryName(dir.DatabasePath)!);
        await File.WriteAllTextAsync(dir.DatabasePath, string.Concat(Enumerable.Repeat("garbage that was a ledger ", 500)));
        var time = new FakeTimeProvider(Now);

        // The writer finds the file corrupt, moves it aside and starts a fresh ledger: its 0 USD is not today's spend.
        await using (var tracker = new LlmCostTracker(dir.Options(), time))
        {
            await tracker.RecordAsync(new LlmCallRecord { TimestampUtc = Now, Alias = "claude-fast", CostUsd = 0.01m, CostSource = CostSource.BuiltIn });
            await tracker.FlushAsync().WaitAsync(Bound);
        }

        var moved = Assert.Single(Directory.GetFiles(Path.GetDirectoryName(dir.DatabasePath)!, "llm_costs.db.corrupt-*"));
        var guard = Guard(dir, time, daily: 5m, monthly: 50m);

        var error = await Assert.ThrowsAsync<BudgetExceededException>(() => guard.ReserveAsync(0.01m).AsTask());
        Assert.Equal((null, "daily"), (error.SpentUsd, error.Period));
        Assert.Contains(moved, error.Message, StringComparison.Ordinal);

        // A new UTC day: the day's spend is all in the new ledger, but the month's is still unknown.
        time.Advance(TimeSpan.FromDays(1));
        error = await Assert.ThrowsAsync<BudgetExceededException>(() => guard.ReserveAsync(0.01m).AsTask());
        Assert.Equal("monthly", error.Period);

        // The user looked at the copy and removed it: the budgets count from the new ledger.
        File.Delete(moved);
        using var reservation = await guard.ReserveAsync(0.01m);
        Assert.Equal(0.01m, guard.GetSnapshot().InFlightUsd);
    }

    [Fact]
    public async Task Spend_booked_at_an_estimate_counts_against_the_budget_after_a_restart()
    {
        using var dir = new TempDir();
        await using (var tracker = new LlmCostTracker(dir.Options(), new FakeTimeProvider(Now)))
        {
            await tracker.RecordAsync(new LlmCallRecord
            {
                TimestampUtc = Now.AddHours(-1), Alias = "claude-fast", CostUsd = 2m, CostSource = CostSource.Estimated, Status = LlmCallStatus.PossiblyBilled,
            });
        }

        var guard = Guard(dir, new FakeTimeProvider(Now), daily: 2m, monthly: null);

        var error = await Assert.ThrowsAsync<BudgetExceededException>(() => guard.ReserveAsync(0.01m).AsTask());
        Assert.Equal(2m, error.SpentUsd);
    }

    /// <summary>A ledger that cannot be read (<see cref="Failures"/> times, then answers <see cref="Spent"/>; always when negative).</summary>
    private sealed class ThrowingLedger : ICostLedger
    {
        private int calls;

        public int Failures { get; init; } = -1;

        public decimal Spent { get; set; }

        public Task<IReadOnlyList<CostTotals>> GetTotalsAsync(CostGroupBy groupBy, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken = default)
            => throw new InvalidOperationException("ledger unavailable");

        public Task<CostTotals> GetSummaryAsync(DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken = default)
            => Failures < 0 || Interlocked.Increment(ref calls) <= Failures
                ? throw new InvalidOperationException("ledger unavailable")
                : Task.FromResult(new CostTotals("total", 1, 0, 0, Spent, 0));

        public Task<IReadOnlyList<LlmCallRecord>> GetCallsAsync(DateTimeOffset fromUtc, DateTimeOffset toUtc, int limit = 100, CancellationToken cancellationToken = default)
            => throw new InvalidOperationException("ledger unavailable");
    }
}
