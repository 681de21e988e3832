using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kait.Sdk.Costs;

/// <summary>
/// The money side of one call, across all its attempts: what it holds against the budgets, what each attempt cost
/// (known, not billed, or possibly billed with its cost unknown), and the cost, usage and status its ledger row gets.
/// <para>
/// The gateway opens one per call (<see cref="CallBill(BudgetGuard, CostEstimator, ModelDeployment?, bool, ILogger?)"/>),
/// <see cref="ReserveAsync">reserves</see> once the response cache has missed, reports each attempt
/// (<see cref="AttemptStarted"/>, then <see cref="AttemptAnswered"/> or <see cref="AttemptFailed(Exception, LlmUsage?)"/>),
/// asks <see cref="AdmitRetry"/> before a retry, and <see cref="Close">closes</see> it once, which settles the budget.
/// </para>
/// <para>
/// <b>What is booked.</b> Every attempt's known usage is summed. An attempt that may have been billed (see
/// <see cref="BillingRisk"/>) counts at the call's estimate (<see cref="EstimateUsd"/>), and so does, when a budget is
/// set, an answer nothing could price (at <see cref="CostEstimator"/>'s price for its real usage): the row's cost is
/// then the known costs plus these estimates, source <see cref="CostSource.Estimated"/>. Otherwise the row's cost is the
/// answer's (source as priced), or unknown. A cost that is negative or absurd (<see cref="CostSanity"/>) counts as
/// unknown and is logged.
/// </para>
/// <para>One call's attempts are sequential: a bill is not meant for concurrent use.</para>
/// </summary>
internal sealed partial class CallBill
{
    private readonly BudgetGuard budget;
    private readonly CostEstimator estimator;
    private readonly ModelDeployment? deployment;
    private readonly bool retryAfterPossibleBilling;
    private readonly ILogger logger;
    private int promptTokens;
    private int maxOutputTokens;
    private decimal? estimate;
    private bool reserved;
    private decimal held;
    private int attempts;
    private int possiblyBilled;
    private bool open;
    private bool lastPossiblyBilled;
    private bool answered;
    private decimal knownCost;
    private CostSource answerSource = CostSource.Unknown;
    private LlmUsage? unpricedAnswer;
    private int inputTokens;
    private int cachedInputTokens;
    private int outputTokens;
    private int cacheCreationTokens;
    private int reasoningTokens;
    private BillTotal? closed;

    /// <summary>Opens the bill of one call.</summary>
    /// <param name="budget">The budgets (their limits and running totals).</param>
    /// <param name="estimator">Prices what must be estimated.</param>
    /// <param name="deployment">The deployment the call goes to first; null when the alias has none.</param>
    /// <param name="retryAfterPossibleBilling"><see cref="KaitCostOptions.RetryAfterPossibleBilling"/>.</param>
    /// <param name="logger">Logs rejected costs and refused retries.</param>
    public CallBill(BudgetGuard budget, CostEstimator estimator, ModelDeployment? deployment, bool retryAfterPossibleBilling, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(estimator);
        this.budget = budget;
        this.estimator = estimator;
        this.deployment = deployment;
        this.retryAfterPossibleBilling = retryAfterPossibleBilling;
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The call's estimated cost: its prompt and output allowance (<see cref="ReserveAsync"/>) priced by
    /// <see cref="CostEstimator"/>; worked out when first needed.</summary>
    public decimal EstimateUsd => estimate ??= estimator.Estimate(deployment, new LlmUsage(promptTokens, 0, maxOutputTokens));

    /// <summary>Attempts reported so far.</summary>
    public int Attempts => attempts;

    /// <summary>Attempts that may have been billed, their cost unknown.</summary>
    public int PossiblyBilledAttempts => possiblyBilled + (open ? 1 : 0);

    /// <summary>
    /// Remembers the call's size (what <see cref="EstimateUsd"/> prices) and, when a budget is set, holds its estimate
    /// against the budgets. Call it once the response cache has missed, before anything is sent, budget or not: an
    /// attempt that may have been billed is booked at the estimate. Later calls do nothing.
    /// </summary>
    /// <param name="promptTokens">The prompt's likely token count.</param>
    /// <param name="maxOutputTokens">The most tokens the call may generate (<c>max_tokens</c>, or the default allowance).</param>
    /// <param name="cancellationToken">Stops waiting for the budgets' first read of the ledger.</param>
    /// <exception cref="BudgetExceededException">A limit is reached or the spend cannot be known: nothing may be sent.</exception>
    public ValueTask ReserveAsync(int promptTokens, int maxOutputTokens, CancellationToken cancellationToken)
    {
        if (reserved)
        {
            return ValueTask.CompletedTask; // once per call, whichever route it takes
        }

        reserved = true;
        this.promptTokens = Math.Max(0, promptTokens);
        this.maxOutputTokens = Math.Max(0, maxOutputTokens);
        return budget.IsEnabled ? HoldAsync(cancellationToken) : ValueTask.CompletedTask;
    }

    /// <summary>An attempt is about to send its request. An attempt never reported as answered or failed counts as
    /// possibly billed when the bill closes (a stream broken or abandoned, a cancellation in flight).</summary>
    public void AttemptStarted()
    {
        if (open)
        {
            AttemptFailed(possiblyBilled: true);
        }

        attempts++;
        open = true;
    }

    /// <summary>The attempt that answered: its usage and its price (<see cref="ICostCalculator"/>, header included).</summary>
    /// <param name="usage">The answer's usage.</param>
    /// <param name="cost">Its price; an implausible amount counts as unknown and is logged.</param>
    public void AttemptAnswered(LlmUsage usage, CostResult cost)
    {
        ArgumentNullException.ThrowIfNull(usage);
        Begin();
        lastPossiblyBilled = false;
        answered = true;
        AddUsage(usage);
        var checkedCost = CostSanity.Check(cost, out var rejected);
        if (rejected is { } bad)
        {
            LogImplausibleCost(logger, deployment?.Model ?? "(no deployment)", bad, cost.Source.ToName());
        }

        if (checkedCost.CostUsd is { } usd)
        {
            knownCost += usd;
            answerSource = checkedCost.Source;
        }
        else
        {
            unpricedAnswer = usage;
        }
    }

    /// <summary>An attempt failed with <paramref name="error"/>; whether it may have been billed is
    /// <see cref="BillingRisk.MayHaveBeenBilled"/>.</summary>
    /// <param name="error">What the attempt threw.</param>
    /// <param name="usage">Usage the attempt reported before failing, if any.</param>
    public void AttemptFailed(Exception error, LlmUsage? usage = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        AttemptFailed(BillingRisk.MayHaveBeenBilled(error), usage);
    }

    /// <summary>An attempt failed; <paramref name="possiblyBilled"/> says whether its request may have been billed.</summary>
    /// <param name="possiblyBilled">The request may have reached the provider and no error answer says it was refused.</param>
    /// <param name="usage">Usage the attempt reported before failing, if any.</param>
    public void AttemptFailed(bool possiblyBilled, LlmUsage? usage = null)
    {
        Begin();
        lastPossiblyBilled = possiblyBilled;
        if (possiblyBilled)
        {
            this.possiblyBilled++;
        }

        if (usage is not null)
        {
            AddUsage(usage);
        }
    }

    /// <summary>
    /// Whether the next attempt may go. After an attempt that was not billed: yes. After one that may have been billed:
    /// no when <see cref="KaitCostOptions.RetryAfterPossibleBilling"/> is off; with a budget set, only if the budgets
    /// admit one more <see cref="EstimateUsd"/> (held until the bill closes), so a budget caps what duplicates may cost.
    /// A refusal is logged; the caller then gives up with the attempt's error.
    /// </summary>
    public bool AdmitRetry()
    {
        if (!lastPossiblyBilled)
        {
            return true;
        }

        if (!retryAfterPossibleBilling)
        {
            LogRetryRefused(logger, deployment?.Model ?? "(no deployment)", "RetryAfterPossibleBilling is off");
            return false;
        }

        if (!budget.IsEnabled)
        {
            return true;
        }

        var more = EstimateUsd;
        if (budget.TryHold(more))
        {
            held += more;
            return true;
        }

        LogRetryRefused(logger, deployment?.Model ?? "(no deployment)", "the budget cannot cover another attempt that may be billed");
        return false;
    }

    /// <summary>
    /// Ends the bill: an attempt still open is classified by <paramref name="error"/> (possibly billed when null), the
    /// budget hold is replaced by what the call spent (known costs plus estimates), and the row's figures are returned.
    /// Closing again returns the same figures and changes nothing.
    /// </summary>
    /// <param name="error">Why the call failed, or null when it answered.</param>
    public BillTotal Close(Exception? error = null)
    {
        if (closed is { } done)
        {
            return done;
        }

        if (open)
        {
            AttemptFailed(error is null || BillingRisk.MayHaveBeenBilled(error));
        }

        var mustEstimate = possiblyBilled > 0 || (unpricedAnswer is not null && budget.IsEnabled);
        decimal? cost;
        CostSource source;
        if (mustEstimate)
        {
            var estimated = knownCost + (possiblyBilled * EstimateUsd);
            if (unpricedAnswer is { } u)
            {
                estimated += u.TotalTokens > 0 ? estimator.Estimate(deployment, u) : EstimateUsd;
            }

            cost = Math.Min(estimated, CostSanity.MaxCallCostUsd);
            source = CostSource.Estimated;
        }
        else if (answered && unpricedAnswer is null)
        {
            cost = knownCost;
            source = answerSource;
        }
        else
        {
            cost = null;
            source = CostSource.Unknown;
        }

        var status = possiblyBilled > 0 && error is not null ? LlmCallStatus.PossiblyBilled
            : error is OperationCanceledException ? LlmCallStatus.Cancelled
            : error is not null ? LlmCallStatus.Error
            : LlmCallStatus.Ok;
        var total = new BillTotal(
            new LlmUsage(inputTokens, cachedInputTokens, outputTokens, cacheCreationTokens) { ReasoningTokens = reasoningTokens }, cost, source, status, attempts, possiblyBilled);
        closed = total;
        if (budget.IsEnabled)
        {
            budget.Release(held, cost ?? 0m);
            held = 0m;
        }

        return total;
    }

    private async ValueTask HoldAsync(CancellationToken cancellationToken)
    {
        var amount = EstimateUsd;
        await budget.HoldAsync(amount, cancellationToken).ConfigureAwait(false);
        held += amount;
    }

    private void Begin()
    {
        if (!open)
        {
            attempts++; // reported without AttemptStarted
        }

        open = false;
    }

    private void AddUsage(LlmUsage usage)
    {
        inputTokens += usage.InputTokens;
        cachedInputTokens += usage.CachedInputTokens;
        outputTokens += usage.OutputTokens;
        cacheCreationTokens += usage.CacheCreationInputTokens;
        reasoningTokens += usage.ReasoningTokens;
    }

    [LoggerMessage(EventId = 4130, Level = LogLevel.Warning, Message = "A call to '{Model}' was priced at an implausible {Cost} USD ({Source}); the cost is treated as unknown and not booked.")]
    private static partial void LogImplausibleCost(ILogger logger, string model, decimal cost, string source);

    [LoggerMessage(EventId = 4132, Level = LogLevel.Warning, Message = "Not retrying the call to '{Model}': its last attempt may have been billed and {Reason}.")]
    private static partial void LogRetryRefused(ILogger logger, string model, string reason);
}

/// <summary>What a closed <see cref="CallBill"/> books: the ledger row's usage, cost, source, status and attempts.</summary>
/// <param name="Usage">The usage of every attempt that reported one, summed.</param>
/// <param name="CostUsd">The call's cost (known costs plus estimates), or null when unknown.</param>
/// <param name="Source">Where the cost came from: <see cref="CostSource.Estimated"/> when any part is an estimate.</param>
/// <param name="Status"><see cref="LlmCallStatus.Ok"/> when the call answered; for a failure,
/// <see cref="LlmCallStatus.PossiblyBilled"/> when any attempt may have been billed, else cancelled or error.</param>
/// <param name="Attempts">Attempts reported.</param>
/// <param name="PossiblyBilledAttempts">Attempts that may have been billed (each counted at the estimate).</param>
internal readonly record struct BillTotal(LlmUsage Usage, decimal? CostUsd, CostSource Source, LlmCallStatus Status, int Attempts, int PossiblyBilledAttempts);
