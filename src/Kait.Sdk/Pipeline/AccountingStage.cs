using System.Runtime.CompilerServices;
using Kait.Sdk.Costs;
using Kait.Sdk.Telemetry;

namespace Kait.Sdk.Pipeline;

/// <summary>
/// The first stage: what every call owes the books. It opens the call's span and clock, lends the route stage the
/// budget reservation (made only when a request is about to go upstream: a cache hit costs nothing), prices the
/// answer (the proxy's header, then the config, the price map, the built-in prices) and books one ledger row per call:
/// successes, failures, cache hits and abandoned streams alike.
/// </summary>
internal sealed class AccountingStage(CallStage next, ICostCalculator calculator, CostEstimator estimator, ILlmCostTracker tracker, BudgetGuard budget, KaitTelemetry telemetry, KaitCostOptions costOptions, TimeProvider time, Microsoft.Extensions.Logging.ILogger logger)
    : DelegatingCallStage(next)
{
    /// <summary>A rough output allowance for the budget estimate when the call sets no <c>max_tokens</c>.</summary>
    private const int DefaultOutputEstimate = 1024;

    private ILlmCostTracker Tracker => tracker;

    private TimeProvider Time => time;

    public override async Task<CallReply> SendAsync(LlmCall call, CancellationToken cancellationToken)
    {
        using var scope = Open(call);
        try
        {
            return scope.Succeeded(await Next.SendAsync(call, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            scope.Failed(ex);
            throw;
        }
    }

    public override async IAsyncEnumerable<CallChunk> StreamAsync(LlmCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var scope = Open(call);
        var chunks = Next.StreamAsync(call, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (chunks.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await chunks.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (Exception ex)
                {
                    scope.Failed(ex);
                    throw;
                }

                var chunk = chunks.Current;
                yield return chunk.Final is { } final ? new CallChunk(chunk.Text, scope.Succeeded(final)) : chunk;
            }
        }
    }

    private Scope Open(LlmCall call)
    {
        var deployment = call.Alias.Deployments.Count > 0 ? call.Alias.Deployments[0] : null;
        var scope = new Scope(this, call.Alias, call, deployment, telemetry.StartCall(call.Alias.Name, deployment, call.Primary.Route.ToName()), time.GetTimestamp());
        call.Books = scope;
        return scope;
    }

    /// <summary>Books a call that failed while it was being decided (an alias without a key, a header that may not be
    /// set): it never reached the stages, but it still gets its row.</summary>
    public void BookUnplanned(ModelAlias alias, Exception error)
    {
        var deployment = alias.Deployments.Count > 0 ? alias.Deployments[0] : null;
        using var scope = new Scope(this, alias, null, deployment, telemetry.StartCall(alias.Name, deployment), time.GetTimestamp());
        scope.Failed(error);
    }

    private CallBill NewBill(ModelDeployment? deployment) => new(budget, estimator, deployment, costOptions.RetryAfterPossibleBilling, logger);

    /// <summary>The call's likely prompt tokens (4 characters a token) and its output allowance, for the estimate.</summary>
    private static (int Prompt, int Output) Size(LlmCall call)
    {
        var promptChars = 0L;
        foreach (var message in call.Messages)
        {
            promptChars += message.Content?.Length ?? 0;
        }

        foreach (var input in call.Inputs)
        {
            promptChars += input.Length;
        }

        // Reasoning spends output tokens too: an unset MaxTokens leaves room for the thinking budget on top.
        var output = call.Kind == CallKind.Embeddings ? 0 : RawLimit(call.Options) ?? call.Options.MaxTokens ?? (DefaultOutputEstimate + (Translation.ReasoningShapes.Budget(call.Options) ?? 0));
        return ((int)Math.Min(int.MaxValue, promptChars / 4), output);
    }

    /// <summary>A token limit sent as a raw field (it wins over <see cref="LlmCallOptions.MaxTokens"/> on the wire), the
    /// larger of the two names; null when none.</summary>
    private static int? RawLimit(LlmCallOptions options)
    {
        int? limit = null;
        foreach (var name in (ReadOnlySpan<string>)["max_tokens", "max_completion_tokens"])
        {
            if (options.ExtraBody?.TryGetValue(name, out var value) == true && value.ValueKind == System.Text.Json.JsonValueKind.Number
                && value.TryGetInt32(out var tokens) && tokens > 0)
            {
                limit = Math.Max(limit ?? 0, tokens);
            }
        }

        return limit;
    }

    /// <summary>The price of an answer: the proxy's header first, then the config, the price map, the built-in prices.</summary>
    private CostResult Price(CallReply reply)
    {
        var header = reply.ProxyCostHeader;
        if (reply.Deployment is not { } deployment)
        {
            // No deployment to price from: the proxy's header alone, parsed by the one parser (a negative or absurd
            // amount is no price).
            return ProxyCostHeader.TryParse(header, out var headerCost) ? new CostResult(headerCost, CostSource.ProxyHeader) : CostResult.Unknown;
        }

        // Priced as the model the reply names (provider/model), else as configured.
        var priced = reply.ResponseModel is { } model && deployment.Provider is not null ? deployment with { Model = deployment.Provider + "/" + model } : deployment;
        var cost = calculator.Calculate(priced, reply.Usage, header);
        return cost.Source == CostSource.Unknown ? calculator.Calculate(deployment, reply.Usage, header) : cost;
    }

    /// <summary>One call in flight: its span, clock, bill (budget hold and every attempt's cost) and the one row it
    /// books.</summary>
    internal sealed class Scope(AccountingStage owner, ModelAlias alias, LlmCall? call, ModelDeployment? deployment, LlmCallSpan span, long started) : IDisposable
    {
        private CallBill? bill;
        private bool done;

        /// <summary>The call's bill, opened when the call is about to go upstream (a cache hit has none): the resilience
        /// stage reports each attempt to it and asks it before a retry.</summary>
        public CallBill Bill => bill ??= owner.NewBill(deployment);

        /// <summary>Holds the call's estimated cost against the budgets (once; a cache hit never does); throws
        /// <see cref="BudgetExceededException"/> when a limit is reached or the spend cannot be known, before anything
        /// is sent.</summary>
        public ValueTask ReserveAsync(CancellationToken cancellationToken)
        {
            var (prompt, output) = call is null ? (0, 0) : Size(call);
            return Bill.ReserveAsync(prompt, output, cancellationToken);
        }

        /// <summary>Marks the reply with the target that served it (unless the cache did), prices it and books the call;
        /// returns the priced reply.</summary>
        public CallReply Succeeded(CallReply reply)
        {
            if (done)
            {
                return reply;
            }

            done = true;
            if (!reply.Cached && call is not null)
            {
                var served = call.Target;
                reply = reply with { Route = served.Route, Provider = served.Provider, Deployment = served.Deployment };
            }

            var status = LlmCallStatus.Ok;
            var usage = reply.Usage;
            CostResult cost;
            if (reply.Cached)
            {
                bill?.Close();
                cost = CostResult.CacheHit;
            }
            else
            {
                // Every attempt is on the bill: an earlier one that may have been billed counts at the estimate.
                Bill.AttemptAnswered(reply.Usage, owner.Price(reply));
                var total = Bill.Close();
                (usage, cost) = (total.Usage, new CostResult(total.CostUsd, total.Source));
            }

            reply.CostUsd = cost.CostUsd;
            reply.CostSource = cost.Source;
            span.Served(reply.RateLimits, reply.ServedBy);
            Book(new LlmCallRecord
            {
                TimestampUtc = owner.Time.GetUtcNow(),
                Alias = alias.Name,
                ProviderModel = reply.ResponseModel ?? reply.Deployment?.ProviderModel ?? deployment?.ProviderModel,
                Route = reply.Route.ToName(),
                CallId = reply.CallId,
                Usage = usage,
                CostUsd = reply.CostUsd,
                CostSource = reply.CostSource,
                CacheHit = reply.Cached,
                Latency = owner.Time.GetElapsedTime(started),
                Attempts = reply.Cached ? 0 : Math.Max(1, call?.Attempts ?? 1),
                Status = status,
                HttpStatus = reply.Cached ? null : 200,
                Tags = call?.Options.Tags,
            });
            return reply;
        }

        /// <summary>Books a failed call (with its status), so failures show in the ledger too; an attempt that may have
        /// been billed is booked at the estimate (status <see cref="LlmCallStatus.PossiblyBilled"/>).</summary>
        public void Failed(Exception error)
        {
            if (done)
            {
                return;
            }

            done = true;
            var total = Bill.Close(error);
            Book(new LlmCallRecord
            {
                TimestampUtc = owner.Time.GetUtcNow(),
                Alias = alias.Name,
                ProviderModel = deployment?.ProviderModel,
                // A budget refusal never left; any other failure is booked as one.
                Route = error is BudgetExceededException { Period: not null } ? "refused" : "failed",
                CallId = (error as KaitException)?.CallId,
                Usage = total.Usage,
                CostUsd = total.CostUsd,
                CostSource = total.Source,
                Latency = owner.Time.GetElapsedTime(started),
                Attempts = call?.Attempts ?? 0,
                Status = total.Status,
                ErrorType = error.GetType().Name,
                HttpStatus = (error as KaitException)?.StatusCode,
                Tags = call?.Options.Tags,
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
