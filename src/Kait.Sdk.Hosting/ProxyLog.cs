using Microsoft.Extensions.Logging;

namespace Kait.Sdk.Hosting;

/// <summary>The proxy's log events. None of them carries the master key.</summary>
internal static partial class ProxyLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "LiteLLM proxy disabled (KAIT_LITELLM_ENABLED is not true); nothing started")]
    public static partial void Disabled(ILogger logger);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "A healthy LiteLLM proxy already serves port {Port}; leaving it alone (not starting a second one, and it will not be stopped)")]
    public static partial void External(ILogger logger, int port);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Starting LiteLLM proxy: {Executable} {Arguments} (port {Port}, log {LogFile})")]
    public static partial void Starting(ILogger logger, string executable, string arguments, int port, string logFile);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "LiteLLM proxy ready on port {Port} (pid {Pid}, {ElapsedMs} ms)")]
    public static partial void Ready(ILogger logger, int port, int pid, long elapsedMs);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Error, Message = "LiteLLM proxy (pid {Pid}) exited with code {ExitCode}; log {LogFile}")]
    public static partial void Crashed(ILogger logger, int pid, int exitCode, string logFile);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Restarting LiteLLM proxy in {DelayMs} ms (restart {Restart} of at most {MaxRestarts} in the window)")]
    public static partial void Restarting(ILogger logger, long delayMs, int restart, int maxRestarts);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Error, Message = "{Message}")]
    public static partial void Failed(ILogger logger, string message);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Information, Message = "Stopping LiteLLM proxy (pid {Pid}): SIGTERM, kill after {GraceMs} ms")]
    public static partial void Stopping(ILogger logger, int pid, long graceMs);

    [LoggerMessage(EventId = 4108, Level = LogLevel.Warning, Message = "LiteLLM proxy (pid {Pid}) did not stop within the grace period; killed")]
    public static partial void Killed(ILogger logger, int pid);

    [LoggerMessage(EventId = 4109, Level = LogLevel.Information, Message = "LiteLLM proxy (pid {Pid}) stopped with code {ExitCode}")]
    public static partial void Stopped(ILogger logger, int pid, int exitCode);

    [LoggerMessage(EventId = 4110, Level = LogLevel.Information, Message = "{Message}")]
    public static partial void Info(ILogger logger, string message);
}
