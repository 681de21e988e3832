using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Kait.Sdk.Testing;

/// <summary>
/// A fake LiteLLM proxy: <c>/v1/chat/completions</c> (plain and streamed), <c>/v1/embeddings</c>, <c>/v1/models</c>,
/// <c>/model/info</c>, <c>/health/liveliness</c>, <c>/health/readiness</c>, with LiteLLM's headers
/// (<c>x-litellm-call-id</c>, <c>x-litellm-response-cost</c>, <c>x-litellm-attempted-retries</c>...), its auth rule
/// (Bearer master key or a virtual key) and its error bodies (<c>{"error":{"message","type","param","code"}}</c>).
/// </summary>
public sealed class FakeLiteLlmProxy : FakeLlmServer
{
    private readonly FakePromptCache promptCache = new();

    private FakeLiteLlmProxy()
    {
    }

    /// <summary>The master key the proxy requires; null accepts any caller.</summary>
    public string? MasterKey { get; set; }

    /// <summary>Virtual keys accepted besides the master key.</summary>
    public ISet<string> VirtualKeys { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The model groups served; a call naming another gets LiteLLM's 400 "Invalid model name". Empty serves any.</summary>
    public ISet<string> Models { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Starts a fake on a free loopback port.</summary>
    public static async Task<FakeLiteLlmProxy> StartAsync(CancellationToken cancellationToken = default)
    {
        var fake = new FakeLiteLlmProxy();
        await fake.StartCoreAsync(cancellationToken).ConfigureAwait(false);
        return fake;
    }

    /// <summary>LiteLLM's error body.</summary>
    public static string ErrorBody(int status, string message, string? type) => new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["message"] = message,
            ["type"] = type ?? "None",
            ["param"] = "None",
            ["code"] = status.ToString(CultureInfo.InvariantCulture),
        },
    }.ToJsonString();

    /// <inheritdoc />
    protected override void MapRoutes(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/health/liveliness", () => Results.Json("I'm alive!"));
        app.MapGet("/health/liveness", () => Results.Json("I'm alive!"));
        app.MapGet("/health/readiness", () => Results.Text(
            """{"status":"connected","db":"Not connected","cache":null,"litellm_version":"1.84.0","success_callbacks":[]}""", "application/json"));
        app.MapGet("/v1/models", (HttpContext context) => Authorized(context) ?? Results.Text(new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(ServedModels().Select(m => (JsonNode)new JsonObject { ["id"] = m, ["object"] = "model", ["created"] = 1677610602, ["owned_by"] = "openai" }).ToArray()),
        }.ToJsonString(), "application/json"));
        app.MapGet("/model/info", (HttpContext context) => Authorized(context) ?? Results.Text(new JsonObject
        {
            ["data"] = new JsonArray(ServedModels().Select(m => (JsonNode)new JsonObject
            {
                ["model_name"] = m,
                ["litellm_params"] = new JsonObject { ["model"] = "fake/" + m },
                ["model_info"] = new JsonObject { ["id"] = "id-" + m, ["mode"] = "chat" },
            }).ToArray()),
        }.ToJsonString(), "application/json"));
        app.MapPost("/v1/chat/completions", ChatAsync);
        app.MapPost("/chat/completions", ChatAsync);
        app.MapPost("/v1/embeddings", EmbeddingsAsync);
        app.MapPost("/embeddings", EmbeddingsAsync);
    }

    private IEnumerable<string> ServedModels() => Models.Count > 0 ? Models.Order(StringComparer.Ordinal) : ["claude-default", "openai-default"];

    private IResult? Authorized(HttpContext context)
    {
        if (MasterKey is null)
        {
            return null;
        }

        var header = context.Request.Headers.Authorization.ToString();
        var key = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : context.Request.Headers["x-litellm-api-key"].ToString();
        if (key == MasterKey || VirtualKeys.Contains(key))
        {
            return null;
        }

        return Results.Text(
            ErrorBody(401, "Authentication Error, Invalid proxy server token passed. Unable to find token in cache or `LiteLLM_VerificationTokenTable`", "token_not_found_in_db"),
            "application/json",
            statusCode: 401);
    }

    private async Task ChatAsync(HttpContext context)
    {
        if (await AdmitAsync(context).ConfigureAwait(false) is not { } reply)
        {
            return;
        }

        using var request = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        var model = OpenAIShapes.Text(request.RootElement, "model") ?? string.Empty;
        if (Models.Count > 0 && !Models.Contains(model))
        {
            context.Response.StatusCode = 400;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(
                ErrorBody(400, $"/chat/completions: Invalid model name passed in model={model}. Call `/v1/models` to view available models for your key.", "None"),
                context.RequestAborted).ConfigureAwait(false);
            return;
        }

        AddProxyHeaders(context, reply, model);
        var id = "chatcmpl-" + Guid.NewGuid().ToString("N");
        var responseModel = reply.Model ?? model;
        reply = promptCache.Apply(request.RootElement, reply); // the token counts only: headers are unaffected
        if (OpenAIShapes.Flag(request.RootElement, "stream"))
        {
            var includeUsage = request.RootElement.TryGetProperty("stream_options", out var so) && OpenAIShapes.Flag(so, "include_usage");
            await WriteEventsAsync(context, reply, OpenAIShapes.Chunks(id, responseModel, reply, includeUsage, () => Pieces(OpenAIShapes.TextOf(reply)), liteLlm: true)).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(reply.MalformedJson ? "{\"id\": \"" + id + "\", \"choices\": [" : OpenAIShapes.Completion(id, responseModel, reply, liteLlm: true), context.RequestAborted).ConfigureAwait(false);
    }

    private async Task EmbeddingsAsync(HttpContext context)
    {
        if (await AdmitAsync(context).ConfigureAwait(false) is not { } reply)
        {
            return;
        }

        using var request = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        var model = OpenAIShapes.Text(request.RootElement, "model") ?? string.Empty;
        var count = request.RootElement.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Array ? input.GetArrayLength() : 1;
        AddProxyHeaders(context, reply, model);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(OpenAIShapes.Embeddings(model, count, reply.InputTokens), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Checks the key and applies the faults; the reply to give, or null when the request is answered.</summary>
    private async Task<FakeReply?> AdmitAsync(HttpContext context)
    {
        if (Authorized(context) is { } denied)
        {
            await denied.ExecuteAsync(context).ConfigureAwait(false);
            return null;
        }

        var reply = NextReply(context);
        return await ApplyFaultsAsync(context, reply, ErrorBody).ConfigureAwait(false) ? null : reply;
    }

    private static void AddProxyHeaders(HttpContext context, FakeReply reply, string model)
    {
        var headers = context.Response.Headers;
        var sent = context.Request.Headers["x-litellm-call-id"].ToString();
        headers["x-litellm-call-id"] = reply.CallId ?? (sent.Length > 0 ? sent : Guid.NewGuid().ToString());
        headers["x-litellm-model-id"] = "id-" + model;
        headers["x-litellm-model-group"] = model;
        headers["x-litellm-version"] = "1.84.0";
        headers["x-litellm-response-duration-ms"] = "12.5";
        headers["x-litellm-model-api-base"] = "https://api.anthropic.com/v1/messages";

        // The upstream's rate-limit state, which LiteLLM passes on.
        headers["x-ratelimit-limit-requests"] = "4000";
        headers["x-ratelimit-remaining-requests"] = "3999";
        headers["x-ratelimit-limit-tokens"] = "400000";
        headers["x-ratelimit-remaining-tokens"] = "399000";
        var costHeader = reply.CostHeader ?? (reply.CostUsd is { } cost ? OpenAIShapes.Invariant(cost) : null);
        if (costHeader is not null)
        {
            headers["x-litellm-response-cost"] = costHeader;
        }

        if (reply.AttemptedRetries is { } retries)
        {
            headers["x-litellm-attempted-retries"] = retries.ToString(CultureInfo.InvariantCulture);
            headers["x-litellm-max-retries"] = Math.Max(retries, 2).ToString(CultureInfo.InvariantCulture);
        }

        AddHeaders(context, reply);
    }
}
