using System.Diagnostics;
using System.Globalization;
using Kait.Sdk.Costs;

namespace Kait.Sdk.Telemetry;

/// <summary>One call's span (from <see cref="KaitTelemetry.StartCall"/>). <see cref="Complete"/> it with the call's
/// ledger row; disposing it without completing ends the span as an error (the call threw before a row was made).</summary>
internal sealed class LlmCallSpan : IDisposable
{
    private readonly KaitTelemetry telemetry;
    private int done;

    internal LlmCallSpan(KaitTelemetry telemetry, Activity? activity)
    {
        this.telemetry = telemetry;
        Activity = activity;
    }

    /// <summary>The span, or null when nobody listens.</summary>
    public Activity? Activity { get; }

    /// <summary>Tags the span with the outcome (<c>gen_ai.response.model</c>, <c>gen_ai.usage.*</c>, <c>kait.cost_usd</c>,
    /// <c>kait.route</c>, ...), counts the call in the meters and ends the span.</summary>
    /// <param name="record">The call's row.</param>
    public void Complete(LlmCallRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (Interlocked.Exchange(ref done, 1) != 0)
        {
            return;
        }

        telemetry.RecordMetrics(record);
        if (Activity is not { } activity)
        {
            return;
        }

        activity.SetTag("gen_ai.response.model", record.ProviderModel);
        activity.SetTag("gen_ai.response.id", record.CallId);
        activity.SetTag("gen_ai.usage.input_tokens", record.Usage.InputTokens);
        activity.SetTag("gen_ai.usage.output_tokens", record.Usage.OutputTokens);
        activity.SetTag("kait.cost_usd", record.CostUsd is { } usd ? (double)usd : null);
        activity.SetTag("kait.cost_source", record.CostSource.ToName());
        activity.SetTag("kait.route", record.Route);
        activity.SetTag("kait.cache_hit", record.CacheHit);
        activity.SetTag("kait.attempts", record.Attempts);
        activity.SetTag("kait.usage.cache_read_input_tokens", record.Usage.CachedInputTokens);
        activity.SetTag("kait.usage.cache_creation_input_tokens", record.Usage.CacheCreationInputTokens);
        activity.SetTag("kait.usage.reasoning_tokens", record.Usage.ReasoningTokens);
        if (record.Tags is { Count: > 0 } tags)
        {
            activity.SetTag("kait.tags", tags.ToArray());
        }

        if (record.Status != LlmCallStatus.Ok)
        {
            activity.SetTag("error.type", record.ErrorType ?? (record.HttpStatus is { } s ? s.ToString(CultureInfo.InvariantCulture) : "_OTHER"));
            activity.SetStatus(ActivityStatusCode.Error, record.ErrorType);
        }

        activity.Dispose();
    }

    /// <summary>Tags the span with the server's rate-limit state (<c>kait.ratelimit.*</c>) and the proxy's deployment
    /// (<c>kait.litellm.*</c>), when it sent them.</summary>
    internal void Served(LlmRateLimits? limits, LlmServedBy? servedBy)
    {
        if (Activity is not { } activity || done != 0)
        {
            return;
        }

        if (limits is not null)
        {
            activity.SetTag("kait.ratelimit.remaining_requests", limits.RemainingRequests);
            activity.SetTag("kait.ratelimit.remaining_tokens", limits.RemainingTokens);
            activity.SetTag("kait.ratelimit.limit_requests", limits.LimitRequests);
            activity.SetTag("kait.ratelimit.limit_tokens", limits.LimitTokens);
            activity.SetTag("kait.ratelimit.reset_requests_s", limits.ResetRequests?.TotalSeconds);
            activity.SetTag("kait.ratelimit.reset_tokens_s", limits.ResetTokens?.TotalSeconds);
        }

        if (servedBy is not null)
        {
            activity.SetTag("kait.litellm.model_id", servedBy.ModelId);
            activity.SetTag("kait.litellm.model_group", servedBy.ModelGroup);
            activity.SetTag("kait.litellm.model_api_base", servedBy.ApiBase);
            activity.SetTag("kait.litellm.response_duration_ms", servedBy.ResponseDuration?.TotalMilliseconds);
        }
    }

    /// <summary>Ends the span; as an error when <see cref="Complete"/> was not called.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref done, 1) != 0 || Activity is not { } activity)
        {
            return;
        }

        activity.SetTag("error.type", "_OTHER");
        activity.SetStatus(ActivityStatusCode.Error);
        activity.Dispose();
    }
}
