using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kait.Sdk.Transport.Dtos;

/// <summary>An OpenAI chat completions request (also what the LiteLLM proxy takes, with its extensions).</summary>
internal sealed class OpenAIChatRequest
{
    public required string Model { get; init; }

    public required IReadOnlyList<OpenAIRequestMessage> Messages { get; init; }

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public int? MaxTokens { get; init; }

    public IReadOnlyList<string>? Stop { get; init; }

    public long? Seed { get; init; }

    public string? User { get; init; }

    /// <summary>LiteLLM's request metadata (sent to the proxy only).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>LiteLLM's per-request cache controls (sent to the proxy only).</summary>
    public OpenAICacheControl? Cache { get; init; }

    public bool? Stream { get; init; }

    public OpenAIStreamOptions? StreamOptions { get; init; }

    public IReadOnlyList<OpenAITool>? Tools { get; init; }

    /// <summary><c>"auto"</c>, <c>"none"</c>, <c>"required"</c> or <c>{"type":"function","function":{"name"}}</c>.</summary>
    public JsonNode? ToolChoice { get; init; }

    public bool? ParallelToolCalls { get; init; }

    /// <summary><c>{"type":"json_object"}</c> or <c>{"type":"json_schema","json_schema":{...}}</c>.</summary>
    public JsonNode? ResponseFormat { get; init; }
}

/// <summary>One chat message of a request: content is a string or an array of parts.</summary>
internal sealed class OpenAIRequestMessage
{
    public required string Role { get; init; }

    public JsonNode? Content { get; init; }

    public IReadOnlyList<OpenAIToolCall>? ToolCalls { get; init; }

    public string? ToolCallId { get; init; }
}

/// <summary>A tool definition: <c>{"type":"function","function":{...}}</c>.</summary>
internal sealed class OpenAITool
{
    public string Type { get; init; } = "function";

    public required OpenAIFunctionDefinition Function { get; init; }
}

/// <summary>A function's name, description and JSON schema.</summary>
internal sealed class OpenAIFunctionDefinition
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    public JsonElement Parameters { get; init; }
}

/// <summary><c>stream_options</c>.</summary>
internal sealed class OpenAIStreamOptions
{
    public bool IncludeUsage { get; init; }
}

/// <summary>One chat message of a response (or a streamed delta).</summary>
internal sealed class OpenAIMessage
{
    public string? Role { get; init; }

    public string? Content { get; init; }

    public IReadOnlyList<OpenAIToolCall>? ToolCalls { get; init; }
}

/// <summary>A tool call (in a stream, a fragment of one: <c>index</c> says which).</summary>
internal sealed class OpenAIToolCall
{
    public int? Index { get; init; }

    public string? Id { get; init; }

    public string? Type { get; init; }

    public OpenAIFunctionCall? Function { get; init; }
}

/// <summary>A function call's name and JSON arguments as text.</summary>
internal sealed class OpenAIFunctionCall
{
    public string? Name { get; init; }

    public string? Arguments { get; init; }
}

/// <summary>LiteLLM's <c>cache</c> request field.</summary>
internal sealed class OpenAICacheControl
{
    [System.Text.Json.Serialization.JsonPropertyName("no-cache")]
    public bool? NoCache { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("no-store")]
    public bool? NoStore { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("ttl")]
    public double? Ttl { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("s-maxage")]
    public double? SMaxAge { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("namespace")]
    public string? Namespace { get; init; }
}
