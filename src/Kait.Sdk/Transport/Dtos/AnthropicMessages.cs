using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kait.Sdk.Transport.Dtos;

/// <summary>An Anthropic Messages request.</summary>
internal sealed class AnthropicMessagesRequest
{
    public required string Model { get; set; }

    public required int MaxTokens { get; set; }

    /// <summary>The system prompt: a string, or text blocks (to carry a <c>cache_control</c> breakpoint).</summary>
    public JsonNode? System { get; set; }

    public required IReadOnlyList<AnthropicMessage> Messages { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public IReadOnlyList<string>? StopSequences { get; set; }

    public bool? Stream { get; set; }

    public AnthropicMetadata? Metadata { get; set; }

    /// <summary><c>{"type":"enabled","budget_tokens":N}</c>: extended thinking.</summary>
    public JsonNode? Thinking { get; set; }

    public IReadOnlyList<AnthropicTool>? Tools { get; set; }

    /// <summary><c>{"type":"auto"|"any"|"none"|"tool","name"?,"disable_parallel_tool_use"?}</c>.</summary>
    public JsonNode? ToolChoice { get; set; }

    /// <summary><c>output_config</c>: <c>{"format":{"type":"json_schema","schema":{...}}}</c> for native structured output.</summary>
    public JsonNode? OutputConfig { get; set; }
}

/// <summary>A message: <c>user</c> or <c>assistant</c>; content is a string or an array of content blocks.</summary>
internal sealed class AnthropicMessage
{
    public required string Role { get; set; }

    public required JsonNode Content { get; set; }
}

/// <summary>A tool definition.</summary>
internal sealed class AnthropicTool
{
    public required string Name { get; set; }

    public string? Description { get; set; }

    public JsonElement InputSchema { get; set; }

    /// <summary>A prompt-caching breakpoint: <c>{"type":"ephemeral"}</c>.</summary>
    public JsonNode? CacheControl { get; set; }
}

/// <summary><c>metadata</c>: Anthropic takes a user id only.</summary>
internal sealed class AnthropicMetadata
{
    public string? UserId { get; set; }
}

/// <summary>An Anthropic Messages response (also the <c>message</c> of <c>message_start</c>).</summary>
internal sealed class AnthropicMessagesResponse
{
    /// <summary><c>message</c> for an answer; <c>error</c> for an error body.</summary>
    public string? Type { get; set; }

    /// <summary>The error of an error body.</summary>
    public AnthropicError? Error { get; set; }

    public string? Id { get; set; }

    public string? Model { get; set; }

    public IReadOnlyList<AnthropicContentBlock>? Content { get; set; }

    public string? StopReason { get; set; }

    public string? StopSequence { get; set; }

    public AnthropicUsage? Usage { get; set; }

    /// <summary>Fields Kait does not map (<see cref="LlmResult.AdditionalFields"/>).</summary>
    [System.Text.Json.Serialization.JsonExtensionData]
    public Dictionary<string, JsonElement>? Unmapped { get; set; }
}

/// <summary>A content block of a response: <c>text</c> or <c>tool_use</c>.</summary>
internal sealed class AnthropicContentBlock
{
    public string? Type { get; set; }

    public string? Text { get; set; }

    public string? Id { get; set; }

    public string? Name { get; set; }

    public JsonElement? Input { get; set; }

    /// <summary>A <c>thinking</c> block's text.</summary>
    public string? Thinking { get; set; }

    /// <summary>A <c>thinking</c> block's signature.</summary>
    public string? Signature { get; set; }

    /// <summary>A <c>redacted_thinking</c> block's opaque data.</summary>
    public string? Data { get; set; }
}

/// <summary>Anthropic usage: <c>input_tokens</c> EXCLUDES cache reads and writes.</summary>
internal sealed class AnthropicUsage
{
    public int? InputTokens { get; set; }

    public int? OutputTokens { get; set; }

    public int? CacheCreationInputTokens { get; set; }

    public int? CacheReadInputTokens { get; set; }
}

/// <summary>One streamed event's data.</summary>
internal sealed class AnthropicStreamEvent
{
    public string? Type { get; set; }

    public AnthropicMessagesResponse? Message { get; set; }

    public int? Index { get; set; }

    public AnthropicContentBlock? ContentBlock { get; set; }

    public AnthropicStreamDelta? Delta { get; set; }

    public AnthropicUsage? Usage { get; set; }

    public AnthropicError? Error { get; set; }
}

/// <summary>The <c>delta</c> of <c>content_block_delta</c> (<c>text_delta</c>) or <c>message_delta</c> (stop reason).</summary>
internal sealed class AnthropicStreamDelta
{
    public string? Type { get; set; }

    public string? Text { get; set; }

    /// <summary>An <c>input_json_delta</c>'s fragment of a tool's input.</summary>
    public string? PartialJson { get; set; }

    /// <summary>A <c>thinking_delta</c>'s text.</summary>
    public string? Thinking { get; set; }

    /// <summary>A <c>signature_delta</c>'s signature.</summary>
    public string? Signature { get; set; }

    public string? StopReason { get; set; }

    public string? StopSequence { get; set; }
}

/// <summary>An <c>error</c> event's error.</summary>
internal sealed class AnthropicError
{
    public string? Type { get; set; }

    public string? Message { get; set; }
}
