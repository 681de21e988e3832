namespace Kait.Sdk;

/// <summary>Too many requests (429), from the proxy or the provider.</summary>
public sealed class RateLimitException : KaitException
{
    /// <summary>Creates the exception.</summary>
    public RateLimitException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RateLimitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public RateLimitException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>How long the server asked to wait (<c>Retry-After</c>, seconds or an HTTP date), when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The rate-limit headers of the refusal (<c>x-ratelimit-*</c>, <c>anthropic-ratelimit-*</c>); without a
    /// <c>Retry-After</c>, the reset of an exhausted window is the <see cref="RetryAfter"/>.</summary>
    public LlmRateLimits? RateLimits { get; init; }
}
