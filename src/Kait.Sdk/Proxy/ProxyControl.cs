using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kait.Sdk.Proxy;

/// <summary>
/// The calls behind <c>kait proxy start|stop|status|logs|run</c>. <c>start</c> relaunches a given command (the CLI's own
/// <c>kait proxy run</c>) detached under <c>setsid</c> with its output appended to the log, records its pid and port in
/// <c>$KAIT_HOME/run/litellm.json</c> and waits until the proxy is ready; <c>stop</c> sends that process SIGTERM (it stops its
/// child) and kills it after the grace period; <c>status</c> is healthy only while the proxy answers; <c>run</c> supervises
/// the proxy in the foreground until SIGTERM/SIGINT. Each returns a <see cref="ProxyCommandResult"/>: print its message, exit with its code.
/// </summary>
public sealed class ProxyControl
{
    private const string DetachScript = "log=$1; shift; exec \"$@\" >>\"$log\" 2>&1 </dev/null";

    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Func<string, string?> _environment;

    /// <summary>Creates the control for <paramref name="options"/>.</summary>
    /// <param name="options">The settings; <see cref="LiteLlmProxyOptions.From"/> for the usual ones.</param>
    /// <param name="loggerFactory">Where events go; none by default.</param>
    /// <param name="timeProvider">The clock for deadlines; <see cref="TimeProvider.System"/> by default.</param>
    /// <param name="environment">Reads environment variables (for <c>PATH</c>, to find <c>setsid</c>); the process environment by default.</param>
    public ProxyControl(
        LiteLlmProxyOptions options,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _loggers = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<ProxyControl>();
        _time = timeProvider ?? TimeProvider.System;
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    /// <summary>A control with Kait's settings from the process environment and the <c>.env</c> of the current directory.</summary>
    /// <param name="loggerFactory">Where events go; none by default.</param>
    public static ProxyControl FromEnvironment(ILoggerFactory? loggerFactory = null)
    {
        var environment = KaitEnvironment.FromProcess();
        var settings = KaitOptionsLoader.Load(null, environment);
        return new(LiteLlmProxyOptions.From(settings, KaitPaths.From(settings, environment)), loggerFactory, environment: environment.Get);
    }

    /// <summary>The settings in use.</summary>
    public LiteLlmProxyOptions Options { get; }

    /// <summary>How long <see cref="StartDetachedAsync"/> waits for readiness; default the readiness timeout plus 15 s (the supervisor's own start-up).</summary>
    public TimeSpan? StartTimeout { get; set; }

    /// <summary>Whether <c>setsid</c> is used to detach; default when it is on <c>PATH</c> (util-linux).</summary>
    public bool? UseSetsid { get; set; }

    /// <summary>
    /// <c>kait proxy start</c>: relaunches <paramref name="executable"/> <paramref name="arguments"/> (e.g. the CLI's own path and
    /// <c>["proxy", "run"]</c>) in the background, detached, with its output appended to the log and the caller's environment,
    /// records it, and waits until the proxy is ready.
    /// </summary>
    /// <param name="executable">The program to relaunch (e.g. <see cref="Environment.ProcessPath"/>).</param>
    /// <param name="arguments">Its arguments (e.g. <c>proxy run</c>).</param>
    /// <param name="cancellationToken">Abandons the wait (the launched process keeps running).</param>
    public async Task<ProxyCommandResult> StartDetachedAsync(string executable, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(executable);
        ArgumentNullException.ThrowIfNull(arguments);
        if (OperatingSystem.IsWindows())
        {
            return Result(ProxyOutcome.Failed, "Detached mode needs Linux or macOS; run 'kait proxy run' in a terminal instead.");
        }

        using var http = new HttpClient();
        var probe = new ProxyHealthProbe(http, Options.HealthRequestTimeout, _time);

        ProxyRunRecord? existing = ProxyRunRecord.Read(Options.RunRecordPath);
        if (existing is not null)
        {
            if (existing.IsAlive())
            {
                ProxyHealthReport report = await probe.ProbeAsync(BaseAddress(existing.Port), cancellationToken).ConfigureAwait(false);
                return report.Ready
                    ? Result(ProxyOutcome.AlreadyRunning, $"The LiteLLM proxy already runs (pid {Num(existing.Pid)}, port {Num(existing.Port)}).", existing.Pid, existing.Port)
                    : Result(ProxyOutcome.Unhealthy, $"The LiteLLM proxy was already started (pid {Num(existing.Pid)}, port {Num(existing.Port)}) but is not ready ({report.Detail}); try 'kait proxy stop' first.", existing.Pid, existing.Port, withTail: true);
            }

            ProxyRunRecord.Delete(Options.RunRecordPath);
        }

        ProxyHealthReport current = await probe.ProbeAsync(Options.BaseAddress, cancellationToken).ConfigureAwait(false);
        if (current.Ready)
        {
            return Result(ProxyOutcome.AlreadyRunning, $"A healthy LiteLLM proxy that Kait did not start already serves port {Num(Options.Port)}; left alone.");
        }

        if (current.PortInUse)
        {
            return Result(ProxyOutcome.Failed, $"Port {Num(Options.Port)} is already in use ({current.Detail}); set KAIT_LITELLM_PORT to a free port.", withTail: true);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Options.LogFilePath)!);
        string? setsid = UseSetsid == false ? null : FindOnPath("setsid");
        var info = new ProcessStartInfo(setsid ?? "/bin/sh") { UseShellExecute = false };
        if (setsid is not null)
        {
            info.ArgumentList.Add("/bin/sh");
        }

        foreach (string part in (string[])["-c", DetachScript, "kait-proxy", Options.LogFilePath, executable, .. arguments])
        {
            info.ArgumentList.Add(part);
        }

        // The relaunched process inherits this environment; these make it use the caller's settings (the key through the environment, never the command line).
        info.Environment["KAIT_HOME"] = Options.KaitHome;
        info.Environment["KAIT_LITELLM_PORT"] = Num(Options.Port);
        info.Environment["KAIT_CONFIG"] = Options.ConfigPath;
        info.Environment["KAIT_PYTHON"] = Options.PythonExecutable;
        if (!string.IsNullOrEmpty(Options.MasterKey))
        {
            info.Environment["KAIT_LITELLM_MASTER_KEY"] = Options.MasterKey;
        }

        Options.ApplyEnvironmentVariables(info);

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new Win32Exception("no process");
        }
        catch (Win32Exception ex)
        {
            return Result(ProxyOutcome.Failed, $"Could not launch '{executable}' in the background: {ex.Message}.", withTail: true);
        }

        using (process)
        {
            int pid = process.Id;
            new ProxyRunRecord(pid, Options.Port, Options.LogFilePath, _time.GetUtcNow(), setsid is not null, Posix.StartTime(pid)).Write(Options.RunRecordPath);
            string launched = $"Launched the LiteLLM supervisor in the background (pid {Num(pid)}{(setsid is null ? ", no setsid" : string.Empty)}); waiting for port {Num(Options.Port)}";
            ProxyLog.Info(_logger, launched);

            TimeSpan timeout = StartTimeout ?? Options.ReadinessTimeout + TimeSpan.FromSeconds(15);
            long started = _time.GetTimestamp();
            string last = "no answer yet";
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ProxyHealthReport report = await probe.ProbeAsync(Options.BaseAddress, cancellationToken).ConfigureAwait(false);
                ProxyRunRecord? latest = ProxyRunRecord.Read(Options.RunRecordPath);
                // A supervisor (`run`) that took the record over must have seen readiness itself; a plain command is done when the port is ready.
                if (report.Ready && latest?.State != ProxyRunRecord.Starting)
                {
                    int recorded = latest?.Pid ?? pid;
                    return Result(ProxyOutcome.Ok, $"LiteLLM proxy started in the background (pid {Num(recorded)}) and ready on port {Num(Options.Port)}. Log: {Options.LogFilePath}", recorded, Options.Port);
                }

                last = report.Detail;
                if (process.HasExited)
                {
                    ProxyRunRecord? record = ProxyRunRecord.Read(Options.RunRecordPath);
                    // setsid forks (and exits 0) only when it leads a process group; the supervisor then records its own pid.
                    bool forked = process.ExitCode == 0 && record is not null && record.Pid != pid && record.IsAlive();
                    if (!forked)
                    {
                        ProxyRunRecord.Delete(Options.RunRecordPath, pid);
                        return Result(ProxyOutcome.Failed, $"The background proxy ({executable} {string.Join(' ', arguments)}) exited with code {Num(process.ExitCode)} before it was ready on port {Num(Options.Port)}.", pid, withTail: true);
                    }
                }

                if (_time.GetElapsedTime(started) >= timeout)
                {
                    await StopAsync(cancellationToken).ConfigureAwait(false);
                    return Result(ProxyOutcome.TimedOut, $"The LiteLLM proxy was not ready on port {Num(Options.Port)} within {timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s (last: {last}); it was stopped again.", pid, withTail: true);
                }

                await Task.Delay(Options.HealthPollInterval, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary><c>kait proxy stop</c>: SIGTERM to the recorded process (it stops its proxy), then a kill after the grace period. A proxy Kait did not start is left alone.</summary>
    /// <param name="cancellationToken">Cut the wait short (kill at once).</param>
    public async Task<ProxyCommandResult> StopAsync(CancellationToken cancellationToken = default)
    {
        ProxyRunRecord? record = ProxyRunRecord.Read(Options.RunRecordPath);
        if (record is null)
        {
            return Result(ProxyOutcome.Ok, $"No LiteLLM proxy started by Kait is running (no {Options.RunRecordPath}); nothing to stop.");
        }

        if (!record.IsAlive())
        {
            ProxyRunRecord.Delete(Options.RunRecordPath);
            return Result(ProxyOutcome.Ok, $"The LiteLLM proxy (pid {Num(record.Pid)}) was not running; removed its stale record.", record.Pid, record.Port);
        }

        if (OperatingSystem.IsWindows())
        {
            return Result(ProxyOutcome.Failed, "Stopping a detached proxy needs Linux or macOS.");
        }

        Posix.Signal(record.Pid, Posix.SIGTERM);
        // The supervisor gives its child the grace period too.
        TimeSpan grace = Options.StopGracePeriod + Options.StopGracePeriod + TimeSpan.FromSeconds(2);
        bool exited = await WaitForExitAsync(record, grace, cancellationToken).ConfigureAwait(false);
        bool killed = false;
        if (!exited)
        {
            killed = true;
            if (!record.ProcessGroup || !Posix.Signal(-record.Pid, Posix.SIGKILL))
            {
                Posix.Signal(record.Pid, Posix.SIGKILL);
            }

            exited = await WaitForExitAsync(record, TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
        }
        else if (record.ProcessGroup)
        {
            // Anything the supervisor left behind in its session.
            Posix.Signal(-record.Pid, Posix.SIGKILL);
        }

        if (!exited)
        {
            return Result(ProxyOutcome.Failed, $"The LiteLLM proxy (pid {Num(record.Pid)}) did not stop even after SIGKILL.", record.Pid, record.Port, withTail: true);
        }

        ProxyRunRecord.Delete(Options.RunRecordPath, record.Pid);
        return Result(ProxyOutcome.Ok, killed
            ? $"The LiteLLM proxy (pid {Num(record.Pid)}) ignored SIGTERM and was killed."
            : $"The LiteLLM proxy (pid {Num(record.Pid)}) stopped.", record.Pid, record.Port);
    }

    /// <summary><c>kait proxy status</c>: <see cref="ProxyOutcome.Ok"/> only while the proxy answers its readiness check.</summary>
    /// <param name="cancellationToken">Abandons the probe.</param>
    public async Task<ProxyCommandResult> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient();
        var probe = new ProxyHealthProbe(http, Options.HealthRequestTimeout, _time);
        ProxyRunRecord? record = ProxyRunRecord.Read(Options.RunRecordPath);
        if (record is null)
        {
            ProxyHealthReport external = await probe.ProbeAsync(Options.BaseAddress, cancellationToken).ConfigureAwait(false);
            return external.Ready
                ? Result(ProxyOutcome.Ok, $"A LiteLLM proxy not started by Kait is healthy on port {Num(Options.Port)}{Version(external)}.")
                : Result(ProxyOutcome.NotRunning, $"The LiteLLM proxy is not running (port {Num(Options.Port)}).");
        }

        if (!record.IsAlive())
        {
            return Result(ProxyOutcome.NotRunning, $"The LiteLLM proxy is not running: its process (pid {Num(record.Pid)}) has exited.", record.Pid, record.Port, withTail: true);
        }

        ProxyHealthReport report = await probe.ProbeAsync(BaseAddress(record.Port), cancellationToken).ConfigureAwait(false);
        return report.Ready
            ? Result(ProxyOutcome.Ok, $"The LiteLLM proxy is healthy (pid {Num(record.Pid)}, port {Num(record.Port)}{Version(report)}, up since {record.StartedAt.ToString("u", CultureInfo.InvariantCulture)}).", record.Pid, record.Port)
            : Result(ProxyOutcome.Unhealthy, $"The LiteLLM proxy process runs (pid {Num(record.Pid)}) but port {Num(record.Port)} is not ready ({report.Detail}).", record.Pid, record.Port, withTail: true);
    }

    /// <summary><c>kait proxy logs</c>: the log's last lines (the master key masked).</summary>
    /// <param name="lines">How many.</param>
    public IReadOnlyList<string> ReadLogTail(int lines = 50) =>
        LogTail.ReadLastLines(Options.LogFilePath, lines).Select(Redact).ToList();

    /// <summary><c>kait proxy logs -f</c>: the log's last lines, then each new line (the master key masked) until cancelled.</summary>
    /// <param name="initialLines">How many existing lines first.</param>
    /// <param name="cancellationToken">Ends the enumeration.</param>
    public async IAsyncEnumerable<string> FollowLogAsync(int initialLines = 10, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (string line in LogTail.FollowAsync(Options.LogFilePath, initialLines, Options.HealthPollInterval, _time, cancellationToken).ConfigureAwait(false))
        {
            yield return Redact(line);
        }
    }

    /// <summary>
    /// <c>kait proxy run</c>: supervises the proxy in the foreground (whatever <c>KAIT_LITELLM_ENABLED</c> says) until
    /// <paramref name="cancellationToken"/> fires, SIGTERM/SIGINT arrives, or it crashed too often; records this process in the run record meanwhile.
    /// </summary>
    /// <param name="handleSignals">Turn SIGTERM and SIGINT into a graceful stop (default).</param>
    /// <param name="cancellationToken">Stops the proxy.</param>
    public async Task<ProxyCommandResult> RunAsync(bool handleSignals = true, CancellationToken cancellationToken = default)
    {
        int self = Environment.ProcessId;
        ProxyRunRecord? existing = ProxyRunRecord.Read(Options.RunRecordPath);
        if (existing is not null && existing.Pid != self && existing.IsAlive() && !IsParent(existing.Pid))
        {
            return Result(ProxyOutcome.AlreadyRunning, $"A LiteLLM proxy started by Kait already runs (pid {Num(existing.Pid)}, port {Num(existing.Port)}).", existing.Pid, existing.Port);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var registrations = new List<PosixSignalRegistration>();
        if (handleSignals)
        {
            foreach (PosixSignal signal in (PosixSignal[])[PosixSignal.SIGTERM, PosixSignal.SIGINT])
            {
                try
                {
                    registrations.Add(PosixSignalRegistration.Create(signal, context =>
                    {
                        context.Cancel = true;
                        stop.Cancel();
                    }));
                }
                catch (PlatformNotSupportedException)
                {
                }
            }
        }

        var options = Options with { Enabled = true };
        var service = new LiteLlmProxyService(options, _loggers.CreateLogger<LiteLlmProxyService>(), _time);
        try
        {
            var record = new ProxyRunRecord(self, options.Port, options.LogFilePath, _time.GetUtcNow(), Posix.ProcessGroup() == self, Posix.StartTime(self), ProxyRunRecord.Starting);
            record.Write(options.RunRecordPath);
            try
            {
                await service.StartAsync(stop.Token).ConfigureAwait(false);
            }
            catch (LiteLlmProxyException ex)
            {
                return Result(ProxyOutcome.Failed, ex.Message, self) with { LogTail = ex.LogTail };
            }
            catch (OperationCanceledException)
            {
                return Result(ProxyOutcome.Ok, "Stopped before the LiteLLM proxy was ready.", self);
            }

            if (service.State == LiteLlmProxyState.External)
            {
                return Result(ProxyOutcome.AlreadyRunning, $"A healthy LiteLLM proxy that Kait did not start already serves port {Num(options.Port)}; left alone.");
            }

            (record with { State = ProxyRunRecord.Running }).Write(options.RunRecordPath);

            try
            {
                await service.Completion.WaitAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            await service.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return service.State == LiteLlmProxyState.Failed
                ? Result(ProxyOutcome.Failed, service.LastError ?? "The LiteLLM proxy failed.", self)
                : Result(ProxyOutcome.Ok, $"The LiteLLM proxy stopped (restarts: {Num(service.RestartCount)}).", self);
        }
        finally
        {
            await service.DisposeAsync().ConfigureAwait(false);
            ProxyRunRecord.Delete(options.RunRecordPath, self);
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }

    private async Task<bool> WaitForExitAsync(ProxyRunRecord record, TimeSpan timeout, CancellationToken cancellationToken)
    {
        long started = _time.GetTimestamp();
        while (record.IsAlive())
        {
            if (_time.GetElapsedTime(started) >= timeout || cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, CancellationToken.None).ConfigureAwait(false);
        }

        return true;
    }

    private static bool IsParent(int pid)
    {
        // Without setsid's exec, the record may name the shell or setsid that launched this process.
        try
        {
            string stat = File.ReadAllText($"/proc/{Num(Environment.ProcessId)}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 1 && fields[1] == Num(pid);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private string? FindOnPath(string name)
    {
        string? path = _environment("PATH");
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        foreach (string dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private ProxyCommandResult Result(ProxyOutcome outcome, string message, int? pid = null, int? port = null, bool withTail = false)
    {
        IReadOnlyList<string> tail = withTail ? ReadLogTail(Options.FailureLogLines) : [];
        return new ProxyCommandResult(outcome, withTail ? message + LogTail.Describe(Options.LogFilePath, tail) : message)
        {
            ProcessId = pid,
            Port = port ?? Options.Port,
            LogFilePath = Options.LogFilePath,
            LogTail = tail,
        };
    }

    private Uri BaseAddress(int port) => (Options with { Port = port }).BaseAddress;

    private static string Version(ProxyHealthReport report) => report.Version is null ? string.Empty : $", LiteLLM {report.Version}";

    private string Redact(string line) =>
        string.IsNullOrEmpty(Options.MasterKey) ? line : line.Replace(Options.MasterKey, "***", StringComparison.Ordinal);

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}
