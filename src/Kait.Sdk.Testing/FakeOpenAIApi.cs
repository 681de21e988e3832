using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Kait.Sdk.Testing;

/// <summary>A fake OpenAI API: <c>POST /v1/embeddings</c> and <c>POST /v1/chat/completions</c> (plain and streamed, tool calls, <c>data: [DONE]</c>, a usage
/// chunk with empty choices when <c>stream_options.include_usage</c>), Bearer auth and OpenAI's error bodies. Point
/// <c>OPENAI_BASE_URL</c> at <see cref="ApiBaseUrl"/>.</summary>
public sealed class FakeOpenAIApi : FakeLlmServer
{
    private FakeOpenAIApi()
    {
    }

    /// <summary>The key required (<c>Authorization: Bearer KEY</c>); null accepts any.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The base URL the OpenAI SDK takes (with <c>/v1</c>).</summary>
    public Uri ApiBaseUrl => new(BaseUrl.GetLeftPart(UriPartial.Authority) + "/v1");

    /// <summary>Starts a fake on a free loopback port.</summary>
    public static async Task<FakeOpenAIApi> StartAsync(CancellationToken cancellationToken = default)
    {
        var fake = new FakeOpenAIApi();
        await fake.StartCoreAsync(cancellationToken).ConfigureAwait(false);
        return fake;
    }

    /// <inheritdoc />
    protected override void MapRoutes(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/v1/chat/completions", ChatAsync);
        app.MapPost("/v1/embeddings", EmbeddingsAsync);
    }

    /// <summary>The reply for an admitted request; null when the key was refused (401) or a fault was served instead.</summary>
    private async Task<FakeReply?> AdmitAsync(HttpContext context)
    {
        if (ApiKey is not null && context.Request.Headers.Authorization.ToString() != "Bearer " + ApiKey)
        {
            context.Response.StatusCode = 401;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(OpenAIShapes.OpenAIError(401, "Incorrect API key provided.", "invalid_request_error"), context.RequestAborted).ConfigureAwait(false);
            return null;
        }

        var reply = NextReply(context);
        return await ApplyFaultsAsync(context, reply, OpenAIShapes.OpenAIError).ConfigureAwait(false) ? null : reply;
    }

    private async Task EmbeddingsAsync(HttpContext context)
    {
        if (await AdmitAsync(context).ConfigureAwait(false) is not { } reply)
        {
            return;
        }

        using var request = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        var model = reply.Model ?? OpenAIShapes.Text(request.RootElement, "model") ?? "text-embedding-3-small";
        var count = request.RootElement.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Array ? input.GetArrayLength() : 1;
        AddHeaders(context, reply);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(OpenAIShapes.Embeddings(model, count, reply.InputTokens), context.RequestAborted).ConfigureAwait(false);
    }

    private async Task ChatAsync(HttpContext context)
    {
        if (await AdmitAsync(context).ConfigureAwait(false) is not { } reply)
        {
            return;
        }

        using var request = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        var model = reply.Model ?? OpenAIShapes.Text(request.RootElement, "model") ?? "gpt-4o";
        if (Unrecognized(request.RootElement) is { } field)
        {
            context.Response.StatusCode = 400;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(OpenAIShapes.OpenAIError(400, "Unrecognized request argument supplied: " + field, null), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var id = "chatcmpl-" + Guid.NewGuid().ToString("N");
        context.Response.Headers["x-request-id"] = "req_" + Guid.NewGuid().ToString("N");

        // OpenAI's rate-limit headers (https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers).
        context.Response.Headers["x-ratelimit-limit-requests"] = "10000";
        context.Response.Headers["x-ratelimit-remaining-requests"] = "9999";
        context.Response.Headers["x-ratelimit-reset-requests"] = "6ms";
        context.Response.Headers["x-ratelimit-limit-tokens"] = "200000";
        context.Response.Headers["x-ratelimit-remaining-tokens"] = "199000";
        context.Response.Headers["x-ratelimit-reset-tokens"] = "1m0.3s";
        AddHeaders(context, reply);
        if (OpenAIShapes.Flag(request.RootElement, "stream"))
        {
            var includeUsage = request.RootElement.TryGetProperty("stream_options", out var so) && OpenAIShapes.Flag(so, "include_usage");
            await WriteEventsAsync(context, reply, OpenAIShapes.Chunks(id, model, reply, includeUsage, () => Pieces(OpenAIShapes.TextOf(reply)))).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(reply.MalformedJson ? "{\"id\": \"" + id + "\", \"choices\": [" : OpenAIShapes.Completion(id, model, reply), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A field only LiteLLM or Anthropic takes (OpenAI answers 400 for it), or null.</summary>
    private static string? Unrecognized(JsonElement request)
    {
        if (request.TryGetProperty("thinking", out _))
        {
            return "thinking";
        }

        foreach (var list in (string[])["messages", "tools"])
        {
            if (!request.TryGetProperty(list, out var items) || items.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var item in items.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if (item.TryGetProperty("thinking_blocks", out _) || item.TryGetProperty("cache_control", out _))
                {
                    return list + "[].thinking_blocks/cache_control";
                }

                if (item.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array
                    && content.EnumerateArray().Any(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("cache_control", out _)))
                {
                    return "messages[].content[].cache_control";
                }
            }
        }

        return null;
    }
}
