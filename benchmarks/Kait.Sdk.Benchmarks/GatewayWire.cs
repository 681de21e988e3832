using System.Net;
using System.Text;
using System.Text.Json.Serialization;

namespace Kait.Sdk.Benchmarks;

/// <summary>The floor's request: an OpenAI-compatible chat completion.</summary>
internal sealed class WireRequest
{
    [JsonPropertyName("model")]
    public required string Model { get; init; }

    [JsonPropertyName("messages")]
    public required IReadOnlyList<WireMessage> Messages { get; init; }

    [JsonPropertyName("stream")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Stream { get; init; }

    [JsonPropertyName("stream_options")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public WireStreamOptions? StreamOptions { get; init; }
}

internal sealed class WireStreamOptions
{
    [JsonPropertyName("include_usage")]
    public bool IncludeUsage { get; init; }
}

internal sealed class WireMessage
{
    [JsonPropertyName("role")]
    public string? Role { get; init; }

    [JsonPropertyName("content")]
    public string? Content { get; init; }
}

/// <summary>The floor's response (and, with <see cref="WireChoice.Delta"/>, a streamed chunk).</summary>
internal sealed class WireResponse
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("model")]
    public string? Model { get; init; }

    [JsonPropertyName("choices")]
    public IReadOnlyList<WireChoice>? Choices { get; init; }

    [JsonPropertyName("usage")]
    public WireUsage? Usage { get; init; }
}

internal sealed class WireChoice
{
    [JsonPropertyName("index")]
    public int Index { get; init; }

    [JsonPropertyName("message")]
    public WireMessage? Message { get; init; }

    [JsonPropertyName("delta")]
    public WireMessage? Delta { get; init; }

    [JsonPropertyName("finish_reason")]
    public string? FinishReason { get; init; }
}

internal sealed class WireUsage
{
    [JsonPropertyName("prompt_tokens")]
    public int PromptTokens { get; init; }

    [JsonPropertyName("completion_tokens")]
    public int CompletionTokens { get; init; }

    [JsonPropertyName("total_tokens")]
    public int TotalTokens { get; init; }
}

/// <summary>System.Text.Json source generation for the floor.</summary>
[JsonSerializable(typeof(WireRequest))]
[JsonSerializable(typeof(WireResponse))]
internal sealed partial class WireJsonContext : JsonSerializerContext;

/// <summary>The bodies the fake LiteLLM proxy sends for its default reply ("Hello from the fake!", 12 + 5 tokens).</summary>
internal static class CannedBodies
{
    public const string Model = "claude-fast";

    public static readonly byte[] Completion = Encoding.UTF8.GetBytes(
        """{"id":"chatcmpl-0123456789abcdef0123456789abcdef","object":"chat.completion","created":1764072000,"model":"claude-fast","choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the fake!"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}}""");

    public static readonly byte[] Stream = Encoding.UTF8.GetBytes(BuildStream());

    private static string BuildStream()
    {
        const string Head = """{"id":"chatcmpl-0123456789abcdef0123456789abcdef","object":"chat.completion.chunk","created":1764072000,"model":"claude-fast","choices":[""";
        var text = new StringBuilder();
        void Event(string data) => text.Append("data: ").Append(data).Append("\n\n");
        Event(Head + """{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}""");
        foreach (var piece in (string[])["Hello", " from", " the", " fake!"])
        {
            Event(Head + "{\"index\":0,\"delta\":{\"content\":\"" + piece + "\"},\"finish_reason\":null}]}");
        }

        Event(Head + """{"index":0,"delta":{},"finish_reason":"stop"}]}""");
        Event("""{"id":"chatcmpl-0123456789abcdef0123456789abcdef","object":"chat.completion.chunk","created":1764072000,"model":"claude-fast","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}}""");
        Event("[DONE]");
        return text.ToString();
    }
}

/// <summary>The in-memory transport: answers every request with the canned completion (or stream), with LiteLLM's
/// headers, without touching a socket.</summary>
internal sealed class CannedProxyHandler : HttpMessageHandler
{
    public bool Streaming { get; set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(Streaming ? CannedBodies.Stream : CannedBodies.Completion);
        content.Headers.TryAddWithoutValidation("Content-Type", Streaming ? "text/event-stream" : "application/json");
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
        response.Headers.TryAddWithoutValidation("x-litellm-call-id", "0b7c2f4e-1a2b-4c3d-9e8f-001122334455");
        response.Headers.TryAddWithoutValidation("x-litellm-model-id", "id-claude-fast");
        response.Headers.TryAddWithoutValidation("x-litellm-model-group", CannedBodies.Model);
        response.Headers.TryAddWithoutValidation("x-litellm-version", "1.84.0");
        response.Headers.TryAddWithoutValidation("x-litellm-response-duration-ms", "12.5");
        response.Headers.TryAddWithoutValidation("x-litellm-response-cost", "0.00025");
        return Task.FromResult(response);
    }
}
