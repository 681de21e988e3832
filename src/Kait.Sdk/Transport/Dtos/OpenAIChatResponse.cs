using System.Text.Json;

namespace Kait.Sdk.Transport.Dtos;

/// <summary>An OpenAI chat completion, or one streamed chunk of it (<c>delta</c> in place of <c>message</c>).</summary>
internal sealed class OpenAIChatResponse
{
    public string? Id { get; set; }

    public string? Model { get; set; }

    /// <summary><c>object</c> and <c>created</c> are on every reply and chunk; read (not used) so that they are not
    /// "unknown" fields: without them every reply and every streamed chunk built an extension-data dictionary
    /// (GatewayBenchmarks, in memory: KaitUncached 8.84 → 8.28 KB, KaitStream 23.8 → 19.84 KB; benchmarks/README,
    /// "After issues #15–#18").</summary>
    public string? Object { get; set; }

    /// <summary>See <see cref="Object"/>.</summary>
    public long? Created { get; set; }

    public IReadOnlyList<OpenAIChoice>? Choices { get; set; }

    public OpenAIUsage? Usage { get; set; }

    /// <summary>An error sent inside a stream (LiteLLM's <c>data: {"error": {...}}</c>).</summary>
    public JsonElement? Error { get; set; }

    /// <summary>Fields Kait does not map (<see cref="LlmResult.AdditionalFields"/>).</summary>
    [System.Text.Json.Serialization.JsonExtensionData]
    public Dictionary<string, JsonElement>? Unmapped { get; set; }
}

/// <summary>A choice.</summary>
internal sealed class OpenAIChoice
{
    public int Index { get; set; }

    public OpenAIMessage? Message { get; set; }

    public OpenAIMessage? Delta { get; set; }

    public string? FinishReason { get; set; }
}

/// <summary>OpenAI usage; <c>prompt_tokens</c> counts cached tokens too. LiteLLM adds Anthropic's cache counts.</summary>
internal sealed class OpenAIUsage
{
    public int PromptTokens { get; set; }

    public int CompletionTokens { get; set; }

    public int TotalTokens { get; set; }

    public OpenAIPromptTokensDetails? PromptTokensDetails { get; set; }

    public int? CacheCreationInputTokens { get; set; }

    public int? CacheReadInputTokens { get; set; }

    public OpenAICompletionTokensDetails? CompletionTokensDetails { get; set; }
}

/// <summary><c>completion_tokens_details</c>.</summary>
internal sealed class OpenAICompletionTokensDetails
{
    public int? ReasoningTokens { get; set; }
}

/// <summary><c>prompt_tokens_details</c>.</summary>
internal sealed class OpenAIPromptTokensDetails
{
    public int? CachedTokens { get; set; }
}
