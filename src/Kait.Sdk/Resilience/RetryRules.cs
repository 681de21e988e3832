using System.Globalization;
using System.Text.RegularExpressions;

namespace Kait.Sdk.Resilience;

/// <summary>Which failures an upstream retries, and how long to wait first.</summary>
internal static partial class RetryRules
{
    /// <summary>Whether <paramref name="error"/> is worth another attempt on <paramref name="route"/>.</summary>
    public static bool IsTransient(Exception error, LlmRoute route)
    {
        if (IsTransportFailure(error))
        {
            return true;
        }

        if (error is not KaitException { StatusCode: { } status } || error is BudgetExceededException)
        {
            return false;
        }

        // The proxy already retried upstream (num_retries): only its own gateway errors are retried here.
        return route == LlmRoute.Proxy
            ? status is 502 or 503 or 504
            : status is 408 or 429 or 500 or 502 or 503 or 504 or 529;
    }

    /// <summary>Whether the failure counts toward an upstream's circuit breaker: no answer, or the upstream's own 5xx.</summary>
    public static bool CountsAsFailure(Exception error, LlmRoute route) =>
        IsTransportFailure(error) || (error is KaitException { StatusCode: { } status } && (route == LlmRoute.Proxy ? status is 502 or 503 or 504 : status is 500 or 502 or 503 or 504));

    /// <summary>No usable answer: refused, reset, no response in time (the attempt's timeout).</summary>
    public static bool IsTransportFailure(Exception error) => error switch
    {
        ProviderUnavailableException { Unreachable: true } => true,
        ProviderUnavailableException unavailable => HasIoCause(unavailable) && !HasJsonCause(unavailable),
        AttemptTimeoutException => true,
        _ => false,
    };

    /// <summary>The server's wait: <c>Retry-After</c> (seconds or a date), else LiteLLM's "Try again in N seconds".</summary>
    public static TimeSpan? ServerDelay(Exception error)
    {
        if (error is RateLimitException { RetryAfter: { } retryAfter })
        {
            return retryAfter;
        }

        if (error is KaitException { ServerMessage: { } message } && TryAgain().Match(message) is { Success: true } match
            && double.TryParse(match.Groups["s"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return Seconds(seconds);
        }

        return null;
    }

    /// <summary>The longest wait Kait takes from a server's number (a <see cref="TimeSpan"/> holds far less than a
    /// double): a longer one is this.</summary>
    public static readonly TimeSpan MaxServerWait = TimeSpan.FromDays(1);

    /// <summary>A wait in seconds a server sent: null when not a finite number at least 0, at most <see cref="MaxServerWait"/>.</summary>
    public static TimeSpan? Seconds(double seconds) =>
        double.IsFinite(seconds) && seconds >= 0 ? seconds < MaxServerWait.TotalSeconds ? TimeSpan.FromSeconds(seconds) : MaxServerWait : null;

    private static bool HasIoCause(Exception error)
    {
        for (var inner = error.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpRequestException or IOException)
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasJsonCause(Exception error)
    {
        for (var inner = error.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Text.Json.JsonException)
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"[Tt]ry again in (?<s>[0-9]+(?:\.[0-9]+)?) ?s(?:ec(?:ond)?s?)?\b", RegexOptions.None, 1000)]
    private static partial Regex TryAgain();
}

/// <summary>One attempt ran out of <see cref="KaitResilienceOptions.AttemptTimeout"/> (retried; surfaces as
/// <see cref="LlmTimeoutException"/> when no retry is left).</summary>
internal sealed class AttemptTimeoutException : Exception
{
    public AttemptTimeoutException()
    {
    }

    public AttemptTimeoutException(string message)
        : base(message)
    {
    }

    public AttemptTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
