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

        var reply = NextReply();
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

        var model = reply.Model ?? OpenAIShapes.Text(request.RootElement, "model") ?? "claude-sonnet-4-5-20250929";
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
            ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = reply.Text }),
            ["stop_reason"] = reply.StopReason ?? "end_turn",
            ["stop_sequence"] = null,
            ["usage"] = Usage(reply, reply.OutputTokens),
        }.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
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
        yield return ("content_block_start", """{"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}""");
        yield return ("ping", """{"type": "ping"}""");
        foreach (var piece in Pieces(reply.Text))
        {
            yield return ("content_block_delta", reply.MalformedJson
                ? "{\"type\": \"content_block_delta\", \"index\": 0, \"delta\": {"
                : new JsonObject
                {
                    ["type"] = "content_block_delta",
                    ["index"] = 0,
                    ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = piece },
                }.ToJsonString());
        }

        yield return ("content_block_stop", """{"type": "content_block_stop", "index": 0}""");
        yield return ("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = reply.StopReason ?? "end_turn", ["stop_sequence"] = null },
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
