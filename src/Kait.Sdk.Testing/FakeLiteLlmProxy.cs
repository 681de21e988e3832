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
/// <para>
/// Spend and keys, in LiteLLM's shapes: <c>GET /user/daily/activity</c> and <c>GET /tag/daily/activity</c>
/// (<c>SpendAnalyticsPaginatedResponse</c>: <c>results[{date, metrics, breakdown{models, model_groups, api_keys,
/// entities}}]</c>, <c>metadata{page, total_pages, has_more}</c>; paginated over the daily rows as LiteLLM does, so a day
/// may continue on the next page; https://docs.litellm.ai/docs/proxy/cost_tracking#daily-spend-breakdown-api),
/// <c>POST /key/generate</c>, <c>GET /key/info?key=</c>, <c>POST /key/delete</c> (a key or its SHA-256 hash;
/// https://docs.litellm.ai/docs/proxy/virtual_keys). These routes take the master key: a virtual key gets 403, no
/// key 401, an unknown key 404. A generated key that has spent its <c>max_budget</c> gets LiteLLM's 400
/// <c>budget_exceeded</c> on chat. Every answered chat call is booked as spend (its cost, today, its model group, its key).
/// </para>
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

    /// <summary>The daily spend rows the activity routes report (chat calls through the fake add to them).</summary>
    public IList<FakeSpendRow> Spend { get; } = [];

    /// <summary>The keys created by <c>/key/generate</c>, by their hash.</summary>
    public IReadOnlyDictionary<string, FakeVirtualKey> GeneratedKeys => generated;

    /// <summary>The most daily rows per page, whatever the caller asks (to exercise pagination).</summary>
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>Extra fields added to each <c>/model/info</c> entry's <c>litellm_params</c> (e.g. a leaked <c>api_key</c>).</summary>
    public IDictionary<string, string> ExtraModelParams { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, FakeVirtualKey> generated = new(StringComparer.Ordinal);
    private readonly Lock spendGate = new();

    /// <summary>LiteLLM's <c>hash_token</c>: SHA-256 of the key, hex.</summary>
    public static string HashKey(string key) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));

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
                ["litellm_params"] = ModelParams(m),
                ["model_info"] = new JsonObject { ["id"] = "id-" + m, ["mode"] = "chat" },
            }).ToArray()),
        }.ToJsonString(), "application/json"));
        app.MapGet("/user/daily/activity", (HttpContext context) => Admin(context) ?? Activity(context, tags: false));
        app.MapGet("/tag/daily/activity", (HttpContext context) => Admin(context) ?? Activity(context, tags: true));
        app.MapPost("/key/generate", GenerateKeyAsync);
        app.MapGet("/key/info", (HttpContext context) => Admin(context) ?? KeyInfo(context));
        app.MapPost("/key/delete", DeleteKeyAsync);
        app.MapPost("/v1/chat/completions", ChatAsync);
        app.MapPost("/chat/completions", ChatAsync);
        app.MapPost("/v1/embeddings", EmbeddingsAsync);
        app.MapPost("/embeddings", EmbeddingsAsync);
    }

    private JsonObject ModelParams(string model)
    {
        var values = new JsonObject { ["model"] = "fake/" + model };
        foreach (var (name, value) in ExtraModelParams)
        {
            values[name] = value;
        }

        return values;
    }

    private static string? Caller(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : null;
    }

    /// <summary>The management routes: the master key only (401 without a valid key, 403 for a virtual key).</summary>
    private IResult? Admin(HttpContext context)
    {
        if (Authorized(context) is { } denied)
        {
            return denied;
        }

        return MasterKey is not null && Caller(context) != MasterKey
            ? Results.Text(ErrorBody(403, "Only proxy admin can be used to generate, delete, update info for new keys/users/teams. Route=" + context.Request.Path, "auth_error"), "application/json", statusCode: 403)
            : null;
    }

    private IResult Activity(HttpContext context, bool tags)
    {
        var query = context.Request.Query;
        if (!DateOnly.TryParseExact(query["start_date"], "yyyy-MM-dd", out var from) || !DateOnly.TryParseExact(query["end_date"], "yyyy-MM-dd", out var to))
        {
            return Results.Text(ErrorBody(400, "Please provide start_date and end_date", "bad_request_error"), "application/json", statusCode: 400);
        }

        var page = int.TryParse(query["page"], CultureInfo.InvariantCulture, out var p) ? p : 1;
        var size = Math.Min(MaxPageSize, int.TryParse(query["page_size"], CultureInfo.InvariantCulture, out var ps) ? ps : 50);
        var model = query["model"].ToString();
        var key = query["api_key"].ToString();
        var wanted = query["tags"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        List<FakeSpendRow> rows;
        lock (spendGate)
        {
            rows = Spend.Where(r => r.Date >= from && r.Date <= to
                    && (model.Length == 0 || r.ModelGroup == model)
                    && (key.Length == 0 || r.KeyHash == key)
                    && (!tags || (r.Tag is not null && (wanted.Length == 0 || wanted.Contains(r.Tag)))))
                .OrderBy(r => r.Date).ToList();
        }

        var pages = Math.Max(1, (rows.Count + size - 1) / size);
        var slice = rows.Skip((page - 1) * size).Take(size);
        var results = new JsonArray();
        foreach (var day in slice.GroupBy(r => r.Date))
        {
            results.Add(new JsonObject
            {
                ["date"] = day.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["metrics"] = Metrics(day),
                ["breakdown"] = new JsonObject
                {
                    ["models"] = Breakdown(day, r => r.Model),
                    ["model_groups"] = Breakdown(day, r => r.ModelGroup),
                    ["providers"] = new JsonObject(),
                    ["api_keys"] = Breakdown(day, r => r.KeyHash),
                    ["entities"] = tags ? Breakdown(day, r => r.Tag!) : [],
                },
            });
        }

        return Results.Text(new JsonObject
        {
            ["results"] = results,
            ["metadata"] = new JsonObject
            {
                ["total_spend"] = rows.Sum(r => r.SpendUsd),
                ["page"] = page,
                ["total_pages"] = pages,
                ["has_more"] = page < pages,
            },
        }.ToJsonString(), "application/json");
    }

    private static JsonObject Metrics(IEnumerable<FakeSpendRow> rows) => new()
    {
        ["spend"] = rows.Sum(r => r.SpendUsd),
        ["prompt_tokens"] = rows.Sum(r => r.PromptTokens),
        ["completion_tokens"] = rows.Sum(r => r.CompletionTokens),
        ["cache_read_input_tokens"] = 0,
        ["cache_creation_input_tokens"] = 0,
        ["total_tokens"] = rows.Sum(r => r.PromptTokens + r.CompletionTokens),
        ["successful_requests"] = rows.Sum(r => r.Requests),
        ["failed_requests"] = 0,
        ["api_requests"] = rows.Sum(r => r.Requests),
    };

    private static JsonObject Breakdown(IEnumerable<FakeSpendRow> rows, Func<FakeSpendRow, string> by)
    {
        var result = new JsonObject();
        foreach (var group in rows.GroupBy(by))
        {
            result[group.Key] = new JsonObject { ["metrics"] = Metrics(group), ["metadata"] = new JsonObject() };
        }

        return result;
    }

    private async Task GenerateKeyAsync(HttpContext context)
    {
        if (Admin(context) is { } denied)
        {
            await denied.ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        using var request = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        var root = request.RootElement;
        var key = "sk-" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).Replace('+', 'a').Replace('/', 'b').TrimEnd('=');
        var models = root.TryGetProperty("models", out var m) && m.ValueKind == JsonValueKind.Array ? m.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToArray() : [];
        var state = new FakeVirtualKey
        {
            KeyAlias = OpenAIShapes.Text(root, "key_alias"),
            MaxBudgetUsd = root.TryGetProperty("max_budget", out var b) && b.ValueKind == JsonValueKind.Number ? b.GetDecimal() : null,
            BudgetDuration = OpenAIShapes.Text(root, "budget_duration"),
            Models = models,
            Metadata = root.TryGetProperty("metadata", out var md) ? md.GetRawText() : null,
        };
        generated[HashKey(key)] = state;
        VirtualKeys.Add(key);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject
        {
            ["key"] = key,
            ["key_alias"] = state.KeyAlias,
            ["token_id"] = HashKey(key),
            ["expires"] = null,
            ["max_budget"] = state.MaxBudgetUsd,
            ["budget_duration"] = state.BudgetDuration,
            ["models"] = new JsonArray(models.Select(x => (JsonNode)x).ToArray()),
        }.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    private IResult KeyInfo(HttpContext context)
    {
        var hash = Hash(context.Request.Query["key"].ToString());
        if (!generated.TryGetValue(hash, out var state))
        {
            return NotFound(hash);
        }

        return Results.Text(new JsonObject
        {
            ["key"] = hash,
            ["info"] = new JsonObject
            {
                ["key_alias"] = state.KeyAlias,
                ["spend"] = state.SpendUsd,
                ["max_budget"] = state.MaxBudgetUsd,
                ["budget_duration"] = state.BudgetDuration,
                ["budget_reset_at"] = null,
                ["expires"] = null,
                ["models"] = new JsonArray(state.Models.Select(x => (JsonNode)x).ToArray()),
            },
        }.ToJsonString(), "application/json");
    }

    private async Task DeleteKeyAsync(HttpContext context)
    {
        if (Admin(context) is { } denied)
        {
            await denied.ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        using var request = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        var hashes = request.RootElement.TryGetProperty("keys", out var keys) && keys.ValueKind == JsonValueKind.Array
            ? keys.EnumerateArray().Select(k => Hash(k.GetString() ?? string.Empty)).ToArray()
            : [];
        if (hashes.FirstOrDefault(h => !generated.ContainsKey(h)) is { } missing)
        {
            await NotFound(missing).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        foreach (var hash in hashes)
        {
            generated.TryRemove(hash, out _);
            foreach (var k in VirtualKeys.Where(k => HashKey(k) == hash).ToArray())
            {
                VirtualKeys.Remove(k);
            }
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject { ["deleted_keys"] = new JsonArray(hashes.Select(h => (JsonNode)h).ToArray()) }.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    private static string Hash(string keyOrHash) => keyOrHash.StartsWith("sk-", StringComparison.Ordinal) ? HashKey(keyOrHash) : keyOrHash;

    private static IResult NotFound(string hash) => Results.Text(
        ErrorBody(404, $"Key not found in database. key={hash[..Math.Min(8, hash.Length)]}...", "not_found_error"), "application/json", statusCode: 404);

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

        var caller = Caller(context);
        var keyHash = caller is null ? string.Empty : HashKey(caller);
        if (generated.TryGetValue(keyHash, out var keyState))
        {
            if (keyState.Models.Count > 0 && !keyState.Models.Contains(model))
            {
                context.Response.StatusCode = 401;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(ErrorBody(401, $"key not allowed to access model. This key can only access models={string.Join(',', keyState.Models)}. Tried to access {model}", "key_model_access_denied"), context.RequestAborted).ConfigureAwait(false);
                return;
            }

            if (keyState.MaxBudgetUsd is { } max && keyState.SpendUsd >= max)
            {
                context.Response.StatusCode = 400;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(
                    ErrorBody(400, string.Create(CultureInfo.InvariantCulture, $"Budget has been exceeded! Current cost: {keyState.SpendUsd}, Max budget: {max}"), "budget_exceeded"),
                    context.RequestAborted).ConfigureAwait(false);
                return;
            }
        }

        AddProxyHeaders(context, reply, model);
        BookSpend(context, reply, model, keyHash, keyState);
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

    private void BookSpend(HttpContext context, FakeReply reply, string model, string keyHash, FakeVirtualKey? key)
    {
        var cost = reply.CostUsd ?? 0m;
        var tag = context.Request.Headers["x-litellm-tags"].ToString();
        lock (spendGate)
        {
            Spend.Add(new FakeSpendRow(DateOnly.FromDateTime(DateTime.UtcNow), model, "fake/" + model, keyHash, cost, reply.InputTokens, reply.OutputTokens)
            {
                Tag = tag.Length > 0 ? tag : null,
                CallId = context.Response.Headers["x-litellm-call-id"].ToString(),
            });
            key?.SpendUsd += cost;
        }
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

/// <summary>One daily spend row of the fake proxy (LiteLLM's <c>LiteLLM_DailyUserSpend</c>: day, model, key).</summary>
/// <param name="Date">The UTC day.</param>
/// <param name="ModelGroup">The model group (alias).</param>
/// <param name="Model">The upstream model.</param>
/// <param name="KeyHash">The key's hash.</param>
/// <param name="SpendUsd">What was billed.</param>
/// <param name="PromptTokens">Prompt tokens.</param>
/// <param name="CompletionTokens">Completion tokens.</param>
public sealed record FakeSpendRow(DateOnly Date, string ModelGroup, string Model, string KeyHash, decimal SpendUsd, long PromptTokens, long CompletionTokens)
{
    /// <summary>Requests.</summary>
    public long Requests { get; init; } = 1;

    /// <summary>The request's tag, for <c>/tag/daily/activity</c>.</summary>
    public string? Tag { get; init; }

    /// <summary>The call's <c>x-litellm-call-id</c>.</summary>
    public string? CallId { get; init; }
}

/// <summary>A virtual key the fake proxy generated.</summary>
public sealed class FakeVirtualKey
{
    /// <summary><c>key_alias</c>.</summary>
    public string? KeyAlias { get; init; }

    /// <summary><c>max_budget</c>.</summary>
    public decimal? MaxBudgetUsd { get; init; }

    /// <summary><c>budget_duration</c>.</summary>
    public string? BudgetDuration { get; init; }

    /// <summary><c>models</c>.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary><c>metadata</c> as sent (raw JSON).</summary>
    public string? Metadata { get; init; }

    /// <summary>What it has spent.</summary>
    public decimal SpendUsd { get; set; }
}
