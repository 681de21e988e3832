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

    /// <summary>The timeout of a call that sets none. Default 10 minutes.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long to wait for a TCP connection to the proxy before it counts as unreachable. Default 5 s.</summary>
    public TimeSpan ProxyConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The proxy's base URL: <see cref="LiteLlmUrl"/>, else <c>http://127.0.0.1:{LiteLlmPort}</c>.</summary>
    public Uri ProxyBaseUrl => string.IsNullOrWhiteSpace(LiteLlmUrl)
        ? new Uri(FormattableString.Invariant($"http://127.0.0.1:{LiteLlmPort}"))
        : new Uri(LiteLlmUrl.TrimEnd('/'));

    /// <summary>The alias name behind <see cref="LlmGateway.Claude"/>.</summary>
    public string EffectiveClaudeModel => string.IsNullOrWhiteSpace(ClaudeModel) ? DefaultAliases.ClaudeDefault : ClaudeModel;

    /// <summary>The alias name behind <see cref="LlmGateway.OpenAI"/>.</summary>
    public string EffectiveOpenAIModel => string.IsNullOrWhiteSpace(OpenAIModel) ? DefaultAliases.OpenaiDefault : OpenAIModel;
}
