using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kait.Sdk.Testing;

/// <summary>
/// The base of the fakes: a Kestrel server on 127.0.0.1 with a free port, recording every request and answering with
/// scripted replies (<see cref="Enqueue"/>, else <see cref="Responder"/>, else <see cref="DefaultReply"/>). Dispose it to
/// stop it, or <see cref="StopAsync"/> to stop it mid-test (a proxy that goes away).
/// </summary>
public abstract class FakeLlmServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private readonly ConcurrentQueue<FakeReply> replies = new();
    private static readonly object RecordedKey = new();
    private WebApplication? app;
    private Uri? baseUrl;
    private int stopped;

    /// <summary>How long a stream reset waits after the last event it sent, so the client has read them.</summary>
    public static TimeSpan ResetGrace { get; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Where the fake listens (<c>http://127.0.0.1:PORT</c>, no trailing slash).</summary>
    public Uri BaseUrl => baseUrl ?? throw new InvalidOperationException("The fake is not started.");

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => requests.ToArray();

    /// <summary>The reply when none is queued.</summary>
    public FakeReply DefaultReply { get; set; } = new();

    /// <summary>Makes the reply from the request when none is queued; null (or a null result) leaves it to
    /// <see cref="DefaultReply"/>. For many concurrent calls whose replies depend on their prompt (order-independent),
    /// e.g. a cost or a usage that varies per call. Called concurrently: keep it thread-safe.</summary>
    public Func<RecordedRequest, FakeReply?>? Responder { get; set; }

    /// <summary>Queues replies, used one per call before <see cref="DefaultReply"/>.</summary>
    /// <param name="replies">The replies.</param>
    public void Enqueue(params FakeReply[] replies)
    {
        ArgumentNullException.ThrowIfNull(replies);
        foreach (var reply in replies)
        {
            this.replies.Enqueue(reply);
        }
    }

    /// <summary>Stops listening, as a server that goes away: requests already being answered finish (graceful
    /// shutdown), new connections are refused from then on. Idempotent; <see cref="DisposeAsync"/> still releases it.</summary>
    /// <param name="cancellationToken">Ends the graceful wait early (requests still running are aborted).</param>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (app is not null && Interlocked.Exchange(ref stopped, 1) == 0)
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Starts the server.</summary>
    protected async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        app = builder.Build();
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            await RecordAsync(context).ConfigureAwait(false);
            await next(context).ConfigureAwait(false);
        });
        MapRoutes(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        baseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/'));
    }

    /// <summary>Maps the API's routes.</summary>
    protected abstract void MapRoutes(WebApplication app);

    /// <summary>The next reply: a queued one, else the default.</summary>
    protected FakeReply NextReply() => replies.TryDequeue(out var reply) ? reply : DefaultReply;

    /// <summary>The next reply for <paramref name="context"/>'s request: a queued one, else <see cref="Responder"/>'s, else the default.</summary>
    /// <param name="context">The request being answered.</param>
    protected FakeReply NextReply(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (replies.TryDequeue(out var reply))
        {
            return reply;
        }

        return Responder is { } responder && context.Items[RecordedKey] is RecordedRequest request && responder(request) is { } made ? made : DefaultReply;
    }

    /// <summary>Applies the common faults before a reply: delay, reset before answering, a verbatim body, a status with an error body.
    /// Returns true when the fault answered the request.</summary>
    /// <param name="context">The request.</param>
    /// <param name="reply">The reply.</param>
    /// <param name="errorBody">Writes the API's error body for a status and message.</param>
    protected static async Task<bool> ApplyFaultsAsync(HttpContext context, FakeReply reply, Func<int, string, string?, string> errorBody)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(errorBody);
        if (reply.Delay > TimeSpan.Zero)
        {
            await Task.Delay(reply.Delay, context.RequestAborted).ConfigureAwait(false);
        }

        if (reply.ResetAfterEvents == 0)
        {
            context.Abort();
            return true;
        }

        if (reply.RawBody is { } raw)
        {
            AddHeaders(context, reply);
            var streaming = context.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.Ordinal)
                || raw.StartsWith("event:", StringComparison.Ordinal) || raw.StartsWith("data:", StringComparison.Ordinal);
            context.Response.ContentType = streaming ? "text/event-stream" : "application/json";
            await context.Response.WriteAsync(raw, context.RequestAborted).ConfigureAwait(false);
            return true;
        }

        if (reply.Status is not { } status)
        {
            return false;
        }

        context.Response.StatusCode = status;
        if (reply.RetryAfter is { } retryAfter)
        {
            context.Response.Headers["Retry-After"] = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        AddHeaders(context, reply);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(reply.ErrorBody ?? errorBody(status, reply.ErrorMessage ?? "Fake error", reply.ErrorType), context.RequestAborted).ConfigureAwait(false);
        return true;
    }

    /// <summary>Adds <see cref="FakeReply.Headers"/>.</summary>
    protected static void AddHeaders(HttpContext context, FakeReply reply)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(reply);
        foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }
    }

    /// <summary>Streams server-sent events: each (event, data) pair framed as the APIs frame it, flushed one by one;
    /// resets the connection after <see cref="FakeReply.ResetAfterEvents"/> of them, or goes silent after
    /// <see cref="FakeReply.SilentAfterEvents"/>.</summary>
    protected static async Task WriteEventsAsync(HttpContext context, FakeReply reply, IEnumerable<(string? Event, string Data)> events)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(events);
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var written = 0;
        foreach (var (name, data) in events)
        {
            if (reply.ResetAfterEvents is { } limit && written >= limit)
            {
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);

                // A reset discards what the client has not read yet: give it the time to read what was sent, as a real
                // stream cut after a while would.
                await Task.Delay(ResetGrace, context.RequestAborted).ConfigureAwait(false);
                context.Abort();
                return;
            }

            if (reply.SilentAfterEvents is { } silentAfter && written >= silentAfter)
            {
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ConfigureAwait(false);
            }

            var text = new StringBuilder();
            if (name is not null)
            {
                text.Append("event: ").Append(name).Append('\n');
            }

            text.Append("data: ").Append(data).Append("\n\n");
            await context.Response.WriteAsync(text.ToString(), context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            written++;
        }
    }

    /// <summary>Splits text into stream pieces: each word with the space before it.</summary>
    protected static IEnumerable<string> Pieces(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == ' ')
            {
                yield return text[start..i];
                start = i;
            }
        }
    }

    private async Task RecordAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true);
        var body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        context.Request.Body.Position = 0;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in context.Request.Headers)
        {
            headers[name] = values.ToString();
        }

        var recorded = new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "/", headers, body) { Query = context.Request.QueryString.Value ?? string.Empty };
        context.Items[RecordedKey] = recorded;
        requests.Enqueue(recorded);
    }
}
