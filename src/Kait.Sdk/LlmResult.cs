namespace Kait.Sdk;

/// <summary>The outcome of a chat call. This contract is fixed: later features fill fields in, never rename them.</summary>
public sealed record LlmResult
{
    /// <summary>The generated text.</summary>
    public required string Text { get; init; }

    /// <summary>Token counts.</summary>
    public required LlmUsage Usage { get; init; }

    /// <summary>The alias called (<c>claude-fast</c>).</summary>
    public required string Alias { get; init; }

    /// <summary>The provider (<c>anthropic</c>, <c>openai</c>, ...); null when the proxy served an alias whose provider
    /// the config does not tell.</summary>
    public string? Provider { get; init; }

    /// <summary>The model the provider ran (<c>claude-haiku-4-5-20251001</c>).</summary>
    public string? ProviderModel { get; init; }

    /// <summary>How the call went: through the proxy or direct.</summary>
    public required LlmRoute Route { get; init; }

    /// <summary>The LiteLLM call id (<c>x-litellm-call-id</c>); null on the direct route.</summary>
    public string? CallId { get; init; }

    /// <summary>What the call cost in USD; null when unknown.</summary>
    public decimal? CostUsd { get; init; }

    /// <summary>Where <see cref="CostUsd"/> came from.</summary>
    public CostSource CostSource { get; init; } = CostSource.Unknown;

    /// <summary>True when served from Kait's response cache.</summary>
    public bool Cached { get; init; }

    /// <summary>How many times Kait sent the call.</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>Retries the proxy made (<c>x-litellm-attempted-retries</c>); null when it did not say.</summary>
    public int? ProxyRetries { get; init; }

    /// <summary>Why generation stopped, in OpenAI's words (<c>stop</c>, <c>length</c>, <c>tool_calls</c>,
    /// <c>content_filter</c>); Anthropic's reasons are mapped.</summary>
    public string? FinishReason { get; init; }

    /// <summary>The model's refusal, when it refused in place of answering (OpenAI's <c>refusal</c>); null otherwise.</summary>
    public string? Refusal { get; init; }

    /// <summary>The response id the server gave.</summary>
    public string? ResponseId { get; init; }

    /// <summary>The tool calls the model asked for (empty when none; <see cref="FinishReason"/> is then
    /// <c>tool_calls</c>).</summary>
    public IReadOnlyList<LlmToolCall> ToolCalls { get; init; } = [];

    /// <summary>The model's reasoning text (Anthropic's thinking, LiteLLM's <c>reasoning_content</c>); null when none
    /// was returned.</summary>
    public string? Reasoning { get; init; }

    /// <summary>The reasoning blocks with their signatures, to send back on the next turn
    /// (<see cref="ToAssistantMessage"/>); empty when none.</summary>
    public IReadOnlyList<LlmReasoningBlock> ReasoningBlocks { get; init; } = [];

    /// <summary>The rate-limit state the server reported; null when it sent none (and on a cache hit).</summary>
    public LlmRateLimits? RateLimits { get; init; }

    /// <summary>The proxy's deployment headers; null on the direct route or when none were sent.</summary>
    public LlmServedBy? ServedBy { get; init; }

    /// <summary>Top-level fields of the response body that Kait does not map, as sent; empty when none (streams:
    /// none).</summary>
    public IReadOnlyDictionary<string, System.Text.Json.JsonElement> AdditionalFields { get; init; } = Transport.EmptyFields.Instance;

    /// <summary>This answer as the assistant message of the next turn: its text, tool calls and reasoning blocks
    /// (Anthropic requires the thinking blocks back, signed, when thinking and tool use meet).</summary>
    public LlmMessage ToAssistantMessage() => new(LlmRole.Assistant, Text)
    {
        ToolCalls = ToolCalls.Count > 0 ? ToolCalls : null,
        ReasoningBlocks = ReasoningBlocks.Count > 0 ? ReasoningBlocks : null,
    };
}
