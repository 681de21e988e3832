using System.Runtime.CompilerServices;
using Kait.Sdk.Translation;

namespace Kait.Sdk.Transport;

/// <summary>Chat straight at OpenAI (<c>{base}/chat/completions</c>, Bearer provider key).</summary>
internal sealed class OpenAIChatTransport(IHttpClientFactory factory, TimeProvider time) : IChatTransport
{
    private const string Origin = "openai";

    public async Task<TransportResult> SendAsync(ChatCall call, CancellationToken cancellationToken)
    {
        var target = call.Direct ?? throw new InvalidOperationException("The OpenAI bridge needs a direct target.");
        var api = KaitHttpClients.Create<IOpenAIApi>(factory, KaitHttpClients.OpenAI, target.BaseUrl);
        var request = OpenAITranslator.ToRequest(target.Deployment.ProviderModel, call.Messages, call.Options, stream: false, includeMetadata: false);
        var headers = HttpExchange.ExtraHeaders(call.Options);
        var response = await HttpExchange.SendAsync(() => api.ChatCompletionsAsync(request, "Bearer " + target.ApiKey, headers, cancellationToken), Origin, target.BaseUrl, cancellationToken).ConfigureAwait(false);
        return await OpenAIWire.ReadAsync(response, Origin, time, cancellationToken, target.ApiKey).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<TransportChunk> StreamAsync(ChatCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var target = call.Direct ?? throw new InvalidOperationException("The OpenAI bridge needs a direct target.");
        var api = KaitHttpClients.Create<IOpenAIApi>(factory, KaitHttpClients.OpenAI, target.BaseUrl);
        var request = OpenAITranslator.ToRequest(target.Deployment.ProviderModel, call.Messages, call.Options, stream: true, includeMetadata: false);
        var headers = HttpExchange.ExtraHeaders(call.Options);
        var response = await HttpExchange.SendAsync(() => api.ChatCompletionsAsync(request, "Bearer " + target.ApiKey, headers, cancellationToken), Origin, target.BaseUrl, cancellationToken).ConfigureAwait(false);
        await foreach (var chunk in OpenAIWire.StreamAsync(response, Origin, time, cancellationToken, target.ApiKey).ConfigureAwait(false))
        {
            yield return chunk;
        }
    }
}
