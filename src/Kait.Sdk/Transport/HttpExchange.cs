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
    public static Task EnsureSuccessAsync(HttpResponseMessage response, string origin, TimeProvider time, string? secret, CancellationToken cancellationToken) =>
        EnsureSuccessAsync(response, origin, time, [secret], cancellationToken);

    /// <summary>Throws the mapped error for a non-success response (and disposes it); every one of <paramref name="secrets"/>
    /// is redacted from anything the error quotes.</summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, string origin, TimeProvider time, string?[] secrets, CancellationToken cancellationToken)
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

            throw ErrorMapper.FromResponse(response.StatusCode, body, response, origin, ProxyHeaders.Get(response.Headers, ProxyHeaders.CallId), time, secrets);
        }
    }

    /// <summary>Reads a JSON body; malformed JSON is a <see cref="ProviderUnavailableException"/>.</summary>
    public static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, string origin, WireLimits limits, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > limits.MaxResponseBytes)
        {
            throw TooLarge(origin, response, limits.MaxResponseBytes);
        }

        try
        {
            var stream = new LimitedStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), limits.MaxResponseBytes);
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
        catch (LimitExceededException)
        {
            throw TooLarge(origin, response, limits.MaxResponseBytes);
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
    /// string per event). A cut connection, a body or event over <paramref name="limits"/>, or a silence longer than
    /// <see cref="WireLimits.StreamIdleTimeout"/> is a <see cref="ProviderUnavailableException"/>.</summary>
    public static async IAsyncEnumerable<SseItem<T>> ReadEventsAsync<T>(HttpResponseMessage response, string origin, SseItemParser<T> parser, WireLimits limits, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var idle = new IdleTimeout(limits.StreamIdleTimeout, time, cancellationToken);
        var body = new LimitedStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), limits.MaxResponseBytes);
        await using (body.ConfigureAwait(false))
        {
            var maxEvent = limits.MaxEventBytes;
            T Bounded(string eventType, ReadOnlySpan<byte> data) => data.Length > maxEvent
                ? throw new LimitExceededException()
                : parser(eventType, data);
            var items = SseParser.Create(body, Bounded).EnumerateAsync(idle.Token).GetAsyncEnumerator(idle.Token);
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
                    catch (LimitExceededException)
                    {
                        throw TooLarge(origin, response, limits.MaxResponseBytes, maxEvent);
                    }
                    catch (OperationCanceledException ex) when (idle.Expired)
                    {
                        throw new ProviderUnavailableException(
                            FormattableString.Invariant($"{origin} sent nothing for {limits.StreamIdleTimeout.TotalSeconds:0.###} s in the middle of a stream."), ex)
                        {
                            StatusCode = (int)response.StatusCode,
                            CallId = ProxyHeaders.Get(response.Headers, ProxyHeaders.CallId),
                        };
                    }
                    catch (Exception ex) when (ex is HttpRequestException or IOException)
                    {
                        throw new ProviderUnavailableException($"{origin} closed the stream before it ended.", ex)
                        {
                            StatusCode = (int)response.StatusCode,
                            CallId = ProxyHeaders.Get(response.Headers, ProxyHeaders.CallId),
                        };
                    }

                    idle.Reset();
                    yield return items.Current;
                }
            }
        }
    }

    /// <summary>The SSE items of a streamed body as text.</summary>
    public static IAsyncEnumerable<SseItem<string>> ReadEventsAsync(HttpResponseMessage response, string origin, WireLimits limits, TimeProvider time, CancellationToken cancellationToken) =>
        ReadEventsAsync(response, origin, static (_, data) => System.Text.Encoding.UTF8.GetString(data), limits, time, cancellationToken);

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
        Array.Exists(KaitHttpClients.CredentialHeaders, h => h.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A reply over a limit.</summary>
    private static ProviderUnavailableException TooLarge(string origin, HttpResponseMessage response, long maxBytes, int? maxEvent = null) =>
        new(maxEvent is { } e
            ? FormattableString.Invariant($"{origin} sent a stream over Kait's limits ({maxBytes} bytes in all, {e} bytes an event); it was not read further.")
            : FormattableString.Invariant($"{origin} sent a reply over Kait's limit of {maxBytes} bytes; it was not read further."))
        {
            StatusCode = (int)response.StatusCode,
            CallId = ProxyHeaders.Get(response.Headers, ProxyHeaders.CallId),
        };

    /// <summary>Thrown inside a read that went over a limit.</summary>
    private sealed class LimitExceededException : Exception;

    /// <summary>A read-only view of a body that throws <see cref="LimitExceededException"/> past a number of bytes.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }

        private int Count(int n)
        {
            read += n;
            return read > limit ? throw new LimitExceededException() : n;
        }
    }

    /// <summary>A token, the caller's, also cancelled when <see cref="Reset"/> is not called for a while (a stream's
    /// idle timeout), on the injected clock.</summary>
    private sealed class IdleTimeout : IDisposable
    {
        private readonly CancellationTokenSource source;
        private readonly CancellationToken caller;
        private readonly ITimer? timer;
        private readonly TimeSpan idle;

        public IdleTimeout(TimeSpan idle, TimeProvider time, CancellationToken caller)
        {
            this.idle = idle;
            this.caller = caller;
            source = caller.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(caller) : new CancellationTokenSource();
            if (idle > TimeSpan.Zero && idle != Timeout.InfiniteTimeSpan)
            {
                timer = time.CreateTimer(static state => ((IdleTimeout)state!).Fire(), this, idle, Timeout.InfiniteTimeSpan);
            }
        }

        public CancellationToken Token => source.Token;

        public bool Expired => source.IsCancellationRequested && !caller.IsCancellationRequested;

        public void Reset() => timer?.Change(idle, Timeout.InfiniteTimeSpan);

        public void Dispose()
        {
            timer?.Dispose();
            source.Dispose();
        }

        private void Fire()
        {
            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The stream ended as the timer fired.
            }
        }
    }

    /// <summary>A malformed reply's error.</summary>
    internal static ProviderUnavailableException Malformed(string origin, HttpResponseMessage response, Exception? inner) =>
        new($"{origin} sent a reply that is not the JSON expected" + (inner is null ? "." : ": " + inner.Message), inner)
        {
            StatusCode = (int)response.StatusCode,
            CallId = ProxyHeaders.Get(response.Headers, ProxyHeaders.CallId),
        };
}
