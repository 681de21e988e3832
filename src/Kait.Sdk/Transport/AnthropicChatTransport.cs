using System.Runtime.CompilerServices;
using Kait.Sdk.Errors;
using Kait.Sdk.Translation;
using Microsoft.Extensions.Options;

namespace Kait.Sdk.Transport;

/// <summary>Chat straight at Anthropic (<c>{base}/v1/messages</c>, <c>x-api-key</c>, <c>anthropic-version</c>).</summary>
internal sealed class AnthropicChatTransport(IHttpClientFactory factory, IOptions<KaitOptions> options, TimeProvider time) : IChatTransport
{
    private readonly RefitClientCache<IAnthropicApi> clients = new(factory, KaitHttpClients.Anthropic, time);

    private const string Origin = "anthropic";

    public async Task<TransportResult> SendAsync(ChatCall call, CancellationToken cancellationToken)
    {
        var (response, key) = await PostAsync(call, stream: false, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            await HttpExchange.EnsureSuccessAsync(response, Origin, time, key, cancellationToken).ConfigureAwait(false);
            var body = await HttpExchange.ReadJsonAsync(response, KaitJsonContext.Default.AnthropicMessagesResponse, Origin, cancellationToken).ConfigureAwait(false);
            return AnthropicTranslator.FromResponse(body, AnthropicRequestShapes.StructuredToolName(call.Options));
        }
    }

    public async IAsyncEnumerable<TransportChunk> StreamAsync(ChatCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (response, key) = await PostAsync(call, stream: true, cancellationToken).ConfigureAwait(false);
        using var owned = response;
        await HttpExchange.EnsureSuccessAsync(response, Origin, time, key, cancellationToken).ConfigureAwait(false);
        var accumulator = new AnthropicTranslator.StreamAccumulator(AnthropicRequestShapes.StructuredToolName(call.Options));
        var stopped = false;
        await foreach (var item in HttpExchange.ReadEventsAsync(response, Origin, cancellationToken).ConfigureAwait(false))
        {
            if (item.EventType == "ping" || string.IsNullOrWhiteSpace(item.Data))
            {
                continue;
            }

            var e = HttpExchange.ParseEvent(item.Data, KaitJsonContext.Default.AnthropicStreamEvent, Origin, response);
            if (e.Type == "error")
            {
                throw ErrorMapper.FromStreamError(e.Error?.Type, e.Error?.Message, null, Origin, null, key);
            }

            if (e.Type == "message_stop")
            {
                stopped = true;
                break;
            }

            var text = accumulator.Add(e);
            if (text.Length > 0)
            {
                yield return new TransportChunk(text, null);
            }
        }

        if (!stopped)
        {
            throw new ProviderUnavailableException($"{Origin} ended the stream without 'message_stop'.") { StatusCode = (int)response.StatusCode };
        }

        yield return new TransportChunk(string.Empty, accumulator.ToResult());
    }

    private async Task<(HttpResponseMessage Response, string Key)> PostAsync(ChatCall call, bool stream, CancellationToken cancellationToken)
    {
        var target = call.Direct ?? throw new InvalidOperationException("The Anthropic bridge needs a direct target.");
        var api = clients.Get(target.BaseUrl);
        var request = AnthropicTranslator.ToRequest(target.Deployment.ProviderModel, call.Messages, call.Options, options.Value.AnthropicDefaultMaxTokens, stream);
        var headers = HttpExchange.ExtraHeaders(call.Options);
        var response = await HttpExchange.SendAsync(api.MessagesAsync(request, target.ApiKey, headers, cancellationToken), Origin, target.BaseUrl, cancellationToken).ConfigureAwait(false);
        return (response, target.ApiKey);
    }
}
