using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Kait.Sdk.Transport;

/// <summary>
/// Rate-limit and deployment headers. OpenAI and the LiteLLM proxy send <c>x-ratelimit-{limit,remaining,reset}-{requests,tokens}</c>
/// (resets as durations: <c>1s</c>, <c>6m0s</c>, <c>20ms</c>); Anthropic sends <c>anthropic-ratelimit-{requests,tokens}-{limit,remaining,reset}</c>
/// (resets as RFC 3339 times); the proxy adds <c>x-litellm-model-id</c>, <c>-model-group</c>, <c>-model-api-base</c> and
/// <c>-response-duration-ms</c>. A value that does not parse is left out, never an error.
/// </summary>
internal static partial class RateLimitHeaders
{
    /// <summary>The rate-limit state, or null when no such header was sent.</summary>
    public static LlmRateLimits? Read(HttpResponseHeaders? headers, TimeProvider? time = null)
    {
        if (headers is null)
        {
            return null;
        }

        var now = (time ?? TimeProvider.System).GetUtcNow();
        var limits = new LlmRateLimits
        {
            LimitRequests = Count(headers, "x-ratelimit-limit-requests") ?? Count(headers, "anthropic-ratelimit-requests-limit"),
            RemainingRequests = Count(headers, "x-ratelimit-remaining-requests") ?? Count(headers, "anthropic-ratelimit-requests-remaining"),
            ResetRequests = Duration(headers, "x-ratelimit-reset-requests") ?? Until(headers, "anthropic-ratelimit-requests-reset", now),
            LimitTokens = Count(headers, "x-ratelimit-limit-tokens") ?? Count(headers, "anthropic-ratelimit-tokens-limit"),
            RemainingTokens = Count(headers, "x-ratelimit-remaining-tokens") ?? Count(headers, "anthropic-ratelimit-tokens-remaining"),
            ResetTokens = Duration(headers, "x-ratelimit-reset-tokens") ?? Until(headers, "anthropic-ratelimit-tokens-reset", now),
        };
        return limits == Empty ? null : limits;
    }

    /// <summary>When a rate-limited server says to come back: the latest reset of a window it reports exhausted
    /// (remaining 0), else null. Used for a 429 without <c>Retry-After</c>.</summary>
    public static TimeSpan? RetryDelay(LlmRateLimits? limits)
    {
        if (limits is null)
        {
            return null;
        }

        TimeSpan? wait = null;
        if (limits.RemainingRequests == 0 && limits.ResetRequests is { } requests)
        {
            wait = requests;
        }

        if (limits.RemainingTokens == 0 && limits.ResetTokens is { } tokens && (wait is null || tokens > wait))
        {
            wait = tokens;
        }

        return wait;
    }

    /// <summary>The proxy's deployment headers, or null when none was sent.</summary>
    public static LlmServedBy? ServedBy(HttpResponseHeaders? headers)
    {
        if (headers is null)
        {
            return null;
        }

        var served = new LlmServedBy
        {
            ModelId = ProxyHeaders.Get(headers, "x-litellm-model-id"),
            ModelGroup = ProxyHeaders.Get(headers, "x-litellm-model-group"),
            ApiBase = ApiBase(ProxyHeaders.Get(headers, "x-litellm-model-api-base")),
            ResponseDuration = double.TryParse(ProxyHeaders.Get(headers, "x-litellm-response-duration-ms"), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)
                && ms >= 0 && ms < TimeSpan.MaxValue.TotalMilliseconds ? TimeSpan.FromMilliseconds(ms) : null,
        };
        return served == new LlmServedBy() ? null : served;
    }

    private static readonly LlmRateLimits Empty = new();

    /// <summary>The API base without user info, query or fragment (a key never rides along).</summary>
    private static string? ApiBase(string? value)
    {
        if (value is null || value.Length > 2048)
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
            : null;
    }

    private static long? Count(HttpResponseHeaders headers, string name) =>
        long.TryParse(ProxyHeaders.Get(headers, name)?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : null;

    private static TimeSpan? Until(HttpResponseHeaders headers, string name, DateTimeOffset now) =>
        DateTimeOffset.TryParse(ProxyHeaders.Get(headers, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at > now ? at - now : TimeSpan.Zero
            : null;

    /// <summary>A Go-style duration (<c>1h2m3.5s</c>, <c>20ms</c>) or plain seconds (<c>12</c>).</summary>
    internal static TimeSpan? ParseDuration(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 64)
        {
            return null;
        }

        value = value.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain))
        {
            return plain >= 0 && plain < 1e7 ? TimeSpan.FromSeconds(plain) : null;
        }

        var match = GoDuration().Match(value);
        if (!match.Success)
        {
            return null;
        }

        var total = 0.0;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = Unit().Match(part.Value);
            var number = double.Parse(unit.Groups["n"].Value, CultureInfo.InvariantCulture);
            total += unit.Groups["u"].Value switch
            {
                "h" => number * 3600,
                "m" => number * 60,
                "s" => number,
                "ms" => number / 1000,
                "us" or "µs" => number / 1_000_000,
                _ => number / 1_000_000_000,
            };
        }

        return total < 1e7 ? TimeSpan.FromSeconds(total) : null;
    }

    private static TimeSpan? Duration(HttpResponseHeaders headers, string name) => ParseDuration(ProxyHeaders.Get(headers, name));

    [GeneratedRegex(@"^(?<part>[0-9]+(?:\.[0-9]+)?(?:h|ms|us|µs|ns|m|s))+$", RegexOptions.None, 1000)]
    private static partial Regex GoDuration();

    [GeneratedRegex(@"^(?<n>[0-9]+(?:\.[0-9]+)?)(?<u>h|ms|us|µs|ns|m|s)$", RegexOptions.None, 1000)]
    private static partial Regex Unit();
}
