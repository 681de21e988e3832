using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Kait.Sdk.Testing;

/// <summary>A fake Anthropic Messages API: <c>POST /v1/messages</c> plain and streamed with the recorded event framing
/// (<c>message_start</c>, <c>content_block_start</c>, <c>ping</c>, <c>content_block_delta</c>, <c>content_block_stop</c>,
/// <c>message_delta</c>, <c>message_stop</c>), the <c>x-api-key</c> and <c>anthropic-version</c> checks and Anthropic's
/// error bodies. Point <c>ANTHROPIC_BASE_URL</c> at <see cref="FakeLlmServer.BaseUrl"/>.</summary>
public sealed class FakeAnthropicApi : FakeLlmServer
{
    private readonly FakePromptCache promptCache = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> signed = new(StringComparer.Ordinal);

    private FakeAnthropicApi()
    {
    }

    /// <summary>The key required in <c>x-api-key</c>; null accepts any (but one must be sent).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Starts a fake on a free loopback port.</summary>
    public static async Task<FakeAnthropicApi> StartAsync(CancellationToken cancellationToken = default)
    {
        var fake = new FakeAnthropicApi();
        await fake.StartCoreAsync(cancellationToken).ConfigureAwait(false);
        return fake;
    }

    /// <summary>Anthropic's error body.</summary>
    public static string ErrorBody(int status, string message, string? type) => new JsonObject
    {
        ["type"] = "error",
        ["error"] = new JsonObject
        {
            ["type"] = type ?? status switch
            {
                400 => "invalid_request_error",
                401 => "authentication_error",
                403 => "permission_error",
                404 => "not_found_error",
                429 => "rate_limit_error",
                529 => "overloaded_error",
                _ => "api_error",
            },
            ["message"] = message,
        },
    }.ToJsonString();

    /// <inheritdoc />
    protected override void MapRoutes(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/v1/messages", MessagesAsync);
    }

    private async Task MessagesAsync(HttpContext context)
    {
        context.Response.Headers["request-id"] = "req_" + Guid.NewGuid().ToString("N");
        var key = context.Request.Headers["x-api-key"].ToString();
        if (key.Length == 0 || (ApiKey is not null && key != ApiKey))
        {
            await WriteErrorAsync(context, 401, "invalid x-api-key").ConfigureAwait(false);
            return;
        }

        if (context.Request.Headers["anthropic-version"].ToString().Length == 0)
        {
            await WriteErrorAsync(context, 400, "anthropic-version: header is required").ConfigureAwait(false);
            return;
        }

        var reply = NextReply(context);
        if (await ApplyFaultsAsync(context, reply, ErrorBody).ConfigureAwait(false))
        {
            return;
        }

        using var request = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        if (!request.RootElement.TryGetProperty("max_tokens", out _))
        {
            await WriteErrorAsync(context, 400, "max_tokens: Field required").ConfigureAwait(false);
            return;
        }

        if (ThinkingError(request.RootElement) is { } thinkingError)
        {
            await WriteErrorAsync(context, 400, thinkingError).ConfigureAwait(false);
            return;
        }

        var model = reply.Model ?? OpenAIShapes.Text(request.RootElement, "model") ?? "claude-sonnet-4-5-20250929";
        reply = Structured(reply, request.RootElement);
        reply = promptCache.Apply(request.RootElement, reply);

        // Thinking comes back only when the request enables it.
        reply = Thinking(request.RootElement) is null ? reply with { Reasoning = null } : reply;
        if (reply.Reasoning is { } reasoning)
        {
            signed[reply.ReasoningSignature] = reasoning;
        }

        // Anthropic's rate-limit headers (https://docs.anthropic.com/en/api/rate-limits#response-headers).
        context.Response.Headers["anthropic-ratelimit-requests-limit"] = "50";
        context.Response.Headers["anthropic-ratelimit-requests-remaining"] = "49";
        context.Response.Headers["anthropic-ratelimit-requests-reset"] = DateTimeOffset.UtcNow.AddSeconds(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["anthropic-ratelimit-tokens-limit"] = "40000";
        context.Response.Headers["anthropic-ratelimit-tokens-remaining"] = "39000";
        var id = "msg_" + Guid.NewGuid().ToString("N")[..24];
        AddHeaders(context, reply);
        if (OpenAIShapes.Flag(request.RootElement, "stream"))
        {
            await WriteEventsAsync(context, reply, Events(id, model, reply)).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(reply.MalformedJson ? "{\"id\": \"" + id + "\", \"content\": [" : new JsonObject
        {
            ["id"] = id,
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = model,
            ["content"] = Content(reply),
            ["stop_reason"] = StopReason(reply),
            ["stop_sequence"] = null,
            ["usage"] = Usage(reply, reply.OutputTokens),
        }.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A structured answer becomes the input of the tool the request forces, as Anthropic answers.</summary>
    private static FakeReply Structured(FakeReply reply, JsonElement request)
    {
        if (reply.StructuredJson is not { } json)
        {
            return reply;
        }

        var forced = request.TryGetProperty("tool_choice", out var choice) && OpenAIShapes.Text(choice, "type") == "tool" ? OpenAIShapes.Text(choice, "name") : null;
        return forced is null
            ? reply with { Text = json, StructuredJson = null }
            : reply with { Text = string.Empty, StructuredJson = null, ToolCalls = [.. reply.ToolCalls ?? [], new FakeToolCall("toolu_" + Guid.NewGuid().ToString("N")[..20], forced, json)] };
    }

    private static string StopReason(FakeReply reply) => reply.StopReason ?? (reply.ToolCalls is { Count: > 0 } ? "tool_use" : "end_turn");

    /// <summary>The request's <c>thinking</c> when enabled, else null.</summary>
    private static JsonElement? Thinking(JsonElement request) =>
        request.TryGetProperty("thinking", out var thinking) && OpenAIShapes.Text(thinking, "type") == "enabled" ? thinking : null;

    /// <summary>Anthropic's checks of extended thinking
    /// (https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking): a budget of at least 1,024 tokens below
    /// <c>max_tokens</c>, and, when the last assistant turn used a tool, its thinking block sent back first and unchanged.</summary>
    private string? ThinkingError(JsonElement request)
    {
        if (Thinking(request) is not { } thinking)
        {
            return null;
        }

        var budget = thinking.TryGetProperty("budget_tokens", out var b) && b.TryGetInt32(out var n) ? n : 0;
        var max = request.GetProperty("max_tokens").GetInt32();
        if (budget < 1024)
        {
            return "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024";
        }

        if (max <= budget)
        {
            return "`max_tokens` must be greater than `thinking.budget_tokens`.";
        }

        if (!request.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var index = -1;
        JsonElement? lastAssistant = null;
        var i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (OpenAIShapes.Text(message, "role") == "assistant")
            {
                (lastAssistant, index) = (message, i);
            }

            i++;
        }

        if (lastAssistant is not { } assistant || !assistant.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array
            || !content.EnumerateArray().Any(block => OpenAIShapes.Text(block, "type") == "tool_use"))
        {
            return null;
        }

        var first = content[0];
        var type = OpenAIShapes.Text(first, "type");
        if (type is not ("thinking" or "redacted_thinking"))
        {
            return FormattableString.Invariant($"messages.{index}.content.0.type: Expected `thinking` or `redacted_thinking`, but found `{type}`. When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks).");
        }

        if (type == "thinking" && !(OpenAIShapes.Text(first, "signature") is { } signature && signed.TryGetValue(signature, out var text) && text == OpenAIShapes.Text(first, "thinking")))
        {
            return FormattableString.Invariant($"messages.{index}.content.0: Invalid `signature` in `thinking` block");
        }

        return null;
    }

    private static JsonArray Content(FakeReply reply)
    {
        var content = new JsonArray();
        if (reply.Reasoning is { } reasoning)
        {
            content.Add((JsonNode)new JsonObject { ["type"] = "thinking", ["thinking"] = reasoning, ["signature"] = reply.ReasoningSignature });
        }

        if (reply.Text.Length > 0 || reply.ToolCalls is not { Count: > 0 })
        {
            content.Add((JsonNode)new JsonObject { ["type"] = "text", ["text"] = reply.Text });
        }

        foreach (var call in reply.ToolCalls ?? [])
        {
            content.Add((JsonNode)new JsonObject { ["type"] = "tool_use", ["id"] = call.Id, ["name"] = call.Name, ["input"] = JsonNode.Parse(call.ArgumentsJson) });
        }

        return content;
    }

    private static JsonObject Usage(FakeReply reply, int output) => new()
    {
        // Anthropic's input_tokens excludes the cache reads and writes.
        ["input_tokens"] = reply.InputTokens,
        ["cache_creation_input_tokens"] = reply.CacheCreationInputTokens,
        ["cache_read_input_tokens"] = reply.CachedInputTokens,
        ["output_tokens"] = output,
    };

    private static IEnumerable<(string? Event, string Data)> Events(string id, string model, FakeReply reply)
    {
        yield return ("message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = id,
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = model,
                ["content"] = new JsonArray(),
                ["stop_reason"] = null,
                ["stop_sequence"] = null,
                ["usage"] = Usage(reply, 1),
            },
        }.ToJsonString());
        var index = 0;
        if (reply.Reasoning is { } reasoning)
        {
            // A thinking block streams as thinking_deltas, then one signature_delta, before the text.
            yield return ("content_block_start", """{"type": "content_block_start", "index": 0, "content_block": {"type": "thinking", "thinking": ""}}""");
            foreach (var piece in Pieces(reasoning))
            {
                yield return ("content_block_delta", new JsonObject
                {
                    ["type"] = "content_block_delta",
                    ["index"] = 0,
                    ["delta"] = new JsonObject { ["type"] = "thinking_delta", ["thinking"] = piece },
                }.ToJsonString());
            }

            yield return ("content_block_delta", new JsonObject
            {
                ["type"] = "content_block_delta",
                ["index"] = 0,
                ["delta"] = new JsonObject { ["type"] = "signature_delta", ["signature"] = reply.ReasoningSignature },
            }.ToJsonString());
            yield return ("content_block_stop", """{"type": "content_block_stop", "index": 0}""");
            index++;
        }

        var textIndex = index;
        var hasText = reply.Text.Length > 0 || reply.ToolCalls is not { Count: > 0 };
        if (hasText)
        {
            yield return ("content_block_start", "{\"type\": \"content_block_start\", \"index\": " + textIndex.ToString(System.Globalization.CultureInfo.InvariantCulture) + ", \"content_block\": {\"type\": \"text\", \"text\": \"\"}}");
        }

        yield return ("ping", """{"type": "ping"}""");
        if (hasText)
        {
            foreach (var piece in Pieces(reply.Text))
            {
                yield return ("content_block_delta", reply.MalformedJson
                    ? "{\"type\": \"content_block_delta\", \"index\": 0, \"delta\": {"
                    : new JsonObject
                    {
                        ["type"] = "content_block_delta",
                        ["index"] = textIndex,
                        ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = piece },
                    }.ToJsonString());
            }

            yield return ("content_block_stop", "{\"type\": \"content_block_stop\", \"index\": " + textIndex.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}");
            index++;
        }

        foreach (var call in reply.ToolCalls ?? [])
        {
            yield return ("content_block_start", new JsonObject
            {
                ["type"] = "content_block_start",
                ["index"] = index,
                ["content_block"] = new JsonObject { ["type"] = "tool_use", ["id"] = call.Id, ["name"] = call.Name, ["input"] = new JsonObject() },
            }.ToJsonString());
            var half = call.ArgumentsJson.Length / 2;
            foreach (var piece in (string[])[call.ArgumentsJson[..half], call.ArgumentsJson[half..]])
            {
                yield return ("content_block_delta", new JsonObject
                {
                    ["type"] = "content_block_delta",
                    ["index"] = index,
                    ["delta"] = new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = piece },
                }.ToJsonString());
            }

            yield return ("content_block_stop", "{\"type\": \"content_block_stop\", \"index\": " + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}");
            index++;
        }

        yield return ("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = StopReason(reply), ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = reply.OutputTokens },
        }.ToJsonString());
        yield return ("message_stop", """{"type": "message_stop"}""");
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(ErrorBody(status, message, null), context.RequestAborted).ConfigureAwait(false);
    }
}
