using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Kait.Sdk.IO;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kait.Sdk.Hosting;

/// <summary>
/// The calls behind <c>kait proxy start|stop|status|logs|run</c>. <c>start</c> relaunches a given command (the CLI's own
/// <c>kait proxy run</c>) detached under <c>setsid</c> with its output appended to the log, records its pid and port in
/// <c>$KAIT_HOME/run/litellm.json</c> and waits until the proxy is ready; <c>stop</c> sends that process SIGTERM (it stops its
/// child) and kills it after the grace period; <c>status</c> is healthy only while the proxy answers; <c>run</c> supervises
/// the proxy in the foreground until SIGTERM/SIGINT. Each returns a <see cref="ProxyCommandResult"/>: print its message, exit with its code.
/// </summary>
internal sealed class ProxyControl
{
    // umask 077: whatever the supervisor and the proxy create is private too.
    private const string DetachScript = "umask 077; log=$1; shift; exec \"$@\" >>\"$log\" 2>&1 </dev/null";

    /// <summary>Set by <c>start</c> in the supervisor's environment and written into the run record: tells its own record from another's.</summary>
    internal const string StartTokenVariable = "KAIT_PROXY_START_TOKEN";

    private readonly ILoggerFactory loggers;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly Func<string, string?> environment;

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
        loggers = loggerFactory ?? NullLoggerFactory.Instance;
        logger = loggers.CreateLogger<ProxyControl>();
        time = timeProvider ?? TimeProvider.System;
        this.environment = environment ?? Environment.GetEnvironmentVariable;
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
    /// records it, and waits until the proxy is ready. It holds <c>$KAIT_HOME/run/litellm.lock</c> while it checks and
    /// launches, and the supervisor takes it over for its life: a second start says the proxy is already running.
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
        var probe = new ProxyHealthProbe(http, Options.HealthRequestTimeout, time);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        Process process;
        bool detached;
        ProxyLock? held;
        try
        {
            PrivateFiles.EnsurePrivateDirectory(Options.KaitHome);
            PrivateFiles.EnsurePrivateDirectory(Path.GetDirectoryName(Options.LogFilePath)!);
            PrivateFiles.EnsurePrivateFile(Options.LogFilePath); // the detached shell appends to it: it must exist, 0600, and be no link
            held = ProxyLock.TryAcquire(LockPath, ProxyLock.StartRole);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Result(ProxyOutcome.Failed, $"Cannot prepare Kait's files in {Options.KaitHome}: {ex.Message}");
        }

        using (held)
        {
            if (held is null)
            {
                return await AlreadyRunningAsync(probe, cancellationToken).ConfigureAwait(false);
            }

            var existing = ProxyRunRecord.Read(Options.RunRecordPath);
            if (existing is not null)
            {
                if (existing.Check().Status == ProcessStatus.Running)
                {
                    return await DescribeRunningAsync(probe, existing, cancellationToken).ConfigureAwait(false);
                }

                ProxyRunRecord.Delete(Options.RunRecordPath);
            }

            var current = await probe.ProbeAsync(Options.BaseAddress, cancellationToken).ConfigureAwait(false);
            if (current.Ready)
            {
                return Result(ProxyOutcome.AlreadyRunning, $"A healthy LiteLLM proxy that Kait did not start already serves port {Num(Options.Port)}; left alone.");
            }

            if (current.PortInUse)
            {
                return Result(ProxyOutcome.Failed, $"Port {Num(Options.Port)} is taken by another program ({current.Detail}); set KAIT_LITELLM_PORT to a free port.", withTail: true);
            }

            var setsid = UseSetsid == false ? null : FindOnPath("setsid");
            detached = setsid is not null;
            var info = new ProcessStartInfo(setsid ?? "/bin/sh") { UseShellExecute = false };
            if (setsid is not null)
            {
                info.ArgumentList.Add("/bin/sh");
            }

            foreach (var part in (string[])["-c", DetachScript, "kait-proxy", Options.LogFilePath, executable, .. arguments])
            {
                info.ArgumentList.Add(part);
            }

            // The relaunched process inherits this environment; these make it use the caller's settings (the key through the environment, never the command line).
            info.Environment["KAIT_HOME"] = Options.KaitHome;
            info.Environment["KAIT_LITELLM_PORT"] = Num(Options.Port);
            info.Environment["KAIT_CONFIG"] = Options.ConfigPath;
            info.Environment["KAIT_PYTHON"] = Options.PythonExecutable;
            info.Environment[StartTokenVariable] = token;
            if (!string.IsNullOrEmpty(Options.MasterKey))
            {
                info.Environment["KAIT_LITELLM_MASTER_KEY"] = Options.MasterKey;
            }

            Options.ApplyEnvironmentVariables(info);

            try
            {
                process = Process.Start(info) ?? throw new Win32Exception("no process");
            }
            catch (Win32Exception ex)
            {
                return Result(ProxyOutcome.Failed, $"Could not launch '{executable}' in the background: {ex.Message}.", withTail: true);
            }

            // The launcher execs into the command in place (same pid and start time), so the record names the command it becomes.
            var launched = Posix.Identity(process.Id);
            try
            {
                new ProxyRunRecord(process.Id, Options.Port, Options.LogFilePath, time.GetUtcNow(), detached, launched?.StartTime, ProxyRunRecord.Launched, string.Join(' ', [executable, .. arguments]), token)
                    .Write(Options.RunRecordPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Untracked, it could never be stopped: take it back at once.
                process.Kill(entireProcessTree: true);
                process.Dispose();
                return Result(ProxyOutcome.Failed, $"Cannot write the run record {Options.RunRecordPath}: {ex.Message}; the background proxy was stopped again.");
            }
        }

        using (process)
        {
            var pid = process.Id;
            var launchedMessage = $"Launched the LiteLLM supervisor in the background (pid {Num(pid)}{(detached ? string.Empty : ", no setsid")}); waiting for port {Num(Options.Port)}";
            ProxyLog.Info(logger, launchedMessage);

            var timeout = StartTimeout ?? Options.ReadinessTimeout + TimeSpan.FromSeconds(15);
            var started = time.GetTimestamp();
            var last = "no answer yet";
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var report = await probe.ProbeAsync(Options.BaseAddress, cancellationToken).ConfigureAwait(false);
                var latest = ProxyRunRecord.Read(Options.RunRecordPath);
                var mine = latest is not null && latest.Token == token;
                // A supervisor (`run`) that took the record over must have seen readiness itself; a plain command is done when the port is ready.
                if (report.Ready && mine && latest!.State != ProxyRunRecord.Starting)
                {
                    return Result(ProxyOutcome.Ok, $"LiteLLM proxy started in the background (pid {Num(latest.Pid)}) and ready on port {Num(Options.Port)}. Log: {Options.LogFilePath}", latest.Pid, Options.Port);
                }

                last = report.Detail;
                if (process.HasExited)
                {
                    // setsid forks (and exits 0) only when it leads a process group; the supervisor then records its own pid.
                    var forked = process.ExitCode == 0 && mine && latest!.Pid != pid && latest.Check().Status == ProcessStatus.Running;
                    if (!forked)
                    {
                        ProxyRunRecord.Delete(Options.RunRecordPath, onlyToken: token);
                        if (ProxyLock.Holder(LockPath) is { Role: ProxyLock.SupervisorRole } holder && holder.Pid != pid)
                        {
                            // Another supervisor got the lock first: this start's supervisor stepped back.
                            return Result(ProxyOutcome.AlreadyRunning, $"The LiteLLM proxy is already running (pid {Num(holder.Pid)}, port {Num(Options.Port)}); this start launched nothing that stays.", holder.Pid, Options.Port);
                        }

                        return Result(ProxyOutcome.Failed, $"The background proxy ({executable} {string.Join(' ', arguments)}) exited with code {Num(process.ExitCode)} before it was ready on port {Num(Options.Port)}.", pid, withTail: true);
                    }
                }

                if (time.GetElapsedTime(started) >= timeout)
                {
                    if (mine)
                    {
                        await StopAsync(cancellationToken).ConfigureAwait(false);
                    }

                    return Result(ProxyOutcome.TimedOut, $"The LiteLLM proxy was not ready on port {Num(Options.Port)} within {timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s (last: {last}); it was stopped again.", pid, withTail: true);
                }

                await Task.Delay(Options.HealthPollInterval, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// <c>kait proxy stop</c>: SIGTERM to the recorded process (it stops its proxy), then a kill after the grace period. Nothing
    /// is signalled unless the live process is still the recorded one (same pid, start time and command line); a record that
    /// names another program is stale and removed. A proxy Kait did not start is left alone.
    /// </summary>
    /// <param name="cancellationToken">Cut the wait short (kill at once).</param>
    public async Task<ProxyCommandResult> StopAsync(CancellationToken cancellationToken = default)
    {
        var record = ProxyRunRecord.Read(Options.RunRecordPath);
        if (record is null)
        {
            return Result(ProxyOutcome.Ok, $"No LiteLLM proxy started by Kait is running (no {Options.RunRecordPath}); nothing to stop.");
        }

        var check = record.Check();
        if (check.Status == ProcessStatus.Exited)
        {
            ProxyRunRecord.Delete(Options.RunRecordPath);
            return Result(ProxyOutcome.Ok, $"The LiteLLM proxy (pid {Num(record.Pid)}) was not running; removed its stale record.", record.Pid, record.Port);
        }

        if (check.Status == ProcessStatus.Replaced)
        {
            ProxyRunRecord.Delete(Options.RunRecordPath);
            return Result(ProxyOutcome.Ok, $"The run record {Options.RunRecordPath} was stale ({check.Reason}); removed it. Nothing was signalled.", record.Pid, record.Port);
        }

        if (OperatingSystem.IsWindows())
        {
            return Result(ProxyOutcome.Failed, "Stopping a detached proxy needs Linux or macOS.");
        }

        Posix.Signal(record.Pid, Posix.SIGTERM);
        // The supervisor gives its child the grace period too.
        var grace = Options.StopGracePeriod + Options.StopGracePeriod + TimeSpan.FromSeconds(2);
        var exited = await WaitForExitAsync(record, grace, cancellationToken).ConfigureAwait(false);
        var killed = false;
        if (!exited)
        {
            killed = true;
            // Checked again: the group is killed only while its (recorded) leader still runs, so its id cannot be reused.
            if (record.Check().Status == ProcessStatus.Running && (!record.ProcessGroup || !Posix.Signal(-record.Pid, Posix.SIGKILL)))
            {
                Posix.Signal(record.Pid, Posix.SIGKILL);
            }

            exited = await WaitForExitAsync(record, TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
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

    /// <summary><c>kait proxy status</c>: <see cref="ProxyOutcome.Ok"/> only while the proxy answers its readiness check as LiteLLM.</summary>
    /// <param name="cancellationToken">Abandons the probe.</param>
    public async Task<ProxyCommandResult> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient();
        var probe = new ProxyHealthProbe(http, Options.HealthRequestTimeout, time);
        var record = ProxyRunRecord.Read(Options.RunRecordPath);
        if (record is null)
        {
            var external = await probe.ProbeAsync(Options.BaseAddress, cancellationToken).ConfigureAwait(false);
            if (external.Ready)
            {
                return Result(ProxyOutcome.Ok, $"A LiteLLM proxy not started by Kait is healthy on port {Num(Options.Port)}{Version(external)}.");
            }

            return external.PortInUse && (external.Foreign || !external.Alive)
                ? Result(ProxyOutcome.NotRunning, $"The LiteLLM proxy is not running: port {Num(Options.Port)} is taken by another program ({external.Detail}).")
                : Result(ProxyOutcome.NotRunning, $"The LiteLLM proxy is not running (port {Num(Options.Port)}).");
        }

        var check = record.Check();
        if (check.Status == ProcessStatus.Exited)
        {
            return Result(ProxyOutcome.NotRunning, $"The LiteLLM proxy is not running: its process (pid {Num(record.Pid)}) has exited.", record.Pid, record.Port, withTail: true);
        }

        if (check.Status == ProcessStatus.Replaced)
        {
            return Result(ProxyOutcome.NotRunning, $"The LiteLLM proxy is not running: its run record is stale ({check.Reason}).", record.Pid, record.Port);
        }

        var report = await probe.ProbeAsync(BaseAddress(record.Port), cancellationToken).ConfigureAwait(false);
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
        await foreach (var line in LogTail.FollowAsync(Options.LogFilePath, initialLines, Options.HealthPollInterval, time, cancellationToken).ConfigureAwait(false))
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
        var self = Environment.ProcessId;
        var token = environment(StartTokenVariable);
        ProxyLock? held;
        try
        {
            PrivateFiles.EnsurePrivateDirectory(Options.KaitHome);
            // Launched by `start`, which holds the lock until it has written the record: wait for it to let go.
            held = token is null
                ? ProxyLock.TryAcquire(LockPath, ProxyLock.SupervisorRole)
                : await ProxyLock.AcquireAsync(LockPath, ProxyLock.SupervisorRole, TimeSpan.FromSeconds(10), time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Result(ProxyOutcome.Failed, $"Cannot prepare Kait's files in {Options.KaitHome}: {ex.Message}");
        }

        if (held is null)
        {
            var holder = ProxyLock.Holder(LockPath)?.Pid ?? 0;
            return Result(ProxyOutcome.AlreadyRunning, $"The LiteLLM proxy is already running (pid {Num(holder)}); not starting a second supervisor.", holder);
        }

        using (held)
        {
            var existing = ProxyRunRecord.Read(Options.RunRecordPath);
            if (existing is not null && existing.Pid != self && (token is null || existing.Token != token) && existing.Check().Status == ProcessStatus.Running)
            {
                return Result(ProxyOutcome.AlreadyRunning, $"A LiteLLM proxy started by Kait already runs (pid {Num(existing.Pid)}, port {Num(existing.Port)}).", existing.Pid, existing.Port);
            }

            return await SuperviseAsync(self, token, handleSignals, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ProxyCommandResult> SuperviseAsync(int self, string? token, bool handleSignals, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var registrations = new List<PosixSignalRegistration>();
        if (handleSignals)
        {
            foreach (var signal in (PosixSignal[])[PosixSignal.SIGTERM, PosixSignal.SIGINT])
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
        var service = new LiteLlmProxyService(options, loggers.CreateLogger<LiteLlmProxyService>(), time);
        try
        {
            var identity = Posix.Identity(self);
            var record = new ProxyRunRecord(self, options.Port, options.LogFilePath, time.GetUtcNow(), Posix.ProcessGroup() == self, identity?.StartTime, ProxyRunRecord.Starting, identity?.Command, token);
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
        var started = time.GetTimestamp();
        while (record.Check().Status == ProcessStatus.Running)
        {
            if (time.GetElapsedTime(started) >= timeout || cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), time, CancellationToken.None).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>A start that found the lock taken: a supervisor runs, or another start is launching one.</summary>
    private async Task<ProxyCommandResult> AlreadyRunningAsync(ProxyHealthProbe probe, CancellationToken cancellationToken)
    {
        var record = ProxyRunRecord.Read(Options.RunRecordPath);
        if (record is not null && record.Check().Status == ProcessStatus.Running)
        {
            return await DescribeRunningAsync(probe, record, cancellationToken).ConfigureAwait(false);
        }

        var holder = ProxyLock.Holder(LockPath);
        var pid = holder?.Pid ?? 0;
        return holder?.Role == ProxyLock.StartRole
            ? Result(ProxyOutcome.AlreadyRunning, $"The LiteLLM proxy is already running or starting: another 'kait proxy start' (pid {Num(pid)}) is launching it. See 'kait proxy status'.", pid)
            : Result(ProxyOutcome.AlreadyRunning, $"The LiteLLM proxy is already running (pid {Num(pid)}, port {Num(Options.Port)}).", pid);
    }

    private async Task<ProxyCommandResult> DescribeRunningAsync(ProxyHealthProbe probe, ProxyRunRecord record, CancellationToken cancellationToken)
    {
        var report = await probe.ProbeAsync(BaseAddress(record.Port), cancellationToken).ConfigureAwait(false);
        if (report.Ready)
        {
            return Result(ProxyOutcome.AlreadyRunning, $"The LiteLLM proxy is already running (pid {Num(record.Pid)}, port {Num(record.Port)}).", record.Pid, record.Port);
        }

        return record.State == ProxyRunRecord.Running
            ? Result(ProxyOutcome.Unhealthy, $"The LiteLLM proxy was already started (pid {Num(record.Pid)}, port {Num(record.Port)}) but is not ready ({report.Detail}); try 'kait proxy stop' first.", record.Pid, record.Port, withTail: true)
            : Result(ProxyOutcome.AlreadyRunning, $"The LiteLLM proxy is already running (pid {Num(record.Pid)}, port {Num(record.Port)}) and still starting; see 'kait proxy status'.", record.Pid, record.Port);
    }

    private string? FindOnPath(string name)
    {
        var path = environment("PATH");
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private ProxyCommandResult Result(ProxyOutcome outcome, string message, int? pid = null, int? port = null, bool withTail = false)
    {
        var tail = withTail ? ReadLogTail(Options.FailureLogLines) : [];
        return new ProxyCommandResult(outcome, withTail ? message + LogTail.Describe(Options.LogFilePath, tail) : message)
        {
            ProcessId = pid,
            Port = port ?? Options.Port,
            LogFilePath = Options.LogFilePath,
            LogTail = tail,
        };
    }

    private string LockPath => Path.Combine(Path.GetDirectoryName(Options.RunRecordPath)!, "litellm.lock");

    private Uri BaseAddress(int port) => (Options with { Port = port }).BaseAddress;

    private static string Version(ProxyHealthReport report) => report.Version is null ? string.Empty : $", LiteLLM {report.Version}";

    private string Redact(string line) =>
        string.IsNullOrEmpty(Options.MasterKey) ? line : line.Replace(Options.MasterKey, "***", StringComparison.Ordinal);

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}
