using System.Runtime.CompilerServices;
using Kait.Sdk.Translation;
using Microsoft.Extensions.Options;

namespace Kait.Sdk.Transport;

/// <summary>Chat through the LiteLLM proxy: the alias is the model; the master key (or a virtual key) is the Bearer.</summary>
internal sealed class ProxyChatTransport(IHttpClientFactory factory, IOptions<KaitOptions> options, TimeProvider time) : IChatTransport
{
    private const string Origin = "LiteLLM proxy";

    private readonly RefitClientCache<ILiteLlmProxyApi> clients = new(factory, KaitHttpClients.LiteLlm, time);

    public async Task<TransportResult> SendAsync(ChatCall call, CancellationToken cancellationToken)
    {
        var (response, key) = await PostAsync(call, stream: false, cancellationToken).ConfigureAwait(false);
        return await OpenAIWire.ReadAsync(response, Origin, time, cancellationToken, key).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<TransportChunk> StreamAsync(ChatCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (response, key) = await PostAsync(call, stream: true, cancellationToken).ConfigureAwait(false);
        await foreach (var chunk in OpenAIWire.StreamAsync(response, Origin, time, cancellationToken, key).ConfigureAwait(false))
        {
            yield return chunk;
        }
    }

    internal static string? Bearer(string? key) => key is null ? null : "Bearer " + key;

    private async Task<(HttpResponseMessage Response, string? Key)> PostAsync(ChatCall call, bool stream, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var baseUrl = settings.ProxyBaseUrl;
        var key = string.IsNullOrEmpty(call.Options.VirtualKey) ? settings.LiteLlmMasterKey : call.Options.VirtualKey;
        var api = clients.Get(baseUrl);
        var request = OpenAITranslator.ToRequest(call.Alias.Name, call.Messages, call.Options, stream, includeMetadata: true);
        var headers = HttpExchange.ExtraHeaders(call.Options);
        var response = await HttpExchange.SendAsync(() => api.ChatCompletionsAsync(request, Bearer(key), headers, cancellationToken), Origin, baseUrl, cancellationToken).ConfigureAwait(false);
        return (response, key);
    }
}
