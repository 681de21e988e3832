using Kait.Sdk.Routing;
using Kait.Sdk.Transport;
using Kait.Sdk.Transport.Dtos;
using Microsoft.Extensions.Options;

namespace Kait.Sdk.Embeddings;

/// <summary>Embeddings on the gateway's routes: the proxy's <c>/v1/embeddings</c> when the proxy is in use (cost from
/// <c>x-litellm-response-cost</c>), else (or when the proxy cannot be reached and fallback is on) OpenAI's
/// <c>{base}/embeddings</c> with the provider key (cost estimated).</summary>
internal sealed class EmbeddingRouter(IHttpClientFactory factory, IOptions<KaitOptions> options, DirectRouteResolver resolver, Kait.Sdk.Costs.ICostCalculator costCalculator, TimeProvider time)
{
    private const string Origin = "openai";

    public async Task<LlmEmbeddings> EmbedAsync(ModelAlias alias, IReadOnlyList<string> inputs, LlmCallOptions callOptions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var settings = options.Value;
        using var deadline = new CallDeadline(callOptions.Timeout ?? settings.Resilience.RequestTimeout, time, cancellationToken);
        try
        {
            if (settings.Proxy.Enabled)
            {
                try
                {
                    var proxied = await new LiteLlmProxyClient(factory, options, time).EmbedAsync(alias.Name, inputs, callOptions, deadline.Token).ConfigureAwait(false);
                    return proxied with { CostSource = proxied.CostUsd is null ? CostSource.Unknown : CostSource.ProxyHeader };
                }
                catch (ProviderUnavailableException ex) when (ex.Unreachable && settings.Proxy.Fallback
                    && resolver.TryResolve(alias, out _) is { Bridge: DirectBridge.OpenAI } fallback)
                {
                    // As for chat: a proxy that cannot be reached falls back to the provider's bridge.
                    return await DirectAsync(alias, fallback, inputs, callOptions, deadline.Token).ConfigureAwait(false);
                }
            }

            return await DirectAsync(alias, resolver.Resolve(alias), inputs, callOptions, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (deadline.Expired)
        {
            throw deadline.TimeoutError(alias.Name, ex);
        }
    }

    private async Task<LlmEmbeddings> DirectAsync(ModelAlias alias, DirectTarget target, IReadOnlyList<string> inputs, LlmCallOptions callOptions, CancellationToken cancellationToken)
    {
        if (target.Bridge != DirectBridge.OpenAI)
        {
            throw new NoDirectRouteException($"'{alias.Name}' is served by {target.Provider}, which has no embeddings bridge; use the LiteLLM proxy.")
            {
                Provider = target.Provider,
            };
        }

        var api = KaitHttpClients.Create<IOpenAIApi>(factory, KaitHttpClients.OpenAI, target.BaseUrl);
        var request = new OpenAIEmbeddingRequest { Model = target.Deployment.ProviderModel, Input = inputs, User = callOptions.User };
        var headers = HttpExchange.ExtraHeaders(callOptions);
        using var response = await HttpExchange.SendAsync(api.EmbeddingsAsync(request, "Bearer " + target.ApiKey, headers, cancellationToken), Origin, target.BaseUrl, cancellationToken).ConfigureAwait(false);
        await HttpExchange.EnsureSuccessAsync(response, Origin, time, target.ApiKey, cancellationToken).ConfigureAwait(false);
        var body = await HttpExchange.ReadJsonAsync(response, KaitJsonContext.Default.OpenAIEmbeddingResponse, Origin, cancellationToken).ConfigureAwait(false);
        var vectors = (body.Data ?? []).OrderBy(d => d.Index).Select(d => new ReadOnlyMemory<float>(d.Embedding ?? [])).ToArray();
        var tokens = body.Usage?.PromptTokens ?? 0;
        var cost = costCalculator.Calculate(target.Deployment, new LlmUsage(tokens, 0, 0));
        return new LlmEmbeddings(vectors, tokens, null, cost.CostUsd)
        {
            Route = LlmRoute.Direct,
            CostSource = cost.Source,
            Model = body.Model ?? target.Deployment.ProviderModel,
        };
    }
}
