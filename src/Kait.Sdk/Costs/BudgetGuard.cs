using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kait.Sdk.Costs;

/// <summary>
/// Enforces <see cref="KaitCostOptions.DailyBudgetUsd"/> and <see cref="KaitCostOptions.MonthlyBudgetUsd"/> (UTC day and
/// month) before any HTTP request: a call first <see cref="ReserveAsync">reserves</see> its estimated cost, which throws
/// <see cref="BudgetExceededException"/> once settled spend plus the estimates in flight has reached a limit, and
/// after the call <see cref="BudgetReservation.Settle">settles</see> its actual cost.
/// <para>
/// The running totals live in memory, seeded once from the ledger on first use, so checks take no I/O and concurrent
/// callers are serialised by one lock. <b>How far concurrent calls can overshoot:</b> a call is admitted only while
/// spend plus in-flight estimates is below the limit, so when every estimate covers its call's actual cost the final
/// spend stays below <c>limit + the largest single estimate</c>, whatever the number of callers. When calls cost more
/// than they reserved, the overshoot grows by at most the sum of those underestimates over the calls in flight
/// (with an estimate of 0, up to the cost of every call in flight at once, e.g. 64 calls for 64 callers).
/// </para>
/// <para>Spend by other processes after seeding is not seen until the next process start.</para>
/// </summary>
public sealed partial class BudgetGuard
{
    private readonly ICostLedger ledger;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly decimal? dailyLimit;
    private readonly decimal? monthlyLimit;
    private readonly Lock gate = new();
    private Task? seeding;
    private DateOnly day;
    private decimal daySpent;
    private decimal monthSpent;
    private decimal inFlight;

    /// <summary>Creates the guard.</summary>
    /// <param name="options">The budgets.</param>
    /// <param name="ledger">Seeds today's and this month's spend.</param>
    /// <param name="timeProvider">The clock that says which UTC day and month it is.</param>
    /// <param name="logger">Logs a ledger that cannot be read and refused calls.</param>
    public BudgetGuard(IOptions<KaitCostOptions> options, ICostLedger ledger, TimeProvider? timeProvider = null, ILogger<BudgetGuard>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ledger);
        this.ledger = ledger;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        dailyLimit = options.Value.DailyBudgetUsd;
        monthlyLimit = options.Value.MonthlyBudgetUsd;
    }

    /// <summary>A budget is set.</summary>
    public bool IsEnabled => dailyLimit is not null || monthlyLimit is not null;

    /// <summary>Holds <paramref name="estimatedCostUsd"/> against the budgets for a call about to be sent.</summary>
    /// <param name="estimatedCostUsd">The call's likely cost (e.g. <see cref="ICostCalculator"/> over its prompt tokens
    /// and <c>max_tokens</c>); the closer to the truth, the tighter the limit holds under concurrency.</param>
    /// <param name="cancellationToken">Stops waiting for the first seeding from the ledger.</param>
    /// <returns>The reservation, to settle after the call.</returns>
    /// <exception cref="BudgetExceededException">The day's or the month's spend has reached its limit.</exception>
    public async ValueTask<BudgetReservation> ReserveAsync(decimal estimatedCostUsd, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(estimatedCostUsd);
        if (!IsEnabled)
        {
            return new BudgetReservation(null, estimatedCostUsd);
        }

        Task seed;
        lock (gate)
        {
            seed = seeding ??= Task.Run(SeedAsync, CancellationToken.None);
        }

        await seed.WaitAsync(cancellationToken).ConfigureAwait(false);

        lock (gate)
        {
            Roll();
            var daily = daySpent + inFlight;
            if (dailyLimit is { } d && daily >= d)
            {
                LogRefused(logger, "daily", daily, d);
                throw new BudgetExceededException(daily, d, "daily");
            }

            var monthly = monthSpent + inFlight;
            if (monthlyLimit is { } m && monthly >= m)
            {
                LogRefused(logger, "monthly", monthly, m);
                throw new BudgetExceededException(monthly, m, "monthly");
            }

            inFlight += estimatedCostUsd;
        }

        return new BudgetReservation(this, estimatedCostUsd);
    }

    /// <summary>The running totals now.</summary>
    public BudgetSnapshot GetSnapshot()
    {
        lock (gate)
        {
            Roll();
            return new BudgetSnapshot(daySpent, monthSpent, inFlight, dailyLimit, monthlyLimit);
        }
    }

    internal void Release(decimal estimate, decimal actual)
    {
        lock (gate)
        {
            Roll();
            inFlight -= estimate;
            daySpent += actual;
            monthSpent += actual;
        }
    }

    private void Roll()
    {
        var today = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
        if (today == day)
        {
            return;
        }

        if (today.Year != day.Year || today.Month != day.Month)
        {
            monthSpent = 0m;
        }

        daySpent = 0m;
        day = today;
    }

    private async Task SeedAsync()
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var dayStart = new DateTimeOffset(now.Date, TimeSpan.Zero);
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        decimal todays = 0m, months = 0m;
        try
        {
            todays = (await ledger.GetSummaryAsync(dayStart, dayStart.AddDays(1)).ConfigureAwait(false)).CostUsd;
            months = (await ledger.GetSummaryAsync(monthStart, monthStart.AddMonths(1)).ConfigureAwait(false)).CostUsd;
        }
#pragma warning disable CA1031 // A ledger that cannot be read must not stop calls: logged, and budgets count from zero.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogSeedFailed(logger, ex.Message, ex);
        }

        lock (gate)
        {
            Roll();
            if (day == DateOnly.FromDateTime(now))
            {
                daySpent += todays;
            }

            if (day.Year == now.Year && day.Month == now.Month)
            {
                monthSpent += months;
            }
        }
    }

    [LoggerMessage(EventId = 4120, Level = LogLevel.Warning, Message = "LLM call refused: the {Period} budget is spent ({Spent} of {Limit} USD).")]
    private static partial void LogRefused(ILogger logger, string period, decimal spent, decimal limit);

    [LoggerMessage(EventId = 4121, Level = LogLevel.Error, Message = "Budgets could not read past spend from the cost ledger ({Reason}); they count from zero in this process.")]
    private static partial void LogSeedFailed(ILogger logger, string reason, Exception exception);
}
