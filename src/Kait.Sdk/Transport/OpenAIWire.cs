using System.Runtime.CompilerServices;
using Kait.Sdk.Errors;
using Kait.Sdk.Translation;

namespace Kait.Sdk.Transport;

/// <summary>Reads OpenAI-shaped replies (OpenAI itself and the LiteLLM proxy).</summary>
internal static class OpenAIWire
{
    public static async Task<TransportResult> ReadAsync(HttpResponseMessage response, string origin, TimeProvider time, string? secret, CancellationToken cancellationToken)
    {
        using (response)
        {
            await HttpExchange.EnsureSuccessAsync(response, origin, time, secret, cancellationToken).ConfigureAwait(false);
            var body = await HttpExchange.ReadJsonAsync(response, KaitJsonContext.Default.OpenAIChatResponse, origin, cancellationToken).ConfigureAwait(false);
            return OpenAITranslator.FromResponse(body, response.Headers);
        }
    }

    public static async IAsyncEnumerable<TransportChunk> StreamAsync(HttpResponseMessage response, string origin, TimeProvider time, string? secret, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using (response)
        {
            await HttpExchange.EnsureSuccessAsync(response, origin, time, secret, cancellationToken).ConfigureAwait(false);
            var callId = ProxyHeaders.Get(response.Headers, ProxyHeaders.CallId);
            var accumulator = new OpenAITranslator.StreamAccumulator();
            var done = false;
            await foreach (var item in HttpExchange.ReadEventsAsync(response, origin, static (_, data) => HttpExchange.ParseJsonEvent(data, KaitJsonContext.Default.OpenAIChatResponse), cancellationToken).ConfigureAwait(false))
            {
                if (item.Data.Kind == JsonEventKind.Done)
                {
                    done = true;
                    break;
                }

                if (item.Data.Kind == JsonEventKind.Blank)
                {
                    continue;
                }

                var chunk = item.Data.Get(origin, response);
                if (chunk.Error is { } error)
                {
                    var parsed = ServerError.Parse(error.GetRawText());
                    throw ErrorMapper.FromStreamError(parsed.Type, parsed.Message, parsed.Code, origin, callId, secret);
                }

                var text = accumulator.Add(chunk);
                if (text.Length > 0)
                {
                    yield return new TransportChunk(text, null);
                }
            }

            if (!done)
            {
                throw new ProviderUnavailableException($"{origin} ended the stream without 'data: [DONE]'.") { StatusCode = (int)response.StatusCode, CallId = callId };
            }

            yield return new TransportChunk(string.Empty, accumulator.ToResult(response.Headers));
        }
    }
}
