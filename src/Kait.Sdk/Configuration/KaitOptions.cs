namespace Kait.Sdk;

/// <summary>
/// Kait's settings: bound from the <c>Kait</c> configuration section, then overridden by the <c>KAIT_*</c> environment
/// variables (and a <c>.env</c> file in the working directory; the real environment wins). See
/// <c>docs/configuration.md</c> for the table of variables, keys and defaults.
/// </summary>
public sealed class KaitOptions
{
    /// <summary>The configuration section bound to these options.</summary>
    public const string SectionName = "Kait";

    /// <summary>The default proxy port.</summary>
    public const int DefaultLiteLlmPort = 4000;

    /// <summary>Send calls through the LiteLLM proxy (<c>KAIT_LITELLM_ENABLED</c>, default false: direct bridges).</summary>
    public bool LiteLlmEnabled { get; set; }

    /// <summary>The proxy's port on 127.0.0.1 (<c>KAIT_LITELLM_PORT</c>, default 4000).</summary>
    public int LiteLlmPort { get; set; } = DefaultLiteLlmPort;

    /// <summary>The proxy's whole base URL (<c>KAIT_LITELLM_URL</c>); overrides the port.</summary>
    public string? LiteLlmUrl { get; set; }

    /// <summary>The proxy's master key (<c>KAIT_LITELLM_MASTER_KEY</c>); sent to the proxy only, never to a provider.</summary>
    public string? LiteLlmMasterKey { get; set; }

    /// <summary>When the proxy is enabled but unreachable, call the provider directly when a bridge can serve the alias
    /// (<c>KAIT_LITELLM_FALLBACK</c>, default true).</summary>
    public bool LiteLlmFallback { get; set; } = true;

    /// <summary>The alias behind <see cref="LlmGateway.Claude"/> (<c>KAIT_LITELLM_CLAUDE_MODEL</c>); null means
    /// <see cref="DefaultAliases.ClaudeDefault"/>.</summary>
    public string? ClaudeModel { get; set; }

    /// <summary>The alias behind <see cref="LlmGateway.OpenAI"/> (<c>KAIT_LITELLM_OPENAI_MODEL</c>); null means
    /// <see cref="DefaultAliases.OpenaiDefault"/>.</summary>
    public string? OpenAIModel { get; set; }

    /// <summary>The root of every file Kait keeps (<c>KAIT_HOME</c>, default <c>~/.kait</c>).</summary>
    public string? Home { get; set; }

    /// <summary>The LiteLLM config read at run time (<c>KAIT_CONFIG</c>); else <c>config/litellm_config.yaml</c> in the
    /// working directory, else <c>$KAIT_HOME/litellm_config.yaml</c>.</summary>
    public string? ConfigFile { get; set; }

    /// <summary><c>max_tokens</c> sent to Anthropic when a call sets none (Anthropic requires one). Default 4096.</summary>
    public int AnthropicDefaultMaxTokens { get; set; } = 4096;

    /// <summary>The total timeout of a call that sets none, retries and their waits included (<c>KAIT_TIMEOUT</c>,
    /// seconds). Default 300 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>The timeout of one attempt (<c>KAIT_ATTEMPT_TIMEOUT</c>, seconds): a whole reply, or a stream's first
    /// chunk. Default 120 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Retries after a failed attempt (<c>KAIT_RETRIES</c>, default 2). The direct routes retry 408, 429, 5xx
    /// (not 501), connection failures and timeouts; the proxy route only connection failures, timeouts and the proxy's
    /// 502/503/504 (the proxy retries upstream itself). See <c>docs/resilience-and-cache.md</c>.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>The first backoff of a retry that has no <c>Retry-After</c>; doubled each retry, with jitter. Default 1 s.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The least number of attempts within <see cref="CircuitBreakerSamplingDuration"/>, all of them failed,
    /// that open an upstream's circuit breaker (a success still inside the window keeps it closed). Default 5.</summary>
    public int CircuitBreakerFailures { get; set; } = 5;

    /// <summary>The window in which <see cref="CircuitBreakerFailures"/> are counted. Default 60 s.</summary>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an open circuit fails calls at once before it lets one through. Default 30 s.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a response stays in the cache (<c>KAIT_CACHE_TTL</c>, seconds; 0 turns the cache off). Default
    /// 300 s.</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Keep cached responses in SQLite under <see cref="Home"/> so other processes get the hits
    /// (<c>KAIT_CACHE_L2</c>, default on; <c>off</c> keeps them in memory only).</summary>
    public bool CacheL2 { get; set; } = true;

    /// <summary>A Redis connection string used as the shared cache in place of SQLite (<c>KAIT_REDIS_URL</c>).</summary>
    public string? RedisUrl { get; set; }

    /// <summary>How long to wait for a TCP connection to the proxy before it counts as unreachable. Default 5 s.</summary>
    public TimeSpan ProxyConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The proxy's base URL: <see cref="LiteLlmUrl"/>, else <c>http://127.0.0.1:{LiteLlmPort}</c>.</summary>
    public Uri ProxyBaseUrl
    {
        get
        {
            // Read on every call: made once per setting, not per read.
            var cached = proxyBaseUrl;
            if (cached is not null && cached.Port == LiteLlmPort && string.Equals(cached.Url, LiteLlmUrl, StringComparison.Ordinal))
            {
                return cached.Value;
            }

            var value = string.IsNullOrWhiteSpace(LiteLlmUrl)
                ? new Uri(FormattableString.Invariant($"http://127.0.0.1:{LiteLlmPort}"))
                : new Uri(LiteLlmUrl.TrimEnd('/'));
            proxyBaseUrl = new CachedUrl(LiteLlmUrl, LiteLlmPort, value);
            return value;
        }
    }

    private CachedUrl? proxyBaseUrl;

    private sealed record CachedUrl(string? Url, int Port, Uri Value);

    /// <summary>The alias name behind <see cref="LlmGateway.Claude"/>.</summary>
    public string EffectiveClaudeModel => string.IsNullOrWhiteSpace(ClaudeModel) ? DefaultAliases.ClaudeDefault : ClaudeModel;

    /// <summary>The alias name behind <see cref="LlmGateway.OpenAI"/>.</summary>
    public string EffectiveOpenAIModel => string.IsNullOrWhiteSpace(OpenAIModel) ? DefaultAliases.OpenaiDefault : OpenAIModel;
}
