using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Kait.Sdk.Costs.Ledger;
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
/// <b>Budgets fail closed.</b> When past spend cannot be known, a budget refuses calls rather than count from zero:
/// while the ledger cannot be read (each refused call tries again), and while a copy of the ledger that was found
/// corrupt and moved aside (<c>llm_costs.db.corrupt-&lt;time&gt;</c>) may hold spend of the current period. The refusal is
/// a <see cref="BudgetExceededException"/> whose <see cref="BudgetExceededException.SpentUsd"/> is null and whose message
/// says why and what to do.
/// </para>
/// <para>
/// <b>Budgets hold across processes.</b> Every <see cref="ReserveAsync"/> reads the day's and the month's spend from
/// the ledger (SQLite in WAL mode: a read never waits for a writer), which every process under one <c>KAIT_HOME</c>
/// writes, and adds this process's spend that its <see cref="LlmCostTracker"/> has not written yet and the estimates
/// it has in flight; concurrent callers of one process are serialised by one lock. <b>How far calls can overshoot:</b>
/// a call is admitted only while that total is below the limit. Within one process, when every estimate covers its
/// call's actual cost, the final spend stays below <c>limit + the largest single estimate</c>, whatever the number of
/// callers. Across processes a process cannot see the calls another has in flight (from its reservation until its
/// row is on disk, a few milliseconds after the call ends), so N processes together stay below
/// <c>limit + the cost of the calls in flight in all of them at once</c> (e.g. 4 processes of 4 concurrent calls each:
/// at most 16 calls over). When calls cost more than they reserved, the overshoot grows by at most the sum of those
/// underestimates. A budget for a whole fleet (many machines) is the proxy's job: a LiteLLM virtual key with
/// <c>max_budget</c> (<c>docs/scaling.md</c>).
/// </para>
/// <para>When a later read of the ledger fails, the last spend read plus this process's own is used (and logged at
/// debug); only the first read fails closed.</para>
/// </summary>
internal sealed partial class BudgetGuard
{
    private readonly ICostLedger ledger;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly decimal? dailyLimit;
    private readonly decimal? monthlyLimit;
    private readonly string? ledgerPath;
    private readonly Lock gate = new();
    private readonly Func<decimal>? writtenByThisProcess;
    private bool seeded;
    private decimal settledTotal;
    private decimal settledDay;
    private decimal settledMonth;
    private long readSequence;
    private long appliedSequence;
    private string? seedFailure;
    private (DateTimeOffset AtUtc, string File)? quarantine;
    private DateOnly day;
    private decimal daySpent;
    private decimal monthSpent;
    private decimal inFlight;

    /// <summary>Creates the guard.</summary>
    /// <param name="options">The budgets.</param>
    /// <param name="ledger">Gives today's and this month's spend, read at every reservation.</param>
    /// <param name="timeProvider">The clock that says which UTC day and month it is.</param>
    /// <param name="logger">Logs a ledger that cannot be read and refused calls.</param>
    public BudgetGuard(IOptions<KaitCostOptions> options, ICostLedger ledger, TimeProvider? timeProvider = null, ILogger<BudgetGuard>? logger = null)
        : this(options, ledger, timeProvider, logger, null)
    {
    }

    /// <summary>Creates the guard over the ledger that <paramref name="tracker"/> writes: the spend this process has
    /// settled and the tracker has not written yet is added to what the ledger says (the container's guard).</summary>
    internal BudgetGuard(IOptions<KaitCostOptions> options, ICostLedger ledger, TimeProvider? timeProvider, ILogger<BudgetGuard>? logger, LlmCostTracker? tracker)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ledger);
        this.ledger = ledger;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        dailyLimit = options.Value.DailyBudgetUsd;
        monthlyLimit = options.Value.MonthlyBudgetUsd;
        ledgerPath = (ledger as SqliteCostLedger)?.DatabasePath;
        writtenByThisProcess = tracker is null ? null : () => tracker.WrittenCostUsd;
    }

    /// <summary>A budget is set.</summary>
    public bool IsEnabled => dailyLimit is not null || monthlyLimit is not null;

    /// <summary>Holds <paramref name="estimatedCostUsd"/> against the budgets for a call about to be sent.</summary>
    /// <param name="estimatedCostUsd">The call's likely cost (e.g. <see cref="ICostCalculator"/> over its prompt tokens
    /// and <c>max_tokens</c>); the closer to the truth, the tighter the limit holds under concurrency.</param>
    /// <param name="cancellationToken">Cancels the read of the ledger.</param>
    /// <returns>The reservation, to settle after the call.</returns>
    /// <exception cref="BudgetExceededException">The day's or the month's spend has reached its limit, or it cannot be
    /// known (<see cref="BudgetExceededException.SpentUsd"/> null: the ledger cannot be read, or a corrupt ledger was moved
    /// aside during the period).</exception>
    public async ValueTask<BudgetReservation> ReserveAsync(decimal estimatedCostUsd, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(estimatedCostUsd);
        if (!IsEnabled)
        {
            return new BudgetReservation(null, estimatedCostUsd);
        }

        await HoldAsync(estimatedCostUsd, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Adds <paramref name="amount"/> to the estimates in flight once the budgets admit it (reading the
    /// ledger first); the caller releases it with <see cref="Release"/>.</summary>
    /// <exception cref="BudgetExceededException">A limit is reached, or the spend cannot be known.</exception>
    internal async ValueTask HoldAsync(decimal amount, CancellationToken cancellationToken)
    {
        // Every reservation reads the ledger: spend booked by other processes since the last one counts now.
        await ReadLedgerAsync(cancellationToken).ConfigureAwait(false);

        if (TryAdmit(amount, out var refusal))
        {
            return;
        }

        bool quarantined;
        lock (gate)
        {
            quarantined = seeded && quarantine is not null && refusal.SpentUsd is null;
        }

        if (quarantined && ledgerPath is not null)
        {
            // Refused for a quarantined copy of the ledger: the user may have dealt with it (deleted or moved it) since.
            var latest = LedgerQuarantine.Latest(ledgerPath);
            lock (gate)
            {
                quarantine = latest;
            }

            if (TryAdmit(amount, out refusal))
            {
                return;
            }
        }

        if (refusal.SpentUsd is { } spent)
        {
            LogRefused(logger, refusal.Period ?? string.Empty, spent, refusal.LimitUsd ?? 0m);
        }
        else
        {
            LogUnknownSpend(logger, refusal.Period ?? string.Empty, refusal.Message);
        }

        throw refusal;
    }

    /// <summary>Adds <paramref name="amount"/> to the estimates in flight if the budgets admit it now, without waiting
    /// (false before the first read of the ledger, at a limit, or while the spend cannot be known).</summary>
    internal bool TryHold(decimal amount) => TryAdmit(amount, out _);

    /// <summary>Takes <paramref name="held"/> off the estimates in flight and adds <paramref name="spent"/> to the spend.</summary>
    internal void Release(decimal held, decimal spent)
    {
        lock (gate)
        {
            Roll();
            inFlight -= held;
            daySpent += spent;
            monthSpent += spent;
            settledTotal += spent;
            settledDay += spent;
            settledMonth += spent;
        }
    }

    private bool TryAdmit(decimal amount, [NotNullWhen(false)] out BudgetExceededException? refusal)
    {
        lock (gate)
        {
            Roll();
            refusal = Refusal();
            if (refusal is not null)
            {
                return false;
            }

            inFlight += amount;
            return true;
        }
    }

    /// <summary>Why a call is refused now, or null (not logged here). Called under the lock.</summary>
    private BudgetExceededException? Refusal()
    {
        var period = dailyLimit is not null ? "daily" : "monthly";
        var limit = dailyLimit ?? monthlyLimit;
        if (!seeded)
        {
            var where = ledgerPath is null ? "the cost ledger" : $"the cost ledger '{ledgerPath}'";
            return new BudgetExceededException(
                $"The {period} LLM budget cannot be checked: past spend could not be read from {where} ({seedFailure ?? "not read yet"}). "
                + "The call was not sent. Calls are refused while the spend is unknown; fix or move the ledger file, or unset the budget.")
            {
                LimitUsd = limit,
                Period = period,
            };
        }

        if (quarantine is { } q)
        {
            var dayStart = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var monthStart = new DateTimeOffset(day.Year, day.Month, 1, 0, 0, 0, TimeSpan.Zero);
            (string Period, decimal Limit, DateTimeOffset Start)? blocked =
                dailyLimit is { } d && q.AtUtc >= dayStart ? ("daily", d, dayStart)
                : monthlyLimit is { } m && q.AtUtc >= monthStart ? ("monthly", m, monthStart)
                : null;
            if (blocked is { } b)
            {
                var at = q.AtUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                return new BudgetExceededException(
                    $"The {b.Period} LLM budget cannot be checked: the cost ledger was found corrupt and moved to '{q.File}' at {at} UTC, "
                    + $"so spend of this {(b.Period == "daily" ? "day" : "month")} before then is unknown. The call was not sent. Once you have looked at "
                    + "that file, delete it or move it out of its folder to count from the new ledger only, or unset the budget.")
                {
                    LimitUsd = b.Limit,
                    Period = b.Period,
                };
            }
        }

        var daily = daySpent + inFlight;
        if (dailyLimit is { } dl && daily >= dl)
        {
            return new BudgetExceededException(daily, dl, "daily");
        }

        var monthly = monthSpent + inFlight;
        if (monthlyLimit is { } ml && monthly >= ml)
        {
            return new BudgetExceededException(monthly, ml, "monthly");
        }

        return null;
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
            settledMonth = 0m;
        }

        daySpent = 0m;
        settledDay = 0m;
        day = today;
    }

    /// <summary>Reads the day's and the month's spend from the ledger and adds this process's spend not written yet.
    /// The order keeps it conservative: what this process has written is read before the ledger, so a row written in
    /// between is counted twice (for a moment), never missed; and a read that started earlier than one already applied
    /// is dropped.</summary>
    private async Task ReadLedgerAsync(CancellationToken cancellationToken)
    {
        long sequence;
        lock (gate)
        {
            sequence = ++readSequence;
        }

        var written = writtenByThisProcess?.Invoke() ?? 0m;
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var dayStart = new DateTimeOffset(now.Date, TimeSpan.Zero);
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        decimal todays, months;
        (DateTimeOffset, string)? quarantined;
        try
        {
            if (ledger is SqliteCostLedger sqlite)
            {
                var spend = await sqlite.GetSpendAsync([(dayStart, dayStart.AddDays(1)), (monthStart, monthStart.AddMonths(1))], cancellationToken).ConfigureAwait(false);
                (todays, months) = (spend[0], spend[1]);
            }
            else
            {
                todays = (await ledger.GetSummaryAsync(dayStart, dayStart.AddDays(1), cancellationToken).ConfigureAwait(false)).CostUsd;
                months = (await ledger.GetSummaryAsync(monthStart, monthStart.AddMonths(1), cancellationToken).ConfigureAwait(false)).CostUsd;
            }
            quarantined = ledgerPath is null ? null : LedgerQuarantine.Latest(ledgerPath);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any failure to read leaves the spend unknown (first read) or as last read: logged; the next call tries again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            bool repeated;
            bool known;
            lock (gate)
            {
                repeated = string.Equals(seedFailure, ex.Message, StringComparison.Ordinal);
                seedFailure = ex.Message;
                known = seeded;
            }

            if (known || repeated)
            {
                LogSeedStillFailing(logger, ex.Message);
            }
            else
            {
                LogSeedFailed(logger, ex.Message, ex);
            }

            return;
        }

        lock (gate)
        {
            if (sequence <= appliedSequence)
            {
                return;
            }

            appliedSequence = sequence;
            Roll();
            // The rows not written yet are the latest settled: at most what was settled this day (month).
            var unwritten = Math.Max(0m, settledTotal - written);
            daySpent = (day == DateOnly.FromDateTime(now) ? todays : 0m) + Math.Min(unwritten, settledDay);
            monthSpent = (day.Year == now.Year && day.Month == now.Month ? months : 0m) + Math.Min(unwritten, settledMonth);
            quarantine = quarantined;
            seedFailure = null;
            seeded = true;
        }
    }

    [LoggerMessage(EventId = 4120, Level = LogLevel.Warning, Message = "LLM call refused: the {Period} budget is spent ({Spent} of {Limit} USD).")]
    private static partial void LogRefused(ILogger logger, string period, decimal spent, decimal limit);

    [LoggerMessage(EventId = 4121, Level = LogLevel.Error, Message = "Budgets could not read past spend from the cost ledger ({Reason}); calls are refused while a budget is set and the spend is unknown, and each refused call tries again.")]
    private static partial void LogSeedFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = 4122, Level = LogLevel.Warning, Message = "LLM call refused, the {Period} budget cannot be checked: {Reason}")]
    private static partial void LogUnknownSpend(ILogger logger, string period, string reason);

    [LoggerMessage(EventId = 4123, Level = LogLevel.Debug, Message = "Budgets still cannot read past spend from the cost ledger ({Reason}).")]
    private static partial void LogSeedStillFailing(ILogger logger, string reason);
}
