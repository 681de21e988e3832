using System.Net.Sockets;

namespace Kait.Sdk.Hosting;

/// <summary>What one look at the proxy's health routes found.</summary>
/// <param name="Alive"><c>/health/liveliness</c> answered 200.</param>
/// <param name="Ready"><c>/health/readiness</c> answered 200 with a healthy status.</param>
/// <param name="PortInUse">Something accepted the connection (even if it is no proxy).</param>
/// <param name="Detail">The readiness status, the HTTP status or the error.</param>
/// <param name="Readiness">The readiness body, when it has LiteLLM's shape (the same <see cref="LiteLlmProxyReadiness"/> as
/// <see cref="LiteLlmProxyClient.GetReadinessAsync"/>'s, with the same rules).</param>
internal sealed record ProxyHealthReport(bool Alive, bool Ready, bool PortInUse, string Detail, LiteLlmProxyReadiness? Readiness = null)
{
    /// <summary>LiteLLM's version from the readiness body, when given.</summary>
    public string? Version => Readiness?.LiteLlmVersion;

    /// <summary>Something answers on the port, but not as LiteLLM: its <c>/health/readiness</c> reply lacks LiteLLM's
    /// <c>status</c> and <c>litellm_version</c>. It is another program and never gets the master key.</summary>
    internal bool Foreign { get; init; }
}

/// <summary>
/// Kait's one proxy health probe: <c>/health/liveliness</c>, then <c>/health/readiness</c> read as a
/// <see cref="LiteLlmProxyReadiness"/> (no auth needed, none sent), and whether the port is taken when nothing answers. Ready is
/// <see cref="LiteLlmProxyReadiness.IsReady"/>; a 200 without LiteLLM's shape is <see cref="ProxyHealthReport.Foreign"/>.
/// </summary>
internal sealed class ProxyHealthProbe(HttpClient http, TimeSpan requestTimeout, TimeProvider time)
{
    public async Task<ProxyHealthReport> ProbeAsync(Uri baseAddress, CancellationToken cancellationToken)
    {
        var (liveStatus, _, liveError) = await GetAsync(new Uri(baseAddress, "health/liveliness"), cancellationToken).ConfigureAwait(false);
        if (liveStatus is null)
        {
            // A timeout or an odd error says little (a cold client can be slow): let a plain TCP connect decide whether the port is taken.
            var inUse = liveError is not ConnectionRefused && await AcceptsConnectionsAsync(baseAddress, cancellationToken).ConfigureAwait(false);
            return new ProxyHealthReport(false, false, inUse, liveError ?? "no answer");
        }

        if (liveStatus != 200)
        {
            return new ProxyHealthReport(false, false, true, $"/health/liveliness answered {liveStatus}");
        }

        var (readyStatus, body, readyError) = await GetAsync(new Uri(baseAddress, "health/readiness"), cancellationToken).ConfigureAwait(false);
        if (readyStatus != 200)
        {
            return new ProxyHealthReport(true, false, true, readyStatus is null ? $"/health/readiness: {readyError}" : $"/health/readiness answered {readyStatus}");
        }

        // One reading and one rule for readiness, shared with LiteLlmProxyClient.GetReadinessAsync.
        var readiness = LiteLlmProxyReadiness.FromJson(body);
        if (readiness is not { IsLiteLlm: true })
        {
            return new ProxyHealthReport(true, false, true, "it answers /health/readiness, but not as LiteLLM (no status and litellm_version)") { Foreign = true };
        }

        return new ProxyHealthReport(true, readiness.IsReady, true, readiness.Status!, readiness);
    }

    private const string ConnectionRefused = "connection refused";

    private const int MaxBodyBytes = 64 * 1024;

    private async Task<bool> AcceptsConnectionsAsync(Uri baseAddress, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(requestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(baseAddress.Host, baseAddress.Port, linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // No answer to a connect on loopback: something holds the port without accepting, or the host is unreachable.
            return true;
        }
    }

    private async Task<(int? Status, string? Body, string? Error)> GetAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(requestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            // A health reply is small: read at most MaxBodyBytes of whatever answers.
            using var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            var buffer = new byte[MaxBodyBytes];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), linked.Token).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            return ((int)response.StatusCode, System.Text.Encoding.UTF8.GetString(buffer, 0, length), null);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            return (null, null, ConnectionRefused);
        }
        catch (HttpRequestException ex)
        {
            return (null, null, ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, null, "timed out");
        }
    }
}
