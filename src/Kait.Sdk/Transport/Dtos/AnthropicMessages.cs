using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kait.Sdk.Transport.Dtos;

/// <summary>An Anthropic Messages request.</summary>
internal sealed class AnthropicMessagesRequest
{
    public required string Model { get; init; }

    public required int MaxTokens { get; init; }

    public string? System { get; init; }

    public required IReadOnlyList<AnthropicMessage> Messages { get; init; }

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public IReadOnlyList<string>? StopSequences { get; init; }

    public bool? Stream { get; init; }

    public AnthropicMetadata? Metadata { get; init; }

    public IReadOnlyList<AnthropicTool>? Tools { get; init; }

    /// <summary><c>{"type":"auto"|"any"|"none"|"tool","name"?,"disable_parallel_tool_use"?}</c>.</summary>
    public JsonNode? ToolChoice { get; init; }
}

/// <summary>A message: <c>user</c> or <c>assistant</c>; content is a string or an array of content blocks.</summary>
internal sealed class AnthropicMessage
{
    public required string Role { get; init; }

    public required JsonNode Content { get; init; }
}

/// <summary>A tool definition.</summary>
internal sealed class AnthropicTool
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    public JsonElement InputSchema { get; init; }
}

/// <summary><c>metadata</c>: Anthropic takes a user id only.</summary>
internal sealed class AnthropicMetadata
{
    public string? UserId { get; init; }
}

/// <summary>An Anthropic Messages response (also the <c>message</c> of <c>message_start</c>).</summary>
internal sealed class AnthropicMessagesResponse
{
    public string? Id { get; init; }

    public string? Model { get; init; }

    public IReadOnlyList<AnthropicContentBlock>? Content { get; init; }

    public string? StopReason { get; init; }

    public string? StopSequence { get; init; }

    public AnthropicUsage? Usage { get; init; }
}

/// <summary>A content block of a response: <c>text</c> or <c>tool_use</c>.</summary>
internal sealed class AnthropicContentBlock
{
    public string? Type { get; init; }

    public string? Text { get; init; }

    public string? Id { get; init; }

    public string? Name { get; init; }

    public JsonElement? Input { get; init; }
}

/// <summary>Anthropic usage: <c>input_tokens</c> EXCLUDES cache reads and writes.</summary>
internal sealed class AnthropicUsage
{
    public int? InputTokens { get; init; }

    public int? OutputTokens { get; init; }

    public int? CacheCreationInputTokens { get; init; }

    public int? CacheReadInputTokens { get; init; }
}

/// <summary>One streamed event's data.</summary>
internal sealed class AnthropicStreamEvent
{
    public string? Type { get; init; }

    public AnthropicMessagesResponse? Message { get; init; }

    public int? Index { get; init; }

    public AnthropicContentBlock? ContentBlock { get; init; }

    public AnthropicStreamDelta? Delta { get; init; }

    public AnthropicUsage? Usage { get; init; }

    public AnthropicError? Error { get; init; }
}

/// <summary>The <c>delta</c> of <c>content_block_delta</c> (<c>text_delta</c>) or <c>message_delta</c> (stop reason).</summary>
internal sealed class AnthropicStreamDelta
{
    public string? Type { get; init; }

    public string? Text { get; init; }

    /// <summary>An <c>input_json_delta</c>'s fragment of a tool's input.</summary>
    public string? PartialJson { get; init; }

    public string? StopReason { get; init; }

    public string? StopSequence { get; init; }
}

/// <summary>An <c>error</c> event's error.</summary>
internal sealed class AnthropicError
{
    public string? Type { get; init; }

    public string? Message { get; init; }
}
