namespace Kait.Sdk.Testing;

/// <summary>What a fake answers to one call: the reply to script, or a fault to inject.</summary>
public sealed record FakeReply
{
    /// <summary>The generated text (streamed word by word).</summary>
    public string Text { get; init; } = "Hello from the fake!";

    /// <summary>Prompt tokens, cached ones excluded (the fake reports them the way each API does).</summary>
    public int InputTokens { get; init; } = 12;

    /// <summary>Prompt tokens read from the provider cache.</summary>
    public int CachedInputTokens { get; init; }

    /// <summary>Prompt tokens written to the provider cache (Anthropic).</summary>
    public int CacheCreationInputTokens { get; init; }

    /// <summary>Generated tokens.</summary>
    public int OutputTokens { get; init; } = 5;

    /// <summary>The model the reply names; null echoes the request's (or the fake's provider model).</summary>
    public string? Model { get; init; }

    /// <summary>The proxy's <c>x-litellm-response-cost</c>, formatted invariantly; null sends none.</summary>
    public decimal? CostUsd { get; init; }

    /// <summary>The raw <c>x-litellm-response-cost</c> value (<c>1.5e-05</c>); wins over <see cref="CostUsd"/>.</summary>
    public string? CostHeader { get; init; }

    /// <summary>The proxy's <c>x-litellm-call-id</c>; null makes a new one (unless the client sent one).</summary>
    public string? CallId { get; init; }

    /// <summary>The proxy's <c>x-litellm-attempted-retries</c>; null sends none.</summary>
    public int? AttemptedRetries { get; init; }

    /// <summary>The stop reason in the API's own words (<c>stop</c>, <c>end_turn</c>, <c>max_tokens</c>...); null for
    /// the API's normal one.</summary>
    public string? StopReason { get; init; }

    /// <summary>Extra response headers.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>An error status to answer with (the API's error body follows unless <see cref="ErrorBody"/> is set).</summary>
    public int? Status { get; init; }

    /// <summary>The error's message.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>The error's type (LiteLLM: <c>budget_exceeded</c>...; Anthropic: <c>overloaded_error</c>...).</summary>
    public string? ErrorType { get; init; }

    /// <summary>The exact error body to send, for odd shapes.</summary>
    public string? ErrorBody { get; init; }

    /// <summary>A <c>Retry-After</c> header (whole seconds).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Waits this long before answering.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Resets the connection after this many streamed events (0: before any response at all).</summary>
    public int? ResetAfterEvents { get; init; }

    /// <summary>Goes silent after this many streamed events (the connection stays open until the client gives up).</summary>
    public int? SilentAfterEvents { get; init; }

    /// <summary>A body sent verbatim with status 200 (a recorded exchange): <c>text/event-stream</c> when the request
    /// streams, else <c>application/json</c>.</summary>
    public string? RawBody { get; init; }

    /// <summary>Sends malformed JSON (the body, or a streamed event's data).</summary>
    public bool MalformedJson { get; init; }

    /// <summary>Tool calls to answer with (after <see cref="Text"/>; set it empty for none). Streamed as each API does:
    /// OpenAI's <c>delta.tool_calls</c> fragments by index, Anthropic's <c>tool_use</c> blocks and <c>input_json_delta</c>s.
    /// The stop reason becomes <c>tool_calls</c> (<c>tool_use</c>) unless <see cref="StopReason"/> says otherwise.</summary>
    public IReadOnlyList<FakeToolCall>? ToolCalls { get; init; }

    /// <summary>A structured-output answer (a JSON document as text): the OpenAI and LiteLLM fakes send it as the text;
    /// the Anthropic fake as the input of the tool the request forces (<c>tool_choice: {type: "tool", name}</c>), as
    /// Anthropic does. Wins over <see cref="Text"/>.</summary>
    public string? StructuredJson { get; init; }

    /// <summary>The model's reasoning: Anthropic answers it as a <c>thinking</c> block (streamed as <c>thinking_delta</c>s
    /// and a <c>signature_delta</c>), the LiteLLM fake as <c>reasoning_content</c> and <c>thinking_blocks</c>
    /// (https://docs.litellm.ai/docs/reasoning_content); OpenAI returns no reasoning text, only its token count. Null:
    /// none.</summary>
    public string? Reasoning { get; init; }

    /// <summary>The thinking block's signature (Anthropic, LiteLLM).</summary>
    public string ReasoningSignature { get; init; } = "EqoBCkgIARABGAIiQL2UoU0b1OHYi+fake-signature";

    /// <summary>Generated tokens spent on reasoning (<c>completion_tokens_details.reasoning_tokens</c>; part of
    /// <see cref="OutputTokens"/>).</summary>
    public int ReasoningTokens { get; init; }

    /// <summary>An error reply.</summary>
    /// <param name="status">The status.</param>
    /// <param name="message">The message.</param>
    /// <param name="type">The error type, or null for the API's usual one.</param>
    public static FakeReply Error(int status, string message, string? type = null) => new() { Status = status, ErrorMessage = message, ErrorType = type };
}
