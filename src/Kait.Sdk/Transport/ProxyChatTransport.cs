using System.Runtime.CompilerServices;
using Kait.Sdk.Translation;
using Microsoft.Extensions.Options;

namespace Kait.Sdk.Transport;

/// <summary>Chat through the LiteLLM proxy: the alias is the model; the master key (or a virtual key) is the Bearer.</summary>
internal sealed class ProxyChatTransport(IHttpClientFactory factory, IOptions<KaitOptions> options, TimeProvider time) : IChatTransport
{
    private const string Origin = "LiteLLM proxy";

    public async Task<TransportResult> SendAsync(ChatCall call, CancellationToken cancellationToken)
    {
        var (api, baseUrl, key) = Prepare(call.Options);
        var request = OpenAITranslator.ToRequest(call.Alias.Name, call.Messages, call.Options, stream: false, includeMetadata: true);
        var headers = HttpExchange.ExtraHeaders(call.Options);
        var response = await HttpExchange.SendAsync(() => api.ChatCompletionsAsync(request, Bearer(key), headers, cancellationToken), Origin, baseUrl, cancellationToken).ConfigureAwait(false);
        return await OpenAIWire.ReadAsync(response, Origin, time, cancellationToken, key).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<TransportChunk> StreamAsync(ChatCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (api, baseUrl, key) = Prepare(call.Options);
        var request = OpenAITranslator.ToRequest(call.Alias.Name, call.Messages, call.Options, stream: true, includeMetadata: true);
        var headers = HttpExchange.ExtraHeaders(call.Options);
        var response = await HttpExchange.SendAsync(() => api.ChatCompletionsAsync(request, Bearer(key), headers, cancellationToken), Origin, baseUrl, cancellationToken).ConfigureAwait(false);
        await foreach (var chunk in OpenAIWire.StreamAsync(response, Origin, time, cancellationToken, key).ConfigureAwait(false))
        {
            yield return chunk;
        }
    }

    internal static string? Bearer(string? key) => key is null ? null : "Bearer " + key;

    private (ILiteLlmProxyApi Api, Uri BaseUrl, string? Key) Prepare(LlmCallOptions callOptions)
    {
        var settings = options.Value;
        var baseUrl = settings.ProxyBaseUrl;
        var key = string.IsNullOrEmpty(callOptions.VirtualKey) ? settings.LiteLlmMasterKey : callOptions.VirtualKey;
        return (KaitHttpClients.Create<ILiteLlmProxyApi>(factory, KaitHttpClients.LiteLlm, baseUrl), baseUrl, key);
    }
}
