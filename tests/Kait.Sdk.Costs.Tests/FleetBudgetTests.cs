using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Kait.Sdk.Costs.Tests;

/// <summary>Budgets across processes: several processes under one ledger (one <c>KAIT_HOME</c>) share one daily limit.</summary>
public sealed class FleetBudgetTests(ITestOutputHelper output)
{
    private const int Processes = 4;
    private const int Concurrency = 4;
    private const decimal Limit = 0.5m;
    private const decimal CallCost = 0.01m;

    [Fact]
    public async Task Four_processes_calling_concurrently_pass_the_daily_limit_by_at_most_the_calls_in_flight()
    {
        using var dir = new TempDir();
        var path = dir.DatabasePath;
        var go = Path.Combine(dir.Path, "go");
        var children = Enumerable.Range(0, Processes).Select(_ => BudgetProbe.RunAsync(path, go)).ToArray();

        // Every child has built its services and read the ledger once before any call: all start together.
        var ready = DateTime.UtcNow.AddSeconds(60);
        while (Directory.GetFiles(dir.Path, "go.ready.*").Length < Processes && DateTime.UtcNow < ready && !children.Any(c => c.IsCompleted))
        {
            await Task.Delay(20);
        }

        await File.WriteAllTextAsync(go, "go");
        var results = await Task.WhenAll(children);
        foreach (var (code, text) in results)
        {
            Assert.True(code == 0, text);
        }

        var options = dir.Options();
        var now = DateTimeOffset.UtcNow;
        var dayStart = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var total = await new SqliteCostLedger(options).GetSummaryAsync(dayStart, dayStart.AddDays(1));
        var overshoot = total.CostUsd - Limit;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{total.Calls} calls, {total.CostUsd} USD booked against {Limit} USD; overshoot {overshoot} USD = {overshoot / CallCost} calls (bound {2 * Processes * Concurrency} calls in flight)"));
        foreach (var (_, text) in results)
        {
            output.WriteLine(text.Trim());
        }

        Assert.True(total.CostUsd >= Limit, "the processes stopped before the limit");
        // In flight: from a call's reservation until its row is in the ledger. A caller may start its next call before
        // the row of its last one is written (a few ms), so at most two calls of each caller.
        Assert.True(total.CostUsd <= Limit + (2 * Processes * Concurrency * CallCost), $"{total.CostUsd} USD booked: more than the limit plus the calls in flight");
    }
}

/// <summary>A child process (this test assembly, started with <c>budget-probe</c>): the SDK's cost services over a
/// shared ledger with a daily budget; <see cref="FleetBudgetTests"/>' callers reserve, wait, settle and book each call as
/// the pipeline does, until the budget refuses.</summary>
internal static class BudgetProbe
{
    public const string Verb = "budget-probe";

    public static Task<(int ExitCode, string Output)> RunAsync(string databasePath, string goFile) =>
        ExitProbe.ChildRunAsync(TimeSpan.FromSeconds(90), Verb, databasePath, goFile);

    public static async Task<int> RunAsync(string[] args)
    {
        var (databasePath, goFile) = (args[0], args[1]);
        var services = new ServiceCollection().AddKaitCostTracking(o =>
        {
            o.DatabasePath = databasePath;
            o.DailyBudgetUsd = 0.5m;
            o.MonthlyBudgetUsd = null;
        }).BuildServiceProvider();
        await using (services.ConfigureAwait(false))
        {
            var guard = services.GetRequiredService<BudgetGuard>();
            var tracker = services.GetRequiredService<LlmCostTracker>();
            // Warmed up as a process that has made calls: the ledger exists, was read and written once before the start.
            (await guard.ReserveAsync(0m).ConfigureAwait(false)).Dispose();
            tracker.TryRecord(new LlmCallRecord { TimestampUtc = DateTimeOffset.UtcNow, Alias = "warm-up", CostUsd = 0m, CostSource = CostSource.ProxyHeader });
            await tracker.FlushAsync().ConfigureAwait(false);
            await File.WriteAllTextAsync(goFile + ".ready." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture), "ready").ConfigureAwait(false);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!File.Exists(goFile))
            {
                if (DateTime.UtcNow > deadline)
                {
                    return 4;
                }

                await Task.Delay(5).ConfigureAwait(false);
            }

            var calls = 0;
            var refused = 0;
            long maxPending = 0;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    maxPending = Math.Max(maxPending, tracker.PendingRows);
                    await Task.Delay(1).ConfigureAwait(false);
                }
            });
            await Task.WhenAll(Enumerable.Range(0, 4).Select(async worker =>
            {
                while (true)
                {
                    BudgetReservation reservation;
                    try
                    {
                        reservation = await guard.ReserveAsync(0.01m).ConfigureAwait(false);
                    }
                    catch (BudgetExceededException)
                    {
                        Interlocked.Increment(ref refused);
                        return;
                    }

                    await Task.Delay(50).ConfigureAwait(false); // the call
                    reservation.Settle(0.01m);
                    tracker.TryRecord(new LlmCallRecord
                    {
                        TimestampUtc = DateTimeOffset.UtcNow,
                        Alias = "claude-fast",
                        CallId = Guid.NewGuid().ToString(),
                        CostUsd = 0.01m,
                        CostSource = CostSource.ProxyHeader,
                    });
                    Interlocked.Increment(ref calls);
                }
            })).ConfigureAwait(false);
            await sampling.CancelAsync().ConfigureAwait(false);
            await sampler.ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"process {Environment.ProcessId}: {calls} calls, {refused} workers refused, at most {maxPending} rows waiting to be written"));
        }

        return 0;
    }
}

