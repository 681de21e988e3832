using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kait.Sdk.Testing;

/// <summary>OpenAI-shaped bodies and chunks, shared by the OpenAI and LiteLLM fakes.</summary>
internal static class OpenAIShapes
{
    public static string Completion(string id, string model, FakeReply reply) => new JsonObject
    {
        ["id"] = id,
        ["object"] = "chat.completion",
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = Message(reply),
            ["finish_reason"] = FinishReason(reply),
        }),
        ["usage"] = Usage(reply),
    }.ToJsonString();

    /// <summary>The text sent: the structured answer, else the text.</summary>
    public static string TextOf(FakeReply reply) => reply.StructuredJson ?? reply.Text;

    public static string FinishReason(FakeReply reply) => reply.StopReason ?? (reply.ToolCalls is { Count: > 0 } ? "tool_calls" : "stop");

    private static JsonObject Message(FakeReply reply)
    {
        var text = TextOf(reply);
        var message = new JsonObject { ["role"] = "assistant", ["content"] = text.Length == 0 && reply.ToolCalls is { Count: > 0 } ? null : text };
        if (reply.ToolCalls is { Count: > 0 } calls)
        {
            message["tool_calls"] = new JsonArray(calls.Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.ArgumentsJson },
            }).ToArray());
        }

        return message;
    }

    /// <summary>Streamed fragments of the tool calls: a first one with id, name and empty arguments, then the
    /// arguments in two halves, each tagged with the call's index.</summary>
    private static IEnumerable<JsonObject> ToolCallDeltas(FakeReply reply)
    {
        var calls = reply.ToolCalls ?? [];
        for (var i = 0; i < calls.Count; i++)
        {
            var call = calls[i];
            yield return ToolDelta(new JsonObject
            {
                ["index"] = i,
                ["id"] = call.Id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = string.Empty },
            });
            var half = call.ArgumentsJson.Length / 2;
            foreach (var piece in (string[])[call.ArgumentsJson[..half], call.ArgumentsJson[half..]])
            {
                yield return ToolDelta(new JsonObject { ["index"] = i, ["function"] = new JsonObject { ["arguments"] = piece } });
            }
        }
    }

    private static JsonObject ToolDelta(JsonObject call) => new() { ["tool_calls"] = new JsonArray(call) };

    public static JsonObject Usage(FakeReply reply)
    {
        // OpenAI and LiteLLM count cached tokens inside prompt_tokens.
        var prompt = reply.InputTokens + reply.CachedInputTokens + reply.CacheCreationInputTokens;
        return new JsonObject
        {
            ["prompt_tokens"] = prompt,
            ["completion_tokens"] = reply.OutputTokens,
            ["total_tokens"] = prompt + reply.OutputTokens,
            ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = reply.CachedInputTokens },
        };
    }

    public static IEnumerable<(string? Event, string Data)> Chunks(string id, string model, FakeReply reply, bool includeUsage, Func<IEnumerable<string>> pieces)
    {
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        JsonObject Chunk(JsonObject delta, string? finish) => new()
        {
            ["id"] = id,
            ["object"] = "chat.completion.chunk",
            ["created"] = created,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
        };

        yield return (null, Chunk(new JsonObject { ["role"] = "assistant", ["content"] = string.Empty }, null).ToJsonString());
        foreach (var piece in pieces())
        {
            yield return (null, reply.MalformedJson ? "{\"id\": \"" + id + "\", \"choices\": [" : Chunk(new JsonObject { ["content"] = piece }, null).ToJsonString());
        }

        foreach (var delta in ToolCallDeltas(reply))
        {
            yield return (null, Chunk(delta, null).ToJsonString());
        }

        yield return (null, Chunk(new JsonObject(), FinishReason(reply)).ToJsonString());
        if (includeUsage)
        {
            yield return (null, new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion.chunk",
                ["created"] = created,
                ["model"] = model,
                ["choices"] = new JsonArray(),
                ["usage"] = Usage(reply),
            }.ToJsonString());
        }

        yield return (null, "[DONE]");
    }

    public static string Embeddings(string model, int count, int promptTokens)
    {
        var data = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            data.Add(new JsonObject
            {
                ["object"] = "embedding",
                ["index"] = i,
                ["embedding"] = new JsonArray(0.1 * (i + 1), 0.2, -0.3),
            });
        }

        return new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = model,
            ["usage"] = new JsonObject { ["prompt_tokens"] = promptTokens, ["total_tokens"] = promptTokens },
        }.ToJsonString();
    }

    public static string OpenAIError(int status, string message, string? type) => new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["message"] = message,
            ["type"] = type ?? (status == 401 ? "invalid_request_error" : status == 429 ? "rate_limit_exceeded" : "invalid_request_error"),
            ["param"] = null,
            ["code"] = status == 401 ? "invalid_api_key" : null,
        },
    }.ToJsonString();

    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static bool Flag(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    public static string Invariant(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
