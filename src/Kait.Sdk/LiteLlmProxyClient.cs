using System.Text.Json;
using Kait.Sdk.Transport;
using Kait.Sdk.Transport.Dtos;
using Microsoft.Extensions.Options;

namespace Kait.Sdk;

/// <summary>The LiteLLM proxy's other routes, each request bounded by the attempt timeout: health, models and model info (embeddings go through the gateway: <see cref="ILlmGateway.EmbedAsync"/>). Uses the proxy URL and master
/// key of <see cref="KaitOptions"/> whether or not chat goes through the proxy.</summary>
public sealed class LiteLlmProxyClient
{
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
