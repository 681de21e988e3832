namespace Kait.Sdk;

/// <summary>One deployment behind an alias: the provider model a call goes to, and how to reach it.
/// Holds the <em>name</em> of the key's environment variable, never a key.</summary>
/// <param name="Model"><c>litellm_params.model</c> as written (<c>anthropic/claude-haiku-4-5-20251001</c>).</param>
public sealed record ModelDeployment(string Model)
{
    /// <summary>The LiteLLM provider (<c>anthropic</c>, <c>openai</c>, <c>gemini</c>, ...); null when the config cannot tell.</summary>
    public string? Provider { get; init; }

    /// <summary>The model name the provider knows (<c>claude-haiku-4-5-20251001</c>).</summary>
    public string ProviderModel { get; init; } = Model;

    /// <summary><c>api_base</c>; an <c>os.environ/NAME</c> reference is kept as written and resolved at call time.</summary>
    public string? ApiBase { get; init; }

    /// <summary><c>api_version</c>.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>The environment variable that holds the key (from <c>api_key: os.environ/NAME</c>).</summary>
    public string? ApiKeyVariable { get; init; }

    /// <summary>Requests-per-minute limit.</summary>
    public int? Rpm { get; init; }

    /// <summary>Tokens-per-minute limit.</summary>
    public int? Tpm { get; init; }

    /// <summary><c>model_info.mode</c> (<c>chat</c>, <c>embedding</c>, ...).</summary>
    public string? Mode { get; init; }

    /// <summary><c>model_info.id</c>.</summary>
    public string? Id { get; init; }

    /// <summary><c>model_info.base_model</c>.</summary>
    public string? BaseModel { get; init; }

    /// <summary>USD per input token, when the config prices it.</summary>
    public decimal? InputCostPerToken { get; init; }

    /// <summary>USD per output token, when the config prices it.</summary>
    public decimal? OutputCostPerToken { get; init; }

    /// <summary>USD per cached input token read, when the config prices it.</summary>
    public decimal? CacheReadInputTokenCost { get; init; }

    /// <summary>USD per input token written to the provider's cache, when the config prices it.</summary>
    public decimal? CacheCreationInputTokenCost { get; init; }

    /// <summary><c>model_info.supports_response_schema</c>: the config says the model takes a JSON schema for its reply;
    /// null leaves it to LiteLLM's model map (<c>KAIT_PRICE_MAP</c>).</summary>
    public bool? SupportsResponseSchema { get; init; }

    /// <summary><c>model_info.supports_native_structured_output</c>: the provider enforces the schema itself (on Anthropic,
    /// <c>output_config.format</c> instead of a forced tool); null leaves it to LiteLLM's model map.</summary>
    public bool? SupportsNativeStructuredOutput { get; init; }

    /// <summary><c>model_info.supports_reasoning</c>; null leaves it to LiteLLM's model map.</summary>
    public bool? SupportsReasoning { get; init; }

    /// <summary><c>model_info.supports_prompt_caching</c>; null leaves it to LiteLLM's model map.</summary>
    public bool? SupportsPromptCaching { get; init; }
}
