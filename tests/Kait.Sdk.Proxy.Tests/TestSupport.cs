using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Kait.Sdk.Hosting;
using Microsoft.Extensions.Logging;

namespace Kait.Sdk.Proxy.Tests;

/// <summary>The stand-in proxy script and the interpreter that runs it.</summary>
internal static class StandIn
{
    private static readonly Lazy<string> ResolvedPython = new(ResolvePython);

    public static string Script { get; } = Path.Combine(AppContext.BaseDirectory, "standin_proxy.py");

    /// <summary>The real interpreter (not a pyenv shim), so the pid we signal is python itself.</summary>
    public static string Python => ResolvedPython.Value;

    public static LiteLlmProxyOptions Options(string home, int port, params string[] behaviour) => new()
    {
        Enabled = true,
        KaitHome = home,
        Port = port,
        Executable = Python,
        Arguments = [Script, "--port", port.ToString(), .. behaviour],
        ReadinessTimeout = TimeSpan.FromSeconds(15),
        HealthPollInterval = TimeSpan.FromMilliseconds(50),
        HealthRequestTimeout = TimeSpan.FromSeconds(1),
        StopGracePeriod = TimeSpan.FromSeconds(5),
        RestartInitialDelay = TimeSpan.FromMilliseconds(100),
        RestartMaxDelay = TimeSpan.FromMilliseconds(400),
        MaxRestartsInWindow = 2,
    };

    public static string[] Command(int port, params string[] behaviour) => [Script, "--port", port.ToString(), .. behaviour];

    private static string ResolvePython()
    {
        var info = new ProcessStartInfo("python3", ["-c", "import sys; print(sys.executable)"]) { RedirectStandardOutput = true };
        using var p = Process.Start(info)!;
        var path = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return p.ExitCode == 0 && File.Exists(path) ? path : "python3";
    }
}

/// <summary>A fake <c>litellm</c> package for PYTHONPATH: <c>python -m litellm …</c> runs the stand-in with <c>$STANDIN_ARGS</c>.</summary>
internal static class FakeLitellm
{
    public static string SupervisorDll => System.IO.Path.Combine(AppContext.BaseDirectory, "Kait.Sdk.Proxy.Tests.Supervisor.dll");

    public static string Package(TempHome home)
    {
        var package = Directory.CreateDirectory(home.File("pypath/litellm")).FullName;
        File.WriteAllText(System.IO.Path.Combine(package, "__init__.py"), string.Empty);
        File.WriteAllText(System.IO.Path.Combine(package, "__main__.py"),
            "import os, runpy, sys\n" +
            "sys.argv += os.environ.get('STANDIN_ARGS', '').split()\n" +
            $"runpy.run_path({System.Text.Json.JsonSerializer.Serialize(StandIn.Script)}, run_name='__main__')\n");
        return home.File("pypath");
    }
}

/// <summary>A private KAIT_HOME, deleted afterwards.</summary>
internal sealed class TempHome : IDisposable
{
    public TempHome()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kait-proxy-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal static class Net
{
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static async Task<bool> AnswersAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        try
        {
            using var r = await http.GetAsync($"http://127.0.0.1:{port}/health/liveliness");
            return r.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}

internal static class Poll
{
    /// <summary>Polls until <paramref name="condition"/> holds or the timeout passes; no fixed sleeps.</summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        while (watch.Elapsed < limit)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return await condition();
    }

    public static Task<bool> UntilAsync(Func<bool> condition, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout);
}

/// <summary>Captures formatted log messages.</summary>
internal sealed class ListLoggerFactory : ILoggerFactory
{
    public ConcurrentQueue<string> Messages { get; } = new();

    public ILogger CreateLogger(string categoryName) => new ListLogger(Messages);

    public ILogger<T> CreateLogger<T>() => new ListLogger<T>(Messages);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    public string All => string.Join('\n', Messages);
}

internal class ListLogger(ConcurrentQueue<string> messages) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        messages.Enqueue($"{logLevel}: {formatter(state, exception)}");
}

internal sealed class ListLogger<T>(ConcurrentQueue<string> messages) : ListLogger(messages), ILogger<T>;

/// <summary>
/// Another program on a port: a bare HTTP/1.1 server that answers every request with 200 and <see cref="Body"/>, or never
/// answers at all (<see cref="Silent"/>). It records each request's head, so a test can show no key ever reached it.
/// </summary>
internal sealed class ForeignHttpServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentBag<TcpClient> held = [];
    private readonly Task accepting;

    private ForeignHttpServer(string? body)
    {
        Body = body;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = Task.Run(AcceptAsync);
    }

    /// <summary>Answers everything with 200 and <paramref name="body"/> (JSON).</summary>
    public static ForeignHttpServer Answering(string body) => new(body);

    /// <summary>Accepts connections and reads requests, but never answers.</summary>
    public static ForeignHttpServer Silent() => new(null);

    public int Port { get; }

    public string? Body { get; }

    public ConcurrentQueue<string> Requests { get; } = new();

    public bool SawAuthorization => Requests.Any(r => r.Contains("authorization:", StringComparison.OrdinalIgnoreCase) || r.Contains("api-key", StringComparison.OrdinalIgnoreCase));

    private async Task AcceptAsync()
    {
        try
        {
            while (!stop.IsCancellationRequested)
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
            var head = new System.Text.StringBuilder();
            var buffer = new byte[4096];
            while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal) && head.Length < 65536)
            {
                var read = await stream.ReadAsync(buffer, stop.Token);
                if (read == 0)
                {
                    break;
                }

                head.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, read));
            }

            Requests.Enqueue(head.ToString());
            if (Body is null)
            {
                held.Add(client); // silent: the connection stays open and unanswered
                return;
            }

            var body = System.Text.Encoding.UTF8.GetBytes(Body);
            var response = $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(response), stop.Token);
            await stream.WriteAsync(body, stop.Token);
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

        try
        {
            await accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
        }

        stop.Dispose();
    }
}

/// <summary>Unix file facts for assertions.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class Modes
{
    public static string Of(string path) => "0" + Convert.ToString((int)File.GetUnixFileMode(path), 8);

    /// <summary>A file outside KAIT_HOME that a planted link points at, with content and mode to compare afterwards.</summary>
    public static string Bait(string path, string content = "not Kait's file\n")
    {
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return path;
    }

    public static void Untouched(string bait, string content = "not Kait's file\n")
    {
        Assert.Equal(content, File.ReadAllText(bait));
        Assert.Equal("0644", Of(bait));
    }
}
