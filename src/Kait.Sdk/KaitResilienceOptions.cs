namespace Kait.Sdk;

/// <summary>The retry, timeout and circuit-breaker section of <see cref="KaitOptions"/> (<c>Kait:Resilience</c>).</summary>
public sealed class KaitResilienceOptions
{
    /// <summary>Retries after a failed attempt (<c>KAIT_RETRIES</c>, 0 to 10, default 2). The direct routes retry 408,
    /// 429, 5xx (not 501), connection failures and timeouts; the proxy route only connection failures, timeouts and the
    /// proxy's 502/503/504 (the proxy retries upstream itself). See <c>docs/resilience-and-cache.md</c>.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>The total timeout of a call that sets none, retries and their waits included (<c>KAIT_TIMEOUT</c>,
    /// seconds). Default 300 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>The timeout of one attempt (<c>KAIT_ATTEMPT_TIMEOUT</c>, seconds): a whole reply, or a stream's first
    /// chunk. Default 120 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>The first backoff of a retry that has no <c>Retry-After</c>; doubled each retry, with jitter. Default 1 s.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The least number of attempts within <see cref="CircuitBreakerSamplingDuration"/>, all of them failed,
    /// that open an upstream's circuit breaker (a success still inside the window keeps it closed; below 2 there is no
    /// breaker). Default 5.</summary>
    public int CircuitBreakerFailures { get; set; } = 5;

    /// <summary>The window in which <see cref="CircuitBreakerFailures"/> are counted. Default 60 s.</summary>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an open circuit fails calls at once before it lets one through. Default 30 s.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most bytes Kait reads of one reply, whole or streamed (<c>Kait:Resilience:MaxResponseBytes</c>);
    /// a larger one is an error, read no further. Default 64 MiB (a large embeddings batch fits).</summary>
    public long MaxResponseBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The most bytes of one server-sent event of a stream. Default 4 MiB.</summary>
    public int MaxEventBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>The longest silence between two events of a stream before it counts as broken. Default 2 minutes.</summary>
    public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
