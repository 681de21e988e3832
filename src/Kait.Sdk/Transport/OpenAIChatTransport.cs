using System.Runtime.CompilerServices;
using Kait.Sdk.Translation;

namespace Kait.Sdk.Transport;

/// <summary>Chat straight at OpenAI (<c>{base}/chat/completions</c>, Bearer provider key).</summary>
internal sealed class OpenAIChatTransport(IHttpClientFactory factory, TimeProvider time) : IChatTransport
{
    private readonly RefitClientCache<IOpenAIApi> clients = new(factory, KaitHttpClients.OpenAI, time);

    private const string Origin = "openai";

    public async Task<TransportResult> SendAsync(ChatCall call, CancellationToken cancellationToken)
    {
        var (response, key) = await PostAsync(call, stream: false, cancellationToken).ConfigureAwait(false);
        return await OpenAIWire.ReadAsync(response, Origin, time, key, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<TransportChunk> StreamAsync(ChatCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (response, key) = await PostAsync(call, stream: true, cancellationToken).ConfigureAwait(false);
        await foreach (var chunk in OpenAIWire.StreamAsync(response, Origin, time, key, cancellationToken).ConfigureAwait(false))
        {
            yield return chunk;
        }
    }

    private async Task<(HttpResponseMessage Response, string Key)> PostAsync(ChatCall call, bool stream, CancellationToken cancellationToken)
    {
        var target = call.Direct ?? throw new InvalidOperationException("The OpenAI bridge needs a direct target.");
        var api = clients.Get(target.BaseUrl);
        var request = OpenAITranslator.ToRequest(target.Deployment.ProviderModel, call.Messages, call.Options, stream, includeMetadata: false);
        var headers = HttpExchange.ExtraHeaders(call.Options);
        var response = await HttpExchange.SendAsync(api.ChatCompletionsAsync(request, "Bearer " + target.ApiKey, headers, cancellationToken), Origin, target.BaseUrl, cancellationToken).ConfigureAwait(false);
        return (response, target.ApiKey);
    }
}
