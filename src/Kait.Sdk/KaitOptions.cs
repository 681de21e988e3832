using Kait.Sdk.Costs;

namespace Kait.Sdk;

/// <summary>
/// Kait's settings, one model for every part of it: read once by <see cref="KaitOptionsLoader"/> from the <c>Kait</c>
/// configuration section, then a <c>.env</c> file in the working directory, then the <c>KAIT_*</c> environment variables
/// (the real environment wins). <see cref="KaitPaths"/> derives every file from <see cref="Home"/>. See
/// <c>docs/configuration.md</c> for the table of variables, keys and defaults.
/// </summary>
public sealed class KaitOptions
{
    /// <summary>The configuration section read into these options.</summary>
    public const string SectionName = "Kait";

    /// <summary>The LiteLLM proxy: whether calls go through it, where it is and its key (<c>Kait:Proxy</c>).</summary>
    public KaitProxyOptions Proxy { get; set; } = new();

    /// <summary>The response cache (<c>Kait:Cache</c>).</summary>
    public KaitCacheOptions Cache { get; set; } = new();

    /// <summary>Retries, timeouts and the circuit breaker (<c>Kait:Resilience</c>).</summary>
    public KaitResilienceOptions Resilience { get; set; } = new();

    /// <summary>Cost tracking and budgets (<c>Kait:Costs</c>).</summary>
    public KaitCostOptions Costs { get; set; } = new();

    /// <summary>The supervised proxy process (<c>Kait:Supervisor</c>).</summary>
    public KaitSupervisorOptions Supervisor { get; set; } = new();

    /// <summary>The root of every file Kait keeps (<c>KAIT_HOME</c>, default <c>~/.kait</c>; a leading <c>~</c> is the
    /// user's home). Resolved by <see cref="KaitPaths"/>.</summary>
    public string? Home { get; set; }

    /// <summary>The LiteLLM config read at run time (<c>KAIT_CONFIG</c>); else <c>config/litellm_config.yaml</c> in the
    /// working directory, else <c>$KAIT_HOME/litellm_config.yaml</c> (<see cref="KaitPaths.FindConfigFile"/>).</summary>
    public string? ConfigFile { get; set; }

    /// <summary>The alias behind <see cref="LlmGateway.Claude"/> (<c>KAIT_LITELLM_CLAUDE_MODEL</c>); null means
    /// <see cref="DefaultAliases.ClaudeDefault"/>.</summary>
    public string? ClaudeModel { get; set; }

    /// <summary>The alias behind <see cref="LlmGateway.OpenAI"/> (<c>KAIT_LITELLM_OPENAI_MODEL</c>); null means
    /// <see cref="DefaultAliases.OpenaiDefault"/>.</summary>
    public string? OpenAIModel { get; set; }

    /// <summary><c>max_tokens</c> sent to Anthropic when a call sets none (Anthropic requires one). Default 4096.</summary>
    public int AnthropicDefaultMaxTokens { get; set; } = 4096;

    /// <summary>The <c>anthropic-version</c> header of calls straight to Anthropic (<c>KAIT_ANTHROPIC_VERSION</c>).
    /// Default <c>2026-10-21</c>, the version the official SDKs send (Anthropic recommends the latest:
    /// https://platform.claude.com/docs/en/api/versioning). <c>2026-10-21</c> removed <c>temperature</c>, <c>top_p</c>
    /// and <c>top_k</c>: a call that sets them is refused before it is sent; set <c>2023-06-01</c> to send them.</summary>
    public string AnthropicVersion { get; set; } = DefaultAnthropicVersion;

    /// <summary>The default <see cref="AnthropicVersion"/>: <c>2026-10-21</c>, what the official SDKs send.</summary>
    internal const string DefaultAnthropicVersion = "2026-10-21";

    /// <summary>The alias name behind <see cref="LlmGateway.Claude"/>.</summary>
    public string EffectiveClaudeModel => string.IsNullOrWhiteSpace(ClaudeModel) ? DefaultAliases.ClaudeDefault : ClaudeModel;

    /// <summary>The alias name behind <see cref="LlmGateway.OpenAI"/>.</summary>
    public string EffectiveOpenAIModel => string.IsNullOrWhiteSpace(OpenAIModel) ? DefaultAliases.OpenaiDefault : OpenAIModel;
}
