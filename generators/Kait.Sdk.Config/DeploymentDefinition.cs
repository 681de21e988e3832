namespace Kait.Sdk.Config;

/// <summary>One deployment of a model group: a <c>model_list</c> entry's <c>litellm_params</c> and <c>model_info</c>.</summary>
internal sealed record DeploymentDefinition
{
    /// <summary><c>litellm_params.model</c> as written (<c>anthropic/claude-haiku-4-5-20251001</c>).</summary>
    public string Model { get; init; } = string.Empty;

    /// <summary>The LiteLLM provider (<c>anthropic</c>, <c>openai</c>, ...), from the prefix or inferred from a bare
    /// name as LiteLLM does; null when it cannot be told from the config.</summary>
    public string? Provider { get; init; }

    /// <summary>The model name the provider knows (the model without its provider prefix).</summary>
    public string ProviderModel { get; init; } = string.Empty;

    /// <summary><c>api_base</c> as written; an <c>os.environ/NAME</c> reference stays a reference.</summary>
    public string? ApiBase { get; init; }

    /// <summary><c>api_version</c> as written.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>The name of the environment variable that holds the key (<c>api_key: os.environ/NAME</c>). Never a value.</summary>
    public string? ApiKeyVariable { get; init; }

    /// <summary>True when the config holds a literal key for this deployment (its value is never kept).</summary>
    public bool HasLiteralApiKey { get; init; }

    /// <summary>Requests per minute (<c>rpm</c>, in <c>litellm_params</c> or beside it).</summary>
    public int? Rpm { get; init; }

    /// <summary>Tokens per minute (<c>tpm</c>, in <c>litellm_params</c> or beside it).</summary>
    public int? Tpm { get; init; }

    /// <summary><c>model_info.mode</c> (<c>chat</c>, <c>embedding</c>, <c>batch</c>, ...).</summary>
    public string? Mode { get; init; }

    /// <summary><c>model_info.id</c>.</summary>
    public string? Id { get; init; }

    /// <summary><c>model_info.base_model</c>, used to price a deployment whose name the price map lacks.</summary>
    public string? BaseModel { get; init; }

    /// <summary><c>input_cost_per_token</c> (USD), from <c>model_info</c> or <c>litellm_params</c>.</summary>
    public decimal? InputCostPerToken { get; init; }

    /// <summary><c>output_cost_per_token</c> (USD), from <c>model_info</c> or <c>litellm_params</c>.</summary>
    public decimal? OutputCostPerToken { get; init; }

    /// <summary><c>cache_read_input_token_cost</c> (USD), when given.</summary>
    public decimal? CacheReadInputTokenCost { get; init; }

    /// <summary><c>cache_creation_input_token_cost</c> (USD), when given.</summary>
    public decimal? CacheCreationInputTokenCost { get; init; }

    /// <summary><c>model_info.supports_response_schema</c>: the model takes a JSON schema for its reply; null when not given.</summary>
    public bool? SupportsResponseSchema { get; init; }

    /// <summary><c>model_info.supports_native_structured_output</c>: the provider enforces the schema itself (Anthropic's
    /// <c>output_config.format</c>); null when not given.</summary>
    public bool? SupportsNativeStructuredOutput { get; init; }

    /// <summary><c>model_info.supports_reasoning</c>; null when not given.</summary>
    public bool? SupportsReasoning { get; init; }

    /// <summary><c>model_info.supports_prompt_caching</c>; null when not given.</summary>
    public bool? SupportsPromptCaching { get; init; }

    /// <summary>Where the entry stands (its <c>- model_name</c> line).</summary>
    public SourceSpan Location { get; init; }
}
