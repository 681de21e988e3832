using System.Runtime.CompilerServices;
using Kait.Sdk.Errors;
using Kait.Sdk.Pipeline;
using Kait.Sdk.Translation;
using Kait.Sdk.Transport.Dtos;

namespace Kait.Sdk.Transport;

/// <summary>Reads OpenAI-shaped replies (OpenAI itself and the LiteLLM proxy). A 200 that is not an answer — an
/// <c>error</c> object, no <c>choices</c>, a choice without a message — is a typed error, never an empty success.</summary>
internal static class OpenAIWire
{
    public static async Task<CallReply> ReadAsync(HttpResponseMessage response, string origin, WireLimits limits, TimeProvider time, string? secret, CancellationToken cancellationToken)
    {
        using (response)
        {
            await HttpExchange.EnsureSuccessAsync(response, origin, time, secret, cancellationToken).ConfigureAwait(false);
            var body = await HttpExchange.ReadJsonAsync(response, KaitJsonContext.Default.OpenAIChatResponse, origin, limits, cancellationToken).ConfigureAwait(false);
            var callId = ProxyHeaders.Get(response.Headers, ProxyHeaders.CallId);
            if (body.Error is { } error)
            {
                throw ErrorInBody(error, origin, callId, secret);
            }

            if (body.Choices is not { Count: > 0 } choices || choices[0].Message is null)
            {
                throw NotAnAnswer(origin, response, body.Choices is null ? "no 'choices'" : body.Choices.Count == 0 ? "empty 'choices'" : "a choice without a 'message'");
            }

            return OpenAITranslator.FromResponse(body, response.Headers);
        }
    }

    public static async Task<CallReply> ReadEmbeddingsAsync(HttpResponseMessage response, string origin, WireLimits limits, TimeProvider time, string? secret, CancellationToken cancellationToken)
    {
        using (response)
        {
            await HttpExchange.EnsureSuccessAsync(response, origin, time, secret, cancellationToken).ConfigureAwait(false);
            var body = await HttpExchange.ReadJsonAsync(response, KaitJsonContext.Default.OpenAIEmbeddingResponse, origin, limits, cancellationToken).ConfigureAwait(false);
            var proxy = ProxyHeaders.Read(response.Headers);
            if (body.Error is { } error)
            {
                throw ErrorInBody(error, origin, proxy.CallId, secret);
            }

            if (body.Data is not { Count: > 0 } data || data.Any(d => d.Embedding is null))
            {
                throw NotAnAnswer(origin, response, body.Data is null ? "no 'data'" : "an item without an 'embedding'");
            }

            return new CallReply
            {
                Text = string.Empty,
                Vectors = data.OrderBy(d => d.Index).Select(d => d.Embedding!).ToArray(),
                Usage = new LlmUsage(body.Usage?.PromptTokens ?? 0, 0, 0),
                ResponseModel = body.Model,
                CallId = proxy.CallId,
                ProxyCostHeader = proxy.Cost,
                ProxyRetries = proxy.Retries,
            };
        }
    }

    public static async IAsyncEnumerable<CallChunk> StreamAsync(HttpResponseMessage response, string origin, WireLimits limits, TimeProvider time, string? secret, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using (response)
        {
            await HttpExchange.EnsureSuccessAsync(response, origin, time, secret, cancellationToken).ConfigureAwait(false);
            var callId = ProxyHeaders.Get(response.Headers, ProxyHeaders.CallId);
            var accumulator = new OpenAITranslator.StreamAccumulator();
            var done = false;
            var chunks = 0;
            await foreach (var item in HttpExchange.ReadEventsAsync(response, origin, static (_, data) => HttpExchange.ParseJsonEvent(data, KaitJsonContext.Default.OpenAIChatResponse), limits, time, cancellationToken).ConfigureAwait(false))
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
                    // LiteLLM reports an upstream failure inside the stream: `data: {"error": {...}}`.
                    throw ErrorInBody(error, origin, callId, secret);
                }

                chunks++;
                var text = accumulator.Add(chunk, out var thinking, out var signed);
                if (text.Length > 0 || thinking.Length > 0 || signed is not null)
                {
                    yield return new CallChunk(text, null, thinking, signed);
                }
            }

            if (!done)
            {
                throw new ProviderUnavailableException($"{origin} ended the stream without 'data: [DONE]'.") { StatusCode = (int)response.StatusCode, CallId = callId };
            }

            if (chunks == 0)
            {
                throw NotAnAnswer(origin, response, "a stream without a single chunk");
            }

            yield return new CallChunk(string.Empty, accumulator.ToResult(response.Headers));
        }
    }

    private static KaitException ErrorInBody(System.Text.Json.JsonElement error, string origin, string? callId, string? secret)
    {
        var parsed = ServerError.Parse(error.GetRawText());
        return ErrorMapper.FromStreamError(parsed.Type, parsed.Message, parsed.Code, origin, callId, secret);
    }

    /// <summary>A 200 whose body is not an answer.</summary>
    internal static ProviderUnavailableException NotAnAnswer(string origin, HttpResponseMessage response, string what) =>
        new($"{origin} answered 200 with {what}: not an answer, so it is neither returned as one nor cached.")
        {
            StatusCode = (int)response.StatusCode,
            CallId = ProxyHeaders.Get(response.Headers, ProxyHeaders.CallId),
        };
}
