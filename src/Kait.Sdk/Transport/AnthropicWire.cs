using System.Runtime.CompilerServices;
using Kait.Sdk.Errors;
using Kait.Sdk.Pipeline;
using Kait.Sdk.Translation;

namespace Kait.Sdk.Transport;

/// <summary>Reads Anthropic Messages replies, whole and streamed. A 200 that is not a message (an <c>error</c> body,
/// no <c>content</c>) is a typed error.</summary>
internal static class AnthropicWire
{
    private const string Origin = "anthropic";

    public static async Task<CallReply> ReadAsync(HttpResponseMessage response, string? structuredTool, WireLimits limits, TimeProvider time, string? secret, CancellationToken cancellationToken)
    {
        using (response)
        {
            await HttpExchange.EnsureSuccessAsync(response, Origin, time, secret, cancellationToken).ConfigureAwait(false);
            var body = await HttpExchange.ReadJsonAsync(response, KaitJsonContext.Default.AnthropicMessagesResponse, Origin, limits, cancellationToken).ConfigureAwait(false);
            if (body.Type == "error" || body.Error is not null)
            {
                throw ErrorMapper.FromStreamError(body.Error?.Type, body.Error?.Message, null, Origin, null, secret);
            }

            if (body.Content is null)
            {
                throw OpenAIWire.NotAnAnswer(Origin, response, "no 'content'");
            }

            return AnthropicTranslator.FromResponse(body, structuredTool) with { RateLimits = RateLimitHeaders.Read(response.Headers) };
        }
    }

    public static async IAsyncEnumerable<CallChunk> StreamAsync(HttpResponseMessage response, string? structuredTool, WireLimits limits, TimeProvider time, string? secret, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var owned = response;
        await HttpExchange.EnsureSuccessAsync(response, Origin, time, secret, cancellationToken).ConfigureAwait(false);
        var accumulator = new AnthropicTranslator.StreamAccumulator(structuredTool);
        var stopped = false;
        await foreach (var item in HttpExchange.ReadEventsAsync(response, Origin, limits, time, cancellationToken).ConfigureAwait(false))
        {
            if (item.EventType == "ping" || string.IsNullOrWhiteSpace(item.Data))
            {
                continue;
            }

            var e = HttpExchange.ParseEvent(item.Data, KaitJsonContext.Default.AnthropicStreamEvent, Origin, response);
            if (e.Type == "error")
            {
                throw ErrorMapper.FromStreamError(e.Error?.Type, e.Error?.Message, null, Origin, null, secret);
            }

            if (e.Type == "message_stop")
            {
                stopped = true;
                break;
            }

            var text = accumulator.Add(e, out var thinking, out var signed);
            if (text.Length > 0 || thinking.Length > 0 || signed is not null)
            {
                yield return new CallChunk(text, null, thinking, signed);
            }
        }

        if (!stopped)
        {
            throw new ProviderUnavailableException($"{Origin} ended the stream without 'message_stop'.") { StatusCode = (int)response.StatusCode };
        }

        yield return new CallChunk(string.Empty, accumulator.ToResult() with { RateLimits = RateLimitHeaders.Read(response.Headers) });
    }
}
