using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Kait.Sdk.Errors;

namespace Kait.Sdk.Transport;

/// <summary>What every transport does around an HTTP call: connection failures, error bodies, JSON and SSE.</summary>
internal static class HttpExchange
{
    /// <summary>Sends; a failure to get any response becomes <see cref="ProviderUnavailableException"/> with
    /// <see cref="ProviderUnavailableException.Unreachable"/> set.</summary>
    public static async Task<HttpResponseMessage> SendAsync(Task<HttpResponseMessage> sending, string origin, Uri baseUrl, CancellationToken cancellationToken)
    {
        try
        {
            return await sending.ConfigureAwait(false);
        }
        catch (Exception ex) when (Transport(ex) is { } failure && failure.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            throw new ProviderUnavailableException($"{origin} at {baseUrl} could not be reached: {failure.Message}", ex) { Unreachable = true };
        }
        catch (Exception ex) when (Transport(ex) is { StatusCode: null } failure)
        {
            // Connected, then the connection broke before a response: the server was there, so no fallback.
            throw new ProviderUnavailableException($"{origin} at {baseUrl} closed the connection before answering: {failure.Message}", ex);
        }
        catch (Exception ex) when (ex is not KaitException && Cancellation(ex) is not null && !cancellationToken.IsCancellationRequested)
        {
            // The handler's connect timeout, not the caller nor the per-call timeout.
            throw new ProviderUnavailableException($"{origin} at {baseUrl} did not accept a connection in time.", ex) { Unreachable = true };
        }
    }

    // Refit wraps transport failures (ApiRequestException); look through the chain for the HTTP one.
    private static HttpRequestException? Transport(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is HttpRequestException http)
            {
                return http;
            }
        }

        return null;
    }

    private static OperationCanceledException? Cancellation(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is OperationCanceledException canceled)
            {
                return canceled;
            }
        }

        return null;
    }

    /// <summary>Throws the mapped error for a non-success response (and disposes it); <paramref name="secret"/> (the call's
    /// key) is redacted from anything the error quotes.</summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, string origin, TimeProvider time, string? secret, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        using (response)
        {
            string? body;
            try
            {
                body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                body = null;
            }

            throw ErrorMapper.FromResponse(response.StatusCode, body, response, origin, ProxyHeaders.Get(response.Headers, ProxyHeaders.CallId), time, secret);
        }
    }

    /// <summary>Reads a JSON body; malformed JSON is a <see cref="ProviderUnavailableException"/>.</summary>
    public static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, string origin, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken).ConfigureAwait(false)
                    ?? throw Malformed(origin, response, null);
            }
        }
        catch (JsonException ex)
        {
            throw Malformed(origin, response, ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new ProviderUnavailableException($"{origin} closed the connection before the reply ended.", ex)
            {
                StatusCode = (int)response.StatusCode,
                CallId = ProxyHeaders.Get(response.Headers, ProxyHeaders.CallId),
            };
        }
    }

    /// <summary>The SSE items of a streamed body, each payload handed to <paramref name="parser"/> as UTF-8 bytes (no
    /// string per event); a cut connection is a <see cref="ProviderUnavailableException"/>.</summary>
    public static async IAsyncEnumerable<SseItem<T>> ReadEventsAsync<T>(HttpResponseMessage response, string origin, SseItemParser<T> parser, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var items = SseParser.Create(stream, parser).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (items.ConfigureAwait(false))
            {
                while (true)
                {
                    try
                    {
                        if (!await items.MoveNextAsync().ConfigureAwait(false))
                        {
                            yield break;
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or IOException)
                    {
                        throw new ProviderUnavailableException($"{origin} closed the stream before it ended.", ex)
                        {
                            StatusCode = (int)response.StatusCode,
                            CallId = ProxyHeaders.Get(response.Headers, ProxyHeaders.CallId),
                        };
                    }

                    yield return items.Current;
                }
            }
        }
    }

    /// <summary>The SSE items of a streamed body as text, parsed with <see cref="SseParser"/>; a cut connection is a
    /// <see cref="ProviderUnavailableException"/>.</summary>
    public static IAsyncEnumerable<SseItem<string>> ReadEventsAsync(HttpResponseMessage response, string origin, CancellationToken cancellationToken) =>
        ReadEventsAsync(response, origin, static (_, data) => System.Text.Encoding.UTF8.GetString(data), cancellationToken);

    /// <summary>Reads one OpenAI-style SSE payload from its bytes: <c>[DONE]</c>, blank, a JSON value, or the JSON error
    /// (thrown later by <see cref="JsonEvent{T}.Get"/>, where the response is known).</summary>
    public static JsonEvent<T> ParseJsonEvent<T>(ReadOnlySpan<byte> data, JsonTypeInfo<T> type)
    {
        var trimmed = data.Trim(" \t\r\n"u8);
        if (trimmed.IsEmpty)
        {
            return new JsonEvent<T>(default, JsonEventKind.Blank, null);
        }

        if (trimmed.SequenceEqual("[DONE]"u8))
        {
            return new JsonEvent<T>(default, JsonEventKind.Done, null);
        }

        try
        {
            return new JsonEvent<T>(JsonSerializer.Deserialize(trimmed, type), JsonEventKind.Value, null);
        }
        catch (JsonException ex)
        {
            return new JsonEvent<T>(default, JsonEventKind.Value, ex);
        }
    }

    /// <summary>Deserializes one SSE data payload.</summary>
    public static T ParseEvent<T>(string data, JsonTypeInfo<T> type, string origin, HttpResponseMessage response)
    {
        try
        {
            return JsonSerializer.Deserialize(data, type) ?? throw Malformed(origin, response, null);
        }
        catch (JsonException ex)
        {
            throw Malformed(origin, response, ex);
        }
    }

    /// <summary>The headers of a call: the caller's extra ones (never a key).</summary>
    public static IDictionary<string, string> ExtraHeaders(LlmCallOptions options)
    {
        if (options.ExtraHeaders is not { Count: > 0 })
        {
            return System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        foreach (var (name, value) in options.ExtraHeaders)
        {
            if (IsCredentialHeader(name))
            {
                throw new ArgumentException(
                    $"Header '{name}' cannot be set through ExtraHeaders: keys come from the environment, or LlmCallOptions.VirtualKey for the proxy.",
                    nameof(options));
            }

            headers[name] = value;
        }

        return headers;
    }

    private static bool IsCredentialHeader(string name) =>
        name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || name.Equals("x-api-key", StringComparison.OrdinalIgnoreCase)
        || name.Equals("x-litellm-api-key", StringComparison.OrdinalIgnoreCase) || name.Equals("api-key", StringComparison.OrdinalIgnoreCase);

    /// <summary>A malformed reply's error.</summary>
    internal static ProviderUnavailableException Malformed(string origin, HttpResponseMessage response, Exception? inner) =>
        new($"{origin} sent a reply that is not the JSON expected" + (inner is null ? "." : ": " + inner.Message), inner)
        {
            StatusCode = (int)response.StatusCode,
            CallId = ProxyHeaders.Get(response.Headers, ProxyHeaders.CallId),
        };
}
