using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Kait.Sdk.Errors;

/// <summary>Turns an error response into the <see cref="KaitException"/> a user can catch by kind.</summary>
internal static partial class ErrorMapper
{
    /// <summary>The exception for a non-success response of <paramref name="origin"/> (<c>LiteLLM proxy</c>,
    /// <c>anthropic</c>, ...). <paramref name="secrets"/> and every credential shape are removed from every text kept,
    /// before the server's message is cut to <see cref="ServerError.MaxMessageLength"/>.</summary>
    public static KaitException FromResponse(HttpStatusCode status, string? body, HttpResponseMessage? response, string origin, string? callId, TimeProvider time, params string?[] secrets)
    {
        var error = ServerError.Parse(body);
        var code = (int)status;
        var serverMessage = error.Message is null ? null : Redaction.RedactAndTruncate(error.Message, ServerError.MaxMessageLength, secrets);
        var message = $"{origin} returned {code} {ReasonPhrase(status)}" + (serverMessage is null ? "." : ": " + serverMessage) + Hint(code, origin);
        return Create(code, error.Type, serverMessage, message, response, callId, time);
    }

    /// <summary>What to do about it, where the status says (the troubleshooting of the integration guide).</summary>
    private static string Hint(int code, string origin) => code switch
    {
        401 when origin.StartsWith("LiteLLM", StringComparison.Ordinal) =>
            " Check that KAIT_LITELLM_MASTER_KEY matches the proxy's master key (or that the virtual key is valid).",
        401 => " Check the provider's API key variable named in the config (api_key: os.environ/NAME).",
        _ => string.Empty,
    };

    /// <summary>The exception for an <c>error</c> sent inside a stream (no HTTP status of its own): the status comes from
    /// <paramref name="code"/> when it is one (LiteLLM), else from the error type (Anthropic).</summary>
    public static KaitException FromStreamError(string? type, string? message, string? code, string origin, string? callId, params string?[] secrets)
    {
        var serverMessage = message is null ? null : Redaction.RedactAndTruncate(message, ServerError.MaxMessageLength, secrets);
        var status = int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var fromCode) && fromCode is >= 400 and < 600
            ? fromCode
            : type switch
            {
                "overloaded_error" => 529,
                "rate_limit_error" => 429,
                "authentication_error" => 401,
                "permission_error" => 403,
                "invalid_request_error" => 400,
                _ => 500,
            };
        var text = $"{origin} sent an error in the stream ({Redaction.RedactAndTruncate(type ?? code ?? "unknown", 100, secrets)})" + (serverMessage is null ? "." : ": " + serverMessage);
        return Create(status, type, serverMessage, text, null, callId, null);
    }

    private static KaitException Create(int code, string? type, string? serverMessage, string message, HttpResponseMessage? response, string? callId, TimeProvider? time)
    {
        if (type == "budget_exceeded" || (serverMessage?.Contains("budget has been exceeded", StringComparison.OrdinalIgnoreCase) ?? false)
            || (serverMessage?.Contains("ExceededBudget", StringComparison.Ordinal) ?? false))
        {
            var match = serverMessage is null ? null : BudgetPattern().Match(serverMessage);
            return new BudgetExceededException(message)
            {
                StatusCode = code,
                ServerMessage = serverMessage,
                CallId = callId,
                SpentUsd = match is { Success: true } ? ParseDecimal(match.Groups["spend"].Value) : null,
                LimitUsd = match is { Success: true } ? ParseDecimal(match.Groups["limit"].Value) : null,
            };
        }

        return code switch
        {
            401 or 403 => new AuthenticationFailedException(message) { StatusCode = code, ServerMessage = serverMessage, CallId = callId },
            429 => RateLimited(message, code, serverMessage, callId, response, time),
            400 when serverMessage?.Contains("Invalid model name", StringComparison.OrdinalIgnoreCase) ?? false =>
                new InvalidModelNameException(message) { StatusCode = code, ServerMessage = serverMessage, CallId = callId },
            400 or 404 or 413 or 422 => new BadRequestException(message) { StatusCode = code, ServerMessage = serverMessage, CallId = callId },
            408 or 504 => new LlmTimeoutException(message) { StatusCode = code, ServerMessage = serverMessage, CallId = callId },
            >= 500 => new ProviderUnavailableException(message) { StatusCode = code, ServerMessage = serverMessage, CallId = callId },
            _ => new KaitException(message) { StatusCode = code, ServerMessage = serverMessage, CallId = callId },
        };
    }

    /// <summary>A 429: its rate-limit headers read once, for the result and for when to come back (<c>Retry-After</c>,
    /// else the reset of the exhausted window).</summary>
    private static RateLimitException RateLimited(string message, int code, string? serverMessage, string? callId, HttpResponseMessage? response, TimeProvider? time)
    {
        var limits = Transport.RateLimitHeaders.Read(response?.Headers, time);
        return new RateLimitException(message)
        {
            StatusCode = code,
            ServerMessage = serverMessage,
            CallId = callId,
            RetryAfter = RetryAfter(response, time) ?? Transport.RateLimitHeaders.RetryDelay(limits),
            RateLimits = limits,
        };
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider? time)
    {
        var header = response?.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date && time is not null)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        // Fractional seconds ("1.5") are not a valid HTTP value but some servers send them.
        if (response?.Headers.TryGetValues("retry-after", out var raw) == true
            && double.TryParse(raw.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return Resilience.RetryRules.Seconds(seconds);
        }

        return null;
    }

    private static decimal? ParseDecimal(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string ReasonPhrase(HttpStatusCode status) => status switch
    {
        (HttpStatusCode)529 => "Overloaded",
        _ => Enum.IsDefined(status) ? status.ToString() : string.Empty,
    };

    [GeneratedRegex(@"[Cc]urrent (?:cost|spend):\s*(?<spend>[0-9.eE+-]+).*?[Mm]ax(?:imum)? budget:\s*(?<limit>[0-9.eE+-]+)", RegexOptions.Singleline, 1000)]
    private static partial Regex BudgetPattern();
}
