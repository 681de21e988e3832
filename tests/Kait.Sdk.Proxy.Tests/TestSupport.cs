using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Kait.Sdk.Proxy;
using Microsoft.Extensions.Logging;

namespace Kait.Sdk.Proxy.Tests;

/// <summary>The stand-in proxy script and the interpreter that runs it.</summary>
internal static class StandIn
{
    private static readonly Lazy<string> s_python = new(ResolvePython);

    public static string Script { get; } = Path.Combine(AppContext.BaseDirectory, "standin_proxy.py");

    /// <summary>The real interpreter (not a pyenv shim), so the pid we signal is python itself.</summary>
    public static string Python => s_python.Value;

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
        string path = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return p.ExitCode == 0 && File.Exists(path) ? path : "python3";
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
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
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
        TimeSpan limit = timeout ?? TimeSpan.FromSeconds(15);
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
