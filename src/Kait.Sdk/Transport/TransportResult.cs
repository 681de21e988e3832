namespace Kait.Sdk.Transport;

/// <summary>What one transport call returned, before the gateway adds route, alias, cost and attempts.</summary>
internal sealed record TransportResult
{
    public required string Text { get; init; }

    public required LlmUsage Usage { get; init; }

    public string? FinishReason { get; init; }

    public string? ResponseModel { get; init; }

    public string? ResponseId { get; init; }

    /// <summary><c>x-litellm-call-id</c>.</summary>
    public string? CallId { get; init; }

    /// <summary><c>x-litellm-response-cost</c>.</summary>
    public decimal? ProxyCostUsd { get; init; }

    /// <summary><c>x-litellm-attempted-retries</c>.</summary>
    public int? ProxyRetries { get; init; }

    /// <summary>The tool calls asked for.</summary>
    public IReadOnlyList<LlmToolCall> ToolCalls { get; init; } = [];

    /// <summary>How many times the call was sent (set by the resilience decorator).</summary>
    public int Attempts { get; init; } = 1;
}
