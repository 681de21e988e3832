using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kait.Sdk.Transport;
using Kait.Sdk.Transport.Dtos;
using Microsoft.Extensions.Options;

namespace Kait.Sdk;

/// <summary>The LiteLLM proxy's other routes, each request bounded by the attempt timeout and read within the wire
/// limits: health, models and model info, spend (daily activity by model, key, user and tag) and virtual keys (embeddings
/// go through the gateway: <see cref="ILlmGateway.EmbedAsync"/>). Uses the proxy URL and master key of
/// <see cref="KaitOptions"/> whether or not chat goes through the proxy; the master key goes to that URL only (no URL
/// of a reply is followed). Errors are mapped as for chat (<see cref="AuthenticationFailedException"/> for 401/403,
/// <see cref="BadRequestException"/> for 404, ...).</summary>
public sealed partial class LiteLlmProxyClient
{
    /// <summary>LiteLLM's largest <c>page_size</c> of the daily activity routes.</summary>
    internal const int PageSize = 1000;

    /// <summary>The most pages read for one query: a proxy that keeps saying "more" is an error, not a loop.</summary>
    internal const int MaxPages = 1000;

    private const string Origin = "LiteLLM proxy";
    private readonly IHttpClientFactory factory;
    private readonly KaitOptions settings;
    private readonly TimeProvider time;
    private readonly WireLimits limits;

    /// <summary>Creates the client.</summary>
    /// <param name="factory">The HttpClient factory (client <see cref="KaitHttpClients.LiteLlm"/>).</param>
    /// <param name="options">Kait's options.</param>
    /// <param name="time">The clock.</param>
    public LiteLlmProxyClient(IHttpClientFactory factory, IOptions<KaitOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(options);
        this.factory = factory;
        settings = options.Value;
        limits = WireLimits.From(settings.Resilience);
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>The proxy's base URL.</summary>
    public Uri BaseUrl => settings.Proxy.BaseUrl;

    /// <summary>True when <c>/health/liveliness</c> answers 2xx; false when it answers otherwise, cannot be reached or
    /// does not answer in time.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<bool> IsAliveAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await BoundedAsync(
                async token =>
                {
                    using var response = await HttpExchange.SendAsync(Api().LivelinessAsync(token), Origin, BaseUrl, token).ConfigureAwait(false);
                    return response.IsSuccessStatusCode;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ProviderUnavailableException or LlmTimeoutException)
        {
            return false;
        }
    }

    /// <summary><c>/health/readiness</c>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<LiteLlmProxyReadiness> GetReadinessAsync(CancellationToken cancellationToken = default) => BoundedAsync(ReadinessAsync, cancellationToken);

    private async Task<LiteLlmProxyReadiness> ReadinessAsync(CancellationToken cancellationToken)
    {
        using var response = await HttpExchange.SendAsync(Api().ReadinessAsync(cancellationToken), Origin, BaseUrl, cancellationToken).ConfigureAwait(false);
        await HttpExchange.EnsureSuccessAsync(response, Origin, time, settings.Proxy.MasterKey, cancellationToken).ConfigureAwait(false);
        var body = await HttpExchange.ReadJsonAsync(response, KaitJsonContext.Default.ProxyReadinessBody, Origin, limits, cancellationToken).ConfigureAwait(false);
        return new LiteLlmProxyReadiness(body.Status, body.Db, body.LitellmVersion);
    }

    /// <summary>The model groups the key may call (<c>/v1/models</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken = default) => BoundedAsync(ModelsAsync, cancellationToken);

    private async Task<IReadOnlyList<string>> ModelsAsync(CancellationToken cancellationToken)
    {
        using var response = await HttpExchange.SendAsync(Api().ModelsAsync(Bearer(null), cancellationToken), Origin, BaseUrl, cancellationToken).ConfigureAwait(false);
        await HttpExchange.EnsureSuccessAsync(response, Origin, time, settings.Proxy.MasterKey, cancellationToken).ConfigureAwait(false);
        var body = await HttpExchange.ReadJsonAsync(response, KaitJsonContext.Default.OpenAIModelList, Origin, limits, cancellationToken).ConfigureAwait(false);
        return (body.Data ?? []).Select(m => m.Id).OfType<string>().ToArray();
    }

    /// <summary>The deployments behind each group (<c>/model/info</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<IReadOnlyList<LiteLlmProxyModelInfo>> GetModelInfoAsync(CancellationToken cancellationToken = default) => BoundedAsync(ModelInfoAsync, cancellationToken);

    private async Task<IReadOnlyList<LiteLlmProxyModelInfo>> ModelInfoAsync(CancellationToken cancellationToken)
    {
        using var response = await HttpExchange.SendAsync(Api().ModelInfoAsync(Bearer(null), cancellationToken), Origin, BaseUrl, cancellationToken).ConfigureAwait(false);
        await HttpExchange.EnsureSuccessAsync(response, Origin, time, settings.Proxy.MasterKey, cancellationToken).ConfigureAwait(false);
        var body = await HttpExchange.ReadJsonAsync(response, KaitJsonContext.Default.ProxyModelInfoList, Origin, limits, cancellationToken).ConfigureAwait(false);
        return (body.Data ?? [])
            .Where(e => e.ModelName is not null)
            .Select(e => new LiteLlmProxyModelInfo(e.ModelName!, Text(e.LitellmParams, "model"), Text(e.ModelInfo, "id"), Text(e.ModelInfo, "mode")))
            .ToArray();
    }

    /// <summary>The proxy's spend per UTC day over <c>[from, to]</c> (<c>GET /user/daily/activity</c>; with the master key:
    /// every user's), with a breakdown per model group, model and key; every page is read (each bounded by the attempt
    /// timeout) and the days merged.</summary>
    /// <param name="from">The first day.</param>
    /// <param name="to">The last day.</param>
    /// <param name="filter">Only a model, a virtual key or a user.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<IReadOnlyList<LiteLlmSpendDay>> GetDailyActivityAsync(DateOnly from, DateOnly to, LiteLlmSpendFilter? filter = null, CancellationToken cancellationToken = default)
    {
        CheckRange(from, to);
        var keyHash = filter?.VirtualKey is { } key ? KeyHash(key) : null;
        return PagesAsync(
            (page, token) => Api().UserDailyActivityAsync(Bearer(null), Day(from), Day(to), filter?.Model, keyHash, filter?.UserId, page, PageSize, token),
            cancellationToken);
    }

    /// <summary>The proxy's spend per UTC day and tag over <c>[from, to]</c> (<c>GET /tag/daily/activity</c>); the tags are in
    /// <see cref="LiteLlmSpendDay.ByTag"/>.</summary>
    /// <param name="from">The first day.</param>
    /// <param name="to">The last day.</param>
    /// <param name="tags">Only these tags; null or empty: all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<IReadOnlyList<LiteLlmSpendDay>> GetTagDailyActivityAsync(DateOnly from, DateOnly to, IReadOnlyList<string>? tags = null, CancellationToken cancellationToken = default)
    {
        CheckRange(from, to);
        var tagList = tags is { Count: > 0 } ? string.Join(',', tags) : null;
        return PagesAsync((page, token) => Api().TagDailyActivityAsync(Bearer(null), Day(from), Day(to), tagList, page, PageSize, token), cancellationToken);
    }

    /// <summary>Creates a virtual key (<c>POST /key/generate</c>, master key). The answer holds the key once.</summary>
    /// <param name="request">Its budget, duration, models, metadata and alias.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">A negative budget or a duration LiteLLM does not read.</exception>
    public Task<LiteLlmVirtualKey> GenerateKeyAsync(LiteLlmKeyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.MaxBudgetUsd is < 0m)
        {
            throw new ArgumentException("MaxBudgetUsd cannot be negative.", nameof(request));
        }

        foreach (var (name, value) in (ReadOnlySpan<(string, string?)>)[("BudgetDuration", request.BudgetDuration), ("Duration", request.Duration)])
        {
            if (value is not null && !DurationPattern().IsMatch(value))
            {
                throw new ArgumentException($"{name} '{value}' is not a LiteLLM duration: a number and s, m, h, d or mo (30s, 30m, 30h, 30d, 1mo).", nameof(request));
            }
        }

        var body = new ProxyKeyGenerateRequest
        {
            Models = request.Models.Count > 0 ? request.Models : null,
            MaxBudget = request.MaxBudgetUsd,
            BudgetDuration = request.BudgetDuration,
            Duration = request.Duration,
            Metadata = request.Metadata,
            KeyAlias = request.KeyAlias,
        };
        return BoundedAsync(
            async token =>
            {
                using var content = Json(JsonSerializer.SerializeToUtf8Bytes(body, KaitJsonContext.Default.ProxyKeyGenerateRequest));
                using var response = await HttpExchange.SendAsync(Api().KeyGenerateAsync(content, Bearer(null), token), Origin, BaseUrl, token).ConfigureAwait(false);
                await HttpExchange.EnsureSuccessAsync(response, Origin, time, settings.Proxy.MasterKey, token).ConfigureAwait(false);
                var answer = await HttpExchange.ReadJsonAsync(response, KaitJsonContext.Default.ProxyKeyGenerateResponse, Origin, limits, token).ConfigureAwait(false);
                if (string.IsNullOrEmpty(answer.Key))
                {
                    throw HttpExchange.Malformed(Origin, response, null);
                }

                return new LiteLlmVirtualKey(answer.Key, answer.KeyAlias, answer.Expires, answer.MaxBudget, answer.BudgetDuration, answer.Models ?? []);
            },
            cancellationToken);
    }

    /// <summary>What the proxy knows of a virtual key (<c>GET /key/info</c>, master key; the key is sent as its hash).
    /// An unknown key is a <see cref="BadRequestException"/> with status 404.</summary>
    /// <param name="virtualKey">The key (<c>sk-...</c>) or its hash.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<LiteLlmKeyInfo> GetKeyInfoAsync(string virtualKey, CancellationToken cancellationToken = default)
    {
        var hash = KeyHash(virtualKey);
        return BoundedAsync(
            async token =>
            {
                using var response = await HttpExchange.SendAsync(Api().KeyInfoAsync(Bearer(null), hash, token), Origin, BaseUrl, token).ConfigureAwait(false);
                await HttpExchange.EnsureSuccessAsync(response, Origin, time, [settings.Proxy.MasterKey, virtualKey], token).ConfigureAwait(false);
                var body = await HttpExchange.ReadJsonAsync(response, KaitJsonContext.Default.ProxyKeyInfoBody, Origin, limits, token).ConfigureAwait(false);
                var info = body.Info ?? throw HttpExchange.Malformed(Origin, response, null);
                return new LiteLlmKeyInfo(info.KeyAlias, info.Spend ?? 0m, info.MaxBudget, info.BudgetDuration, info.BudgetResetAt, info.Expires, info.Models ?? []);
            },
            cancellationToken);
    }

    /// <summary>Deletes a virtual key (<c>POST /key/delete</c>, master key; the key is sent as its hash). An unknown key is a
    /// <see cref="BadRequestException"/> with status 404.</summary>
    /// <param name="virtualKey">The key (<c>sk-...</c>) or its hash.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task DeleteKeyAsync(string virtualKey, CancellationToken cancellationToken = default)
    {
        var hash = KeyHash(virtualKey);
        return BoundedAsync(
            async token =>
            {
                var body = new ProxyKeyDeleteRequest { Keys = [hash] };
                using var content = Json(JsonSerializer.SerializeToUtf8Bytes(body, KaitJsonContext.Default.ProxyKeyDeleteRequest));
                using var response = await HttpExchange.SendAsync(Api().KeyDeleteAsync(content, Bearer(null), token), Origin, BaseUrl, token).ConfigureAwait(false);
                await HttpExchange.EnsureSuccessAsync(response, Origin, time, [settings.Proxy.MasterKey, virtualKey], token).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <summary>LiteLLM's hash of a key (<c>hash_token</c>: SHA-256, hex), which its key routes accept in place of the key;
    /// a value that is already a hash is kept.</summary>
    internal static string KeyHash(string virtualKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(virtualKey);
        if (virtualKey.Length == 64 && virtualKey.All(char.IsAsciiHexDigitLower))
        {
            return virtualKey;
        }

        if (!virtualKey.StartsWith("sk-", StringComparison.Ordinal))
        {
            throw new ArgumentException("Not a LiteLLM virtual key (sk-...) nor its hash.", nameof(virtualKey));
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(virtualKey)));
    }

    private async Task<IReadOnlyList<LiteLlmSpendDay>> PagesAsync(Func<int, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        var days = new SortedDictionary<DateOnly, DayBuilder>();
        for (var page = 1; ; page++)
        {
            var body = await BoundedAsync(
                async token =>
                {
                    using var response = await HttpExchange.SendAsync(send(page, token), Origin, BaseUrl, token).ConfigureAwait(false);
                    await HttpExchange.EnsureSuccessAsync(response, Origin, time, settings.Proxy.MasterKey, token).ConfigureAwait(false);
                    return await HttpExchange.ReadJsonAsync(response, KaitJsonContext.Default.ProxyDailyActivityBody, Origin, limits, token).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            foreach (var result in body.Results ?? [])
            {
                if (!DateOnly.TryParseExact(result.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    throw new ProviderUnavailableException($"{Origin} at {BaseUrl} sent a day that is not a date (yyyy-MM-dd) on page {page} of its spend.");
                }

                if (!days.TryGetValue(date, out var day))
                {
                    days[date] = day = new DayBuilder();
                }

                try
                {
                    day.Add(result);
                }
                catch (OverflowException)
                {
                    throw new ProviderUnavailableException($"{Origin} at {BaseUrl} sent spend figures on page {page} that are negative or too large to add up.");
                }
            }

            var more = body.Metadata is { } m && (m.HasMore || page < m.TotalPages);
            if (!more)
            {
                break;
            }

            if (page >= MaxPages)
            {
                throw new ProviderUnavailableException(
                    FormattableString.Invariant($"{Origin} at {BaseUrl} still had more spend after {MaxPages} pages of {PageSize}; narrow the range or filter."));
            }
        }

        return days.Select(d => d.Value.Build(d.Key)).ToArray();
    }

    private static void CheckRange(DateOnly from, DateOnly to)
    {
        if (to < from)
        {
            throw new ArgumentException($"The range ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}).", nameof(to));
        }
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static ByteArrayContent Json(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <exception cref="OverflowException">A figure is negative or the request counts do not add up in a long.</exception>
    private static LiteLlmSpend Spend(ProxySpendMetricsBody? m) => m is null
        ? LiteLlmSpend.Zero
        : m.Spend < 0 || m.PromptTokens < 0 || m.CompletionTokens < 0 || m.ApiRequests < 0 || m.SuccessfulRequests < 0 || m.FailedRequests < 0
            ? throw new OverflowException("A spend figure is negative.")
            : new LiteLlmSpend(m.Spend, m.PromptTokens, m.CompletionTokens, Math.Max(m.ApiRequests, checked(m.SuccessfulRequests + m.FailedRequests)), m.FailedRequests);

    [GeneratedRegex("^[0-9]{1,6}(s|m|h|d|mo)$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex DurationPattern();

    /// <summary>One day's figures gathered over the pages.</summary>
    private sealed class DayBuilder
    {
        private readonly Dictionary<string, LiteLlmSpend> groups = new(StringComparer.Ordinal);
        private readonly Dictionary<string, LiteLlmSpend> models = new(StringComparer.Ordinal);
        private readonly Dictionary<string, LiteLlmSpend> keys = new(StringComparer.Ordinal);
        private readonly Dictionary<string, LiteLlmSpend> tags = new(StringComparer.Ordinal);
        private LiteLlmSpend total = LiteLlmSpend.Zero;

        public void Add(ProxyDailySpendBody day)
        {
            total = total.Add(Spend(day.Metrics));
            Merge(groups, day.Breakdown?.ModelGroups);
            Merge(models, day.Breakdown?.Models);
            Merge(keys, day.Breakdown?.ApiKeys);
            Merge(tags, day.Breakdown?.Entities);
        }

        public LiteLlmSpendDay Build(DateOnly date) => new(date, total, groups, models, keys, tags);

        private static void Merge(Dictionary<string, LiteLlmSpend> into, Dictionary<string, ProxyMetricBody>? from)
        {
            foreach (var (name, metric) in from ?? [])
            {
                var spend = Spend(metric.Metrics);
                into[name] = into.TryGetValue(name, out var known) ? known.Add(spend) : spend;
            }
        }
    }

    /// <summary>Every request is bounded by <see cref="KaitResilienceOptions.AttemptTimeout"/>: a proxy that accepts and
    /// never answers gives <see cref="LlmTimeoutException"/>, not a hang.</summary>
    private async Task<T> BoundedAsync<T>(Func<CancellationToken, Task<T>> request, CancellationToken cancellationToken)
    {
        using var deadline = new CallDeadline(settings.Resilience.AttemptTimeout, time, cancellationToken);
        try
        {
            return await request(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (deadline.Expired)
        {
            throw new LlmTimeoutException(FormattableString.Invariant($"{Origin} at {BaseUrl} did not answer within {deadline.Duration.TotalSeconds:0.###} s."), ex);
        }
    }

    private ILiteLlmProxyApi Api() => KaitHttpClients.Create<ILiteLlmProxyApi>(factory, KaitHttpClients.LiteLlm, BaseUrl);

    private string? Key(string? virtualKey) => string.IsNullOrEmpty(virtualKey) ? settings.Proxy.MasterKey : virtualKey;

    private string? Bearer(string? virtualKey) => Pipeline.TransportStage.Bearer(Key(virtualKey));

    private static string? Text(Dictionary<string, JsonElement>? values, string name) =>
        values is not null && values.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
