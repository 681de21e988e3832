using System.Text.Json;

namespace Kait.Sdk.Transport.Dtos;

/// <summary>An OpenAI chat completion, or one streamed chunk of it (<c>delta</c> in place of <c>message</c>).</summary>
internal sealed class OpenAIChatResponse
{
    public string? Id { get; init; }

    public string? Model { get; init; }

    public IReadOnlyList<OpenAIChoice>? Choices { get; init; }

    public OpenAIUsage? Usage { get; init; }

    /// <summary>An error sent inside a stream (LiteLLM's <c>data: {"error": {...}}</c>).</summary>
    public JsonElement? Error { get; init; }
}

/// <summary>A choice.</summary>
internal sealed class OpenAIChoice
{
    public int Index { get; init; }

    public OpenAIMessage? Message { get; init; }

    public OpenAIMessage? Delta { get; init; }

    public string? FinishReason { get; init; }
}

/// <summary>OpenAI usage; <c>prompt_tokens</c> counts cached tokens too. LiteLLM adds Anthropic's cache counts.</summary>
internal sealed class OpenAIUsage
{
    public int PromptTokens { get; init; }

    public int CompletionTokens { get; init; }

    public int TotalTokens { get; init; }

    public OpenAIPromptTokensDetails? PromptTokensDetails { get; init; }

    public int? CacheCreationInputTokens { get; init; }

    public int? CacheReadInputTokens { get; init; }
}

/// <summary><c>prompt_tokens_details</c>.</summary>
internal sealed class OpenAIPromptTokensDetails
{
    public int? CachedTokens { get; init; }
}
