using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kait.Sdk.Transport.Dtos;

/// <summary>An OpenAI chat completions request (also what the LiteLLM proxy takes, with its extensions).</summary>
internal sealed class OpenAIChatRequest
{
    public required string Model { get; set; }

    public required IReadOnlyList<OpenAIRequestMessage> Messages { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    /// <summary><c>max_tokens</c>: sent to the proxy (LiteLLM's input, mapped per provider).</summary>
    public int? MaxTokens { get; set; }

    /// <summary><c>max_completion_tokens</c>: sent to OpenAI (its reasoning models refuse <c>max_tokens</c>).</summary>
    public int? MaxCompletionTokens { get; set; }

    public IReadOnlyList<string>? Stop { get; set; }

    public long? Seed { get; set; }

    public string? User { get; set; }

    /// <summary>LiteLLM's request metadata, its <c>tags</c> a list (sent to the proxy only).</summary>
    public JsonNode? Metadata { get; set; }

    /// <summary>LiteLLM's per-request cache controls (sent to the proxy only).</summary>
    public OpenAICacheControl? Cache { get; set; }

    public bool? Stream { get; set; }

    public OpenAIStreamOptions? StreamOptions { get; set; }

    public IReadOnlyList<OpenAITool>? Tools { get; set; }

    /// <summary><c>"auto"</c>, <c>"none"</c>, <c>"required"</c> or <c>{"type":"function","function":{"name"}}</c>.</summary>
    public JsonNode? ToolChoice { get; set; }

    public bool? ParallelToolCalls { get; set; }

    /// <summary><c>{"type":"json_object"}</c> or <c>{"type":"json_schema","json_schema":{...}}</c>.</summary>
    public JsonNode? ResponseFormat { get; set; }

    /// <summary><c>low</c>, <c>medium</c>, <c>high</c>... (OpenAI; LiteLLM maps it to each provider's reasoning).</summary>
    public string? ReasoningEffort { get; set; }

    /// <summary>Anthropic's <c>thinking</c> with an explicit budget, passed on by the proxy only.</summary>
    public JsonNode? Thinking { get; set; }
}

/// <summary>One chat message of a request: content is a string or an array of parts.</summary>
internal sealed class OpenAIRequestMessage
{
    public required string Role { get; set; }

    public JsonNode? Content { get; set; }

    public IReadOnlyList<OpenAIToolCall>? ToolCalls { get; set; }

    public string? ToolCallId { get; set; }

    /// <summary>LiteLLM's <c>thinking_blocks</c> of an assistant message, sent back to the proxy.</summary>
    public JsonNode? ThinkingBlocks { get; set; }
}

/// <summary>A tool definition: <c>{"type":"function","function":{...}}</c>.</summary>
internal sealed class OpenAITool
{
    public string Type { get; set; } = "function";

    public required OpenAIFunctionDefinition Function { get; set; }

    /// <summary>A prompt-caching breakpoint (LiteLLM passes it on to Anthropic; proxy only).</summary>
    public JsonNode? CacheControl { get; set; }
}

/// <summary>A function's name, description and JSON schema.</summary>
internal sealed class OpenAIFunctionDefinition
{
    public required string Name { get; set; }

    public string? Description { get; set; }

    public JsonElement Parameters { get; set; }
}

/// <summary><c>stream_options</c>.</summary>
internal sealed class OpenAIStreamOptions
{
    public bool IncludeUsage { get; set; }
}

/// <summary>One chat message of a response (or a streamed delta).</summary>
internal sealed class OpenAIMessage
{
    public string? Role { get; set; }

    public string? Content { get; set; }

    /// <summary>A refusal in place of an answer.</summary>
    public string? Refusal { get; set; }

    public IReadOnlyList<OpenAIToolCall>? ToolCalls { get; set; }

    /// <summary>LiteLLM's reasoning text (https://docs.litellm.ai/docs/reasoning_content).</summary>
    public string? ReasoningContent { get; set; }

    /// <summary>LiteLLM's <c>thinking_blocks</c> (Anthropic models): thinking text and signature.</summary>
    public IReadOnlyList<OpenAIThinkingBlock>? ThinkingBlocks { get; set; }
}

/// <summary>One of LiteLLM's <c>thinking_blocks</c>: <c>{"type":"thinking","thinking","signature"}</c> or
/// <c>{"type":"redacted_thinking","data"}</c>.</summary>
internal sealed class OpenAIThinkingBlock
{
    public string? Type { get; set; }

    public string? Thinking { get; set; }

    public string? Signature { get; set; }

    public string? Data { get; set; }
}

/// <summary>A tool call (in a stream, a fragment of one: <c>index</c> says which).</summary>
internal sealed class OpenAIToolCall
{
    public int? Index { get; set; }

    public string? Id { get; set; }

    public string? Type { get; set; }

    public OpenAIFunctionCall? Function { get; set; }
}

/// <summary>A function call's name and JSON arguments as text.</summary>
internal sealed class OpenAIFunctionCall
{
    public string? Name { get; set; }

    public string? Arguments { get; set; }
}

/// <summary>LiteLLM's <c>cache</c> request field.</summary>
internal sealed class OpenAICacheControl
{
    [System.Text.Json.Serialization.JsonPropertyName("no-cache")]
    public bool? NoCache { get; set; }

    [System.Text.Json.Serialization.JsonPropertyName("no-store")]
    public bool? NoStore { get; set; }

    [System.Text.Json.Serialization.JsonPropertyName("ttl")]
    public double? Ttl { get; set; }

    [System.Text.Json.Serialization.JsonPropertyName("s-maxage")]
    public double? SMaxAge { get; set; }

    [System.Text.Json.Serialization.JsonPropertyName("namespace")]
    public string? Namespace { get; set; }
}
