using System.Globalization;
using Kait.Sdk.Costs;
using Kait.Sdk.Telemetry;
using Kait.Sdk.Transport;

namespace Kait.Sdk;

/// <summary>
/// What every call owes the books, in one place: the budget check before any HTTP request, the price of the answer,
/// one ledger row (successes, failures and cache hits alike), and the telemetry span and counters.
/// </summary>
internal sealed class CallAccounting(ICostCalculator calculator, ILlmCostTracker tracker, BudgetGuard budget, KaitTelemetry telemetry, TimeProvider time)
{
    private TimeProvider Time => time;

    private ILlmCostTracker Tracker => tracker;

    /// <summary>A rough output allowance for the budget estimate when the call sets no <c>max_tokens</c>.</summary>
    private const int DefaultOutputEstimate = 1024;

    /// <summary>Opens a call: starts its span and its clock. The budget is reserved later (<see cref="CallScope.ReserveAsync"/>),
    /// once the response cache has missed: a hit costs nothing.</summary>
    public CallScope Begin(ModelAlias alias)
    {
        var deployment = alias.Deployments.Count > 0 ? alias.Deployments[0] : null;
        return new CallScope(this, alias, deployment, telemetry.StartCall(alias.Name, deployment), time.GetTimestamp());
    }

    /// <summary>The call's estimated cost, reserved against the budgets before it is sent.</summary>
    private decimal Estimate(ModelDeployment? deployment, IReadOnlyList<LlmMessage> messages, LlmCallOptions options)
    {
        if (!budget.IsEnabled || deployment is null)
        {
            return 0m;
        }

        var promptChars = messages.Sum(m => m.Content?.Length ?? 0);
        var guess = new LlmUsage(promptChars / 4, 0, options.MaxTokens ?? DefaultOutputEstimate);
        return calculator.Calculate(deployment, guess).CostUsd ?? 0m;
    }

    private BudgetGuard Budget => budget;

    /// <summary>The price of an answer: the proxy's header first, then the config, the price map, the built-in prices.</summary>
    public CostResult Price(ModelDeployment? deployment, TransportResult result)
    {
        var header = result.ProxyCostUsd?.ToString(CultureInfo.InvariantCulture);
        if (deployment is null)
        {
            return header is null ? CostResult.Unknown : new CostResult(result.ProxyCostUsd, CostSource.ProxyHeader);
        }

        var priced = result.ResponseModel is { } model && deployment.Provider is not null ? PricedAs(deployment, model) : deployment;
        var cost = calculator.Calculate(priced, result.Usage, header);
        return cost.Source == CostSource.Unknown ? calculator.Calculate(deployment, result.Usage, header) : cost;
    }

    /// <summary>The deployment priced as the model the reply names (<c>provider/model</c>), made once per pair.</summary>
    private ModelDeployment PricedAs(ModelDeployment deployment, string responseModel)
    {
        if (pricedAs.TryGetValue((deployment, responseModel), out var priced))
        {
            return priced;
        }

        priced = deployment with { Model = deployment.Provider + "/" + responseModel };
        if (pricedAs.Count < 256)
        {
            pricedAs.TryAdd((deployment, responseModel), priced);
        }

        return priced;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(ModelDeployment Deployment, string Model), ModelDeployment> pricedAs = new();

    /// <summary>One call in flight.</summary>
    internal sealed class CallScope(CallAccounting owner, ModelAlias alias, ModelDeployment? deployment, LlmCallSpan span, long started) : IDisposable
    {
        private BudgetReservation? reservation;
        private bool done;

        /// <summary>Reserves the call's estimated cost; throws <see cref="BudgetExceededException"/> when a limit is reached,
        /// before anything is sent.</summary>
        public ValueTask ReserveAsync(IReadOnlyList<LlmMessage> messages, LlmCallOptions options, CancellationToken cancellationToken) =>
            owner.Budget.IsEnabled ? ReserveCoreAsync(messages, options, cancellationToken) : ValueTask.CompletedTask; // no budget: nothing to hold

        private async ValueTask ReserveCoreAsync(IReadOnlyList<LlmMessage> messages, LlmCallOptions options, CancellationToken cancellationToken) =>
            reservation = await owner.Budget.ReserveAsync(owner.Estimate(deployment, messages, options), cancellationToken).ConfigureAwait(false);

        /// <summary>Books a successful call.</summary>
        public void Succeeded(LlmResult result)
        {
            if (done)
            {
                return;
            }

            done = true;
            reservation?.Settle(result.CostUsd);
            Book(new LlmCallRecord
            {
                TimestampUtc = owner.Time.GetUtcNow(),
                Alias = result.Alias,
                ProviderModel = result.ProviderModel ?? deployment?.ProviderModel,
                Route = result.Route.ToName(),
                CallId = result.CallId,
                Usage = result.Usage,
                CostUsd = result.CostUsd,
                CostSource = result.CostSource,
                CacheHit = result.Cached,
                Latency = owner.Time.GetElapsedTime(started),
                Attempts = result.Attempts,
                Status = LlmCallStatus.Ok,
                HttpStatus = result.Cached ? null : 200,
            });
        }

        /// <summary>Books a failed call (with its status), so failures show in the ledger too.</summary>
        public void Failed(Exception error)
        {
            if (done)
            {
                return;
            }

            done = true;
            reservation?.Dispose();
            Book(new LlmCallRecord
            {
                TimestampUtc = owner.Time.GetUtcNow(),
                Alias = alias.Name,
                ProviderModel = deployment?.ProviderModel,
                // The route a failed call took is not known here; name why instead (a budget refusal never left).
                Route = error is BudgetExceededException { Period: not null } ? "refused" : "failed",
                CallId = (error as KaitException)?.CallId,
                Usage = LlmUsage.Empty,
                CostUsd = null,
                CostSource = CostSource.Unknown,
                Latency = owner.Time.GetElapsedTime(started),
                Status = error is OperationCanceledException ? LlmCallStatus.Cancelled : LlmCallStatus.Error,
                ErrorType = error.GetType().Name,
                HttpStatus = (error as KaitException)?.StatusCode,
            });
        }

        /// <summary>A call left without an outcome (a stream abandoned by its reader) is booked as cancelled.</summary>
        public void Dispose()
        {
            if (!done)
            {
                Failed(new OperationCanceledException("The caller stopped reading the stream."));
            }

            span.Dispose();
        }

        private void Book(LlmCallRecord row)
        {
            span.Complete(row); // sets the span's attributes and counts tokens, calls and cost

            // Off the hot path: the tracker queues; a full queue is logged and counted by the tracker, never thrown.
            owner.Tracker.TryRecord(row);
        }
    }
}
