namespace Kait.Sdk;

/// <summary>The LiteLLM proxy section of <see cref="KaitOptions"/> (<c>Kait:Proxy</c>).</summary>
public sealed class KaitProxyOptions
{
    /// <summary>The default proxy port.</summary>
    public const int DefaultPort = 4000;

    private CachedUrl? baseUrl;

    /// <summary>Send calls through the LiteLLM proxy (<c>KAIT_LITELLM_ENABLED</c>, default false: direct bridges). With
    /// <c>AddLiteLlmProxy()</c> it also starts and supervises a local proxy.</summary>
    public bool Enabled { get; set; }

    /// <summary>The proxy's port on 127.0.0.1 (<c>KAIT_LITELLM_PORT</c>, default 4000).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>The proxy's whole base URL (<c>KAIT_LITELLM_URL</c>); overrides <see cref="Port"/>.</summary>
    public string? Url { get; set; }

    /// <summary>The proxy's master key (<c>KAIT_LITELLM_MASTER_KEY</c>); sent to the proxy only, never to a provider, and
    /// given to a supervised proxy as <c>LITELLM_MASTER_KEY</c>.</summary>
    public string? MasterKey { get; set; }

    /// <summary>When the proxy is enabled but unreachable, call the provider directly when a bridge can serve the alias
    /// (<c>KAIT_LITELLM_FALLBACK</c>, default true).</summary>
    public bool Fallback { get; set; } = true;

    /// <summary>How long to wait for a TCP connection to the proxy before it counts as unreachable. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The proxy's base URL: <see cref="Url"/> (without a trailing slash), else <c>http://127.0.0.1:{Port}</c>.</summary>
    public Uri BaseUrl
    {
        get
        {
            // Read on every call: made once per setting, not per read.
            var cached = baseUrl;
            if (cached is not null && cached.Port == Port && string.Equals(cached.Url, Url, StringComparison.Ordinal))
            {
                return cached.Value;
            }

            var value = string.IsNullOrWhiteSpace(Url)
                ? new Uri(FormattableString.Invariant($"http://127.0.0.1:{Port}"))
                : new Uri(Url.TrimEnd('/'));
            baseUrl = new CachedUrl(Url, Port, value);
            return value;
        }
    }

    private sealed record CachedUrl(string? Url, int Port, Uri Value);
}
