namespace Kait.Sdk.Hosting;

/// <summary>How a <see cref="ProxyControl"/> command ended.</summary>
internal enum ProxyOutcome
{
    /// <summary>Done: started and ready, stopped, or running and healthy. Exit code 0.</summary>
    Ok,

    /// <summary>A healthy proxy already serves the port (started earlier, or not by Kait); nothing was started. Exit code 0.</summary>
    AlreadyRunning,

    /// <summary>No proxy runs. Exit code 3 (as LSB <c>status</c>).</summary>
    NotRunning,

    /// <summary>The recorded process runs but the proxy does not answer its readiness check. Exit code 1.</summary>
    Unhealthy,

    /// <summary>It could not be done; the message says why and quotes the log. Exit code 1.</summary>
    Failed,

    /// <summary>The proxy was not ready before the deadline (it was stopped again). Exit code 2.</summary>
    TimedOut,
}

/// <summary>The result of <c>kait proxy start|stop|status|run</c>: print <see cref="Message"/>, exit with <see cref="ExitCode"/>.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Message">One or more lines for a person; failures name the log and quote its last lines. Never holds the key.</param>
internal sealed record ProxyCommandResult(ProxyOutcome Outcome, string Message)
{
    /// <summary>The process exit code: 0 ok or already running, 1 failed or unhealthy, 2 timed out, 3 not running.</summary>
    public int ExitCode => Outcome switch
    {
        ProxyOutcome.Ok or ProxyOutcome.AlreadyRunning => 0,
        ProxyOutcome.TimedOut => 2,
        ProxyOutcome.NotRunning => 3,
        _ => 1,
    };

    /// <summary>Whether <see cref="ExitCode"/> is 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>The supervisor's pid (the detached process), when known.</summary>
    public int? ProcessId { get; init; }

    /// <summary>The proxy's port.</summary>
    public int Port { get; init; }

    /// <summary>The proxy's log.</summary>
    public string? LogFilePath { get; init; }

    /// <summary>The log's last lines, for failures.</summary>
    public IReadOnlyList<string> LogTail { get; init; } = [];
}
