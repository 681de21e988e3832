using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kait.Sdk.Testing;

/// <summary>OpenAI-shaped bodies and chunks, shared by the OpenAI and LiteLLM fakes.</summary>
internal static class OpenAIShapes
{
    /// <summary>A completion; <paramref name="liteLlm"/> adds what LiteLLM adds: <c>reasoning_content</c> and
    /// <c>thinking_blocks</c> (https://docs.litellm.ai/docs/reasoning_content) and Anthropic's cache counts in usage.</summary>
    public static string Completion(string id, string model, FakeReply reply, bool liteLlm = false) => new JsonObject
    {
        ["id"] = id,
        ["object"] = "chat.completion",
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = Message(reply, liteLlm),
            ["finish_reason"] = FinishReason(reply),
        }),
        ["usage"] = Usage(reply, liteLlm),
    }.ToJsonString();

    /// <summary>The text sent: the structured answer, else the text.</summary>
    public static string TextOf(FakeReply reply) => reply.StructuredJson ?? reply.Text;

    public static string FinishReason(FakeReply reply) => reply.StopReason ?? (reply.ToolCalls is { Count: > 0 } ? "tool_calls" : "stop");

    private static JsonObject Message(FakeReply reply, bool liteLlm)
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

        if (liteLlm && reply.Reasoning is { } reasoning)
        {
            message["reasoning_content"] = reasoning;
            message["thinking_blocks"] = new JsonArray(ThinkingBlock(reasoning, reply.ReasoningSignature));
        }

        return message;
    }

    private static JsonObject ThinkingBlock(string thinking, string? signature)
    {
        var block = new JsonObject { ["type"] = "thinking", ["thinking"] = thinking };
        if (signature is not null)
        {
            block["signature"] = signature;
        }

        return block;
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

    public static JsonObject Usage(FakeReply reply, bool liteLlm = false)
    {
        // OpenAI and LiteLLM count cached tokens inside prompt_tokens.
        var prompt = reply.InputTokens + reply.CachedInputTokens + reply.CacheCreationInputTokens;
        var usage = new JsonObject
        {
            ["prompt_tokens"] = prompt,
            ["completion_tokens"] = reply.OutputTokens,
            ["total_tokens"] = prompt + reply.OutputTokens,
            ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = reply.CachedInputTokens },
            ["completion_tokens_details"] = new JsonObject { ["reasoning_tokens"] = reply.ReasoningTokens },
        };
        if (liteLlm && (reply.CacheCreationInputTokens > 0 || reply.CachedInputTokens > 0))
        {
            // LiteLLM adds Anthropic's counts beside OpenAI's.
            usage["cache_creation_input_tokens"] = reply.CacheCreationInputTokens;
            usage["cache_read_input_tokens"] = reply.CachedInputTokens;
        }

        return usage;
    }

    public static IEnumerable<(string? Event, string Data)> Chunks(string id, string model, FakeReply reply, bool includeUsage, Func<IEnumerable<string>> pieces, bool liteLlm = false)
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
        if (liteLlm && reply.Reasoning is { } reasoning)
        {
            // LiteLLM streams the reasoning as reasoning_content with a thinking block of the same text; the signature
            // comes last, in a block without text.
            foreach (var piece in Pieces(reasoning))
            {
                yield return (null, Chunk(new JsonObject { ["reasoning_content"] = piece, ["thinking_blocks"] = new JsonArray(ThinkingBlock(piece, null)) }, null).ToJsonString());
            }

            yield return (null, Chunk(new JsonObject { ["thinking_blocks"] = new JsonArray(ThinkingBlock(string.Empty, reply.ReasoningSignature)) }, null).ToJsonString());
        }

        foreach (var piece in pieces())
        {
            yield return (null, reply.MalformedJson ? "{\"id\": \"" + id + "\", \"choices\": [" : Chunk(new JsonObject { ["content"] = piece }, null).ToJsonString());
        }

        foreach (var delta in ToolCallDeltas(reply))
        {
            yield return (null, Chunk(delta, null).ToJsonString());
        }

        yield return (null, Chunk([], FinishReason(reply)).ToJsonString());
        if (includeUsage)
        {
            yield return (null, new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion.chunk",
                ["created"] = created,
                ["model"] = model,
                ["choices"] = new JsonArray(),
                ["usage"] = Usage(reply, liteLlm),
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

    /// <summary>Splits text into pieces of up to 8 characters.</summary>
    public static IEnumerable<string> Pieces(string text)
    {
        for (var i = 0; i < text.Length; i += 8)
        {
            yield return text.Substring(i, Math.Min(8, text.Length - i));
        }
    }

    public static string Invariant(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
