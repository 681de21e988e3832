using System.Runtime.CompilerServices;
using System.Text;
using Kait.Sdk.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Kait.Sdk.Pipeline;

/// <summary>
/// Resilience: one Polly.Core pipeline per upstream (the proxy, Anthropic, OpenAI) of retries (<see cref="RetryRules"/>,
/// <c>Retry-After</c> honoured, else exponential backoff with jitter) around a circuit breaker, each attempt bounded by
/// <see cref="KaitResilienceOptions.AttemptTimeout"/>. It counts the attempts on the call (<see cref="LlmCall.Attempts"/>). A
/// stream is retried only before its first chunk: after that, part of the answer has reached the caller.
/// </summary>
internal sealed partial class ResilienceStage : DelegatingCallStage
{
    private readonly Dictionary<WireApi, ResiliencePipeline> pipelines;
    private readonly TimeSpan attemptTimeout;
    private readonly TimeProvider time;

    public ResilienceStage(CallStage next, KaitOptions options, TimeProvider time, ILogger logger)
        : base(next)
    {
        this.time = time;
        attemptTimeout = options.Resilience.AttemptTimeout;
        pipelines = new()
        {
            [WireApi.Proxy] = Build("the LiteLLM proxy", LlmRoute.Proxy, options, time, logger),
            [WireApi.Anthropic] = Build("anthropic", LlmRoute.Direct, options, time, logger),
            [WireApi.OpenAI] = Build("openai", LlmRoute.Direct, options, time, logger),
        };
    }

    /// <summary>The key under which the call rides in Polly's context (its retry rule asks the call's bill).</summary>
    private static readonly ResiliencePropertyKey<LlmCall> CallKey = new("kait.call");

    public override async Task<CallReply> SendAsync(LlmCall call, CancellationToken cancellationToken)
    {
        var upstream = call.Target.Upstream;
        var attempts = 0;
        var context = Context(call, cancellationToken);
        try
        {
            return await pipelines[call.Target.Api].ExecuteAsync(
                async _ =>
                {
                    attempts++;
                    call.Attempts++;
                    call.Books?.Bill.AttemptStarted();
                    using var attempt = new AttemptScope(attemptTimeout, time, cancellationToken);
                    try
                    {
                        return await Next.SendAsync(call, attempt.Token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (AttemptFailed(call, attempt, upstream, ex) is { } timeout)
                    {
                        throw timeout;
                    }
                },
                context).ConfigureAwait(false);
        }
        catch (Exception ex) when (Final(ex, upstream, attempts) is { } replaced)
        {
            throw replaced;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Reports a failed attempt to the call's bill; returns the timeout error to throw in place of a
    /// cancellation the attempt's own timer caused, else null (rethrow as it is). Used as an exception filter: it never
    /// catches.</summary>
    private static AttemptTimeoutException? AttemptFailed(LlmCall call, AttemptScope attempt, string upstream, Exception error)
    {
        var timeout = error is OperationCanceledException && attempt.Expired ? attempt.TimeoutError(upstream, error) : null;
        call.Books?.Bill.AttemptFailed(timeout ?? error);
        return timeout;
    }

    private static ResilienceContext Context(LlmCall call, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(CallKey, call);
        return context;
    }

    /// <summary>A retry goes only if the rules say the failure is transient, retries are left, and the call's bill
    /// admits it (an attempt that may have been billed is retried only as <c>RetryAfterPossibleBilling</c> and the
    /// budget allow).</summary>
    private static bool ShouldRetry(RetryPredicateArguments<object> args, LlmRoute route, int retries) =>
        args.Outcome.Exception is { } e && RetryRules.IsTransient(e, route) && args.AttemptNumber < retries
        && (!args.Context.Properties.TryGetValue(CallKey, out var call) || call.Books is not { } books || books.Bill.AdmitRetry());

    public override async IAsyncEnumerable<CallChunk> StreamAsync(LlmCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var upstream = call.Target.Upstream;
        var attempts = 0;
        OpenedStream opened;
        var context = Context(call, cancellationToken);
        try
        {
            opened = await pipelines[call.Target.Api].ExecuteAsync(
                async _ =>
                {
                    attempts++;
                    call.Attempts++;
                    call.Books?.Bill.AttemptStarted(); // stays open once the first chunk is in: the stream may still break
                    var attempt = new AttemptScope(attemptTimeout, time, cancellationToken);
                    var chunks = Next.StreamAsync(call, attempt.Token).GetAsyncEnumerator(attempt.Token);
                    try
                    {
                        var hasFirst = await chunks.MoveNextAsync().ConfigureAwait(false);

                        // The first chunk is in: from now on the attempt's timeout no longer applies, only the call's.
                        attempt.StopTimer();
                        return new OpenedStream(chunks, hasFirst, attempt);
                    }
                    catch (Exception ex)
                    {
                        await chunks.DisposeAsync().ConfigureAwait(false);
                        attempt.Dispose();
                        if (AttemptFailed(call, attempt, upstream, ex) is { } timeout)
                        {
                            throw timeout;
                        }

                        throw;
                    }
                },
                context).ConfigureAwait(false);
        }
        catch (Exception ex) when (Final(ex, upstream, attempts) is { } replaced)
        {
            throw replaced;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        using var scope = opened.Attempt;
        var enumerator = opened.Chunks;
        await using (enumerator.ConfigureAwait(false))
        {
            var received = new StringBuilder();
            var count = 0;
            var more = opened.HasFirst;
            while (more)
            {
                var chunk = enumerator.Current;
                if (chunk.Final is null)
                {
                    received.Append(chunk.Text);
                    count++;
                }

                yield return chunk;
                try
                {
                    more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (ProviderUnavailableException ex) when (ex.StatusCode is null or < 400)
                {
                    // Part of the reply already reached the caller: never retried, and said how much.
                    throw new StreamInterruptedException(
                        FormattableString.Invariant($"The stream from {upstream} broke after {count} chunk(s), {received.Length} character(s), had been received: {ex.Message}"),
                        ex)
                    {
                        StatusCode = ex.StatusCode,
                        CallId = ex.CallId,
                        ReceivedText = received.ToString(),
                        ReceivedChunks = count,
                    };
                }
            }
        }
    }

    /// <summary>What the caller sees of a failure after the pipeline gave up; null to rethrow it as it is.</summary>
    private static Exception? Final(Exception error, string upstream, int attempts) =>
        error switch
        {
            BrokenCircuitException broken => new ProviderUnavailableException(
                $"{upstream} failed repeatedly; its circuit breaker is open, so the call failed at once ({broken.Message})", broken)
            {
                Unreachable = true,
            },
            AttemptTimeoutException timeout => new LlmTimeoutException(timeout.Message + RetryNote(attempts), timeout),
            _ => null,
        };

    private static string RetryNote(int attempts) => attempts > 1 ? FormattableString.Invariant($" ({attempts} attempts)") : string.Empty;

    private static ResiliencePipeline Build(string upstream, LlmRoute route, KaitOptions options, TimeProvider time, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder { Name = "kait-" + upstream, TimeProvider = time };
        if (options.Resilience.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.Resilience.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.Resilience.RetryBaseDelay,
                MaxDelay = options.Resilience.AttemptTimeout,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args, route, options.Resilience.Retries)),
                // A server's wait is capped like the backoff (Polly applies MaxDelay to its own delays only): a reset
                // years away waits MaxDelay, not forever (nor throws from Task.Delay).
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is { } e && RetryRules.ServerDelay(e) is { } wait
                    ? wait < options.Resilience.AttemptTimeout ? wait : options.Resilience.AttemptTimeout
                    : (TimeSpan?)null),
                OnRetry = args =>
                {
                    LogRetry(logger, upstream, args.AttemptNumber + 1, args.RetryDelay.TotalSeconds, args.Outcome.Exception?.Message ?? string.Empty);
                    return default;
                },
            });
        }

        if (options.Resilience.CircuitBreakerFailures >= 2)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 1.0,
                MinimumThroughput = options.Resilience.CircuitBreakerFailures,
                SamplingDuration = options.Resilience.CircuitBreakerSamplingDuration,
                BreakDuration = options.Resilience.CircuitBreakDuration,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && RetryRules.CountsAsFailure(e, route)),
                OnOpened = args =>
                {
                    LogOpened(logger, upstream, args.BreakDuration.TotalSeconds);
                    return default;
                },
            });
        }

        return builder.Build();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retrying the call to {Upstream} (retry {Retry}) in {DelaySeconds:0.###} s: {Reason}")]
    private static partial void LogRetry(ILogger logger, string upstream, int retry, double delaySeconds, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The circuit breaker of {Upstream} opened: calls fail at once for {BreakSeconds:0.###} s")]
    private static partial void LogOpened(ILogger logger, string upstream, double breakSeconds);

    private sealed record OpenedStream(IAsyncEnumerator<CallChunk> Chunks, bool HasFirst, AttemptScope Attempt);

    /// <summary>One attempt's token: the caller's, cancelled too when <see cref="KaitResilienceOptions.AttemptTimeout"/> runs out
    /// on the injected clock.</summary>
    private sealed class AttemptScope(TimeSpan duration, TimeProvider time, CancellationToken caller) : LinkedTimeout(duration, time, caller)
    {
        public AttemptTimeoutException TimeoutError(string upstream, Exception inner) =>
            new(FormattableString.Invariant($"An attempt to call {upstream} did not finish within {Duration.TotalSeconds:0.###} s."), inner);
    }
}
