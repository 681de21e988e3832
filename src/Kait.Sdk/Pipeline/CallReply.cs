namespace Kait.Sdk.Pipeline;

/// <summary>
/// What a call returned, as it travels back up the stages: the transport fills in the answer and the proxy's headers,
/// the cache <see cref="Cached"/>, accounting the target that served it and the cost. The gateway turns it into an <see cref="LlmResult"/> or <see cref="LlmEmbeddings"/>.
/// </summary>
internal sealed record CallReply
{
    public required string Text { get; init; }

    public required LlmUsage Usage { get; init; }

    public string? FinishReason { get; init; }

    /// <summary>The model the server named.</summary>
    public string? ResponseModel { get; init; }

    public string? ResponseId { get; init; }

    /// <summary>A refusal the model gave in place of an answer (OpenAI's <c>message.refusal</c>).</summary>
    public string? Refusal { get; init; }

    /// <summary>The tool calls asked for.</summary>
    public IReadOnlyList<LlmToolCall> ToolCalls { get; init; } = [];

    /// <summary>The reasoning text, when any.</summary>
    public string? Reasoning { get; init; }

    /// <summary>The reasoning blocks (with signatures) to send back.</summary>
    public IReadOnlyList<LlmReasoningBlock> ReasoningBlocks { get; init; } = [];

    /// <summary>The rate-limit headers of the answer.</summary>
    public LlmRateLimits? RateLimits { get; init; }

    /// <summary>The proxy's deployment headers.</summary>
    public LlmServedBy? ServedBy { get; init; }

    /// <summary>Response fields Kait does not map.</summary>
    public IReadOnlyDictionary<string, System.Text.Json.JsonElement>? AdditionalFields { get; init; }

    /// <summary>The vectors of an embeddings call (null for chat).</summary>
    public IReadOnlyList<float[]>? Vectors { get; init; }

    /// <summary><c>x-litellm-call-id</c>.</summary>
    public string? CallId { get; init; }

    /// <summary><c>x-litellm-response-cost</c>, as sent (parsed once, when the reply is priced).</summary>
    public string? ProxyCostHeader { get; init; }

    /// <summary><c>x-litellm-attempted-retries</c>.</summary>
    public int? ProxyRetries { get; init; }

    /// <summary>The route that served the answer (the route stage sets it; the cache keeps it).</summary>
    public LlmRoute Route { get; init; } = LlmRoute.Proxy;

    /// <summary>The provider that served it, when known.</summary>
    public string? Provider { get; init; }

    /// <summary>The deployment that served it (priced from), when known.</summary>
    public ModelDeployment? Deployment { get; init; }

    /// <summary>True when the response cache answered (no upstream call).</summary>
    public bool Cached { get; init; }

    /// <summary>The price, set once by the accounting stage on the reply it books (its own copy).</summary>
    public decimal? CostUsd { get; set; }

    /// <summary>Where <see cref="CostUsd"/> came from.</summary>
    public CostSource CostSource { get; set; } = CostSource.Unknown;
}

/// <summary>A streamed piece: text, reasoning text and a reasoning block just completed, or (last) the whole reply.</summary>
internal readonly record struct CallChunk(string Text, CallReply? Final, string? Reasoning = null, LlmReasoningBlock? ReasoningBlock = null);
