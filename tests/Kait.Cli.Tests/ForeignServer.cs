using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kait.Cli.Tests;

/// <summary>
/// Another program on the proxy's port: answers every request with 200 and a JSON body, or accepts connections and never
/// answers (<see cref="Silent"/>). It records each request's head, so a test can show that no key ever reached it.
/// </summary>
internal sealed class ForeignServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentBag<TcpClient> held = [];
    private readonly string? body;
    private readonly Task accepting;

    private ForeignServer(string? body)
    {
        this.body = body;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = Task.Run(AcceptAsync);
    }

    public static ForeignServer Answering(string body) => new(body);

    public static ForeignServer Silent() => new(null);

    public int Port { get; }

    public ConcurrentQueue<string> Requests { get; } = new();

    public bool SawKey => Requests.Any(r => r.Contains("authorization:", StringComparison.OrdinalIgnoreCase) || r.Contains("api-key", StringComparison.OrdinalIgnoreCase));

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                _ = Task.Run(() => ServeAsync(client));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            var head = new StringBuilder();
            var buffer = new byte[4096];
            while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal) && head.Length < 65536)
            {
                var read = await stream.ReadAsync(buffer, stop.Token);
                if (read == 0)
                {
                    break;
                }

                head.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            Requests.Enqueue(head.ToString());
            if (body is null)
            {
                held.Add(client);
                return;
            }

            var bytes = Encoding.UTF8.GetBytes(body);
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n"), stop.Token);
            await stream.WriteAsync(bytes, stop.Token);
            client.Dispose();
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        foreach (var client in held)
        {
            client.Dispose();
        }

        await accepting;
        stop.Dispose();
    }
}
