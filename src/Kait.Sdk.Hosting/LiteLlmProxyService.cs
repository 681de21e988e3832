using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kait.Sdk.Hosting;

/// <summary>
/// Runs and supervises a LiteLLM proxy (<c>python -m litellm --config … --port …</c>): waits for
/// <c>/health/liveliness</c> then <c>/health/readiness</c>, appends its output to a size-rotated
/// <c>$KAIT_HOME/logs/litellm.log</c>, restarts it after a crash with bounded exponential backoff, and stops it
/// with SIGTERM (then a kill after the grace period). A healthy proxy that already serves the port is left alone.
/// A generic-host <see cref="IHostedService"/>; usable on its own through <see cref="StartAsync"/> / <see cref="StopAsync"/>.
/// </summary>
public sealed class LiteLlmProxyService : IHostedService, IAsyncDisposable, IDisposable
{
    /// <summary>
    /// The proxy's parent on Unix: runs the command in the background and waits for it, passing SIGTERM/SIGINT/SIGHUP on.
    /// Its standard input is a pipe whose other end only this process holds: when this process ends, however it ends, the
    /// pipe closes and the watcher sends the proxy SIGTERM, then SIGKILL after the grace period ($1). Being the proxy's
    /// parent, it never signals a reused pid while the proxy is unreaped.
    /// </summary>
    private const string WatchdogScript = """
        grace=$1; shift
        exec 3<&0 </dev/null
        "$@" 3<&- &
        child=$!
        stopping=0
        trap 'stopping=1; kill -TERM "$child" 2>/dev/null' TERM INT HUP
        ( read -r _ || :; kill -TERM "$child" 2>/dev/null; sleep "$grace"; kill -KILL "$child" 2>/dev/null ) <&3 3<&- >/dev/null 2>&1 &
        watcher=$!
        exec 3<&-
        while :; do
          stopping=0
          wait "$child"
          code=$?
          [ "$stopping" = 1 ] || break
        done
        kill "$watcher" 2>/dev/null
        exit "$code"
        """;

    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly HttpClient http;
    private readonly bool ownsHttp;
    private readonly ProxyHealthProbe probe;
    private readonly RestartPolicy restarts;
    private readonly Lock gate = new();
    private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RotatingLogWriter? log;
    private CancellationTokenSource? supervision;
    private Task? supervisor;
    private Process? process;
    private volatile LiteLlmProxyState state;
    private bool started;
    private int disposed;

    /// <summary>Creates the service.</summary>
    /// <param name="options">The settings, e.g. <see cref="LiteLlmProxyOptions.From"/>.</param>
    /// <param name="logger">Where events go; none by default.</param>
    /// <param name="timeProvider">The clock for deadlines and delays; <see cref="TimeProvider.System"/> by default.</param>
    /// <param name="httpClient">The client for health probes; a private one by default.</param>
    public LiteLlmProxyService(
        LiteLlmProxyOptions options,
        ILogger<LiteLlmProxyService>? logger = null,
        TimeProvider? timeProvider = null,
        HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        time = timeProvider ?? TimeProvider.System;
        ownsHttp = httpClient is null;
        http = httpClient ?? new HttpClient();
        probe = new ProxyHealthProbe(http, options.HealthRequestTimeout, time);
        restarts = new RestartPolicy(options.RestartInitialDelay, options.RestartMaxDelay, options.MaxRestartsInWindow, options.RestartWindow, time);
    }

    /// <summary>The settings in use.</summary>
    public LiteLlmProxyOptions Options { get; }

    /// <summary>Where the service stands.</summary>
    public LiteLlmProxyState State => state;

    /// <summary>The pid of the proxy this service started, while it runs (on Unix, of the watchdog shell that is the proxy's parent).</summary>
    public int? ProcessId
    {
        get
        {
            lock (gate)
            {
                try
                {
                    return process is { HasExited: false } p ? p.Id : null;
                }
                catch (InvalidOperationException)
                {
                    return null;
                }
            }
        }
    }

    /// <summary>How many times the proxy was restarted after a crash.</summary>
    public int RestartCount { get; private set; }

    /// <summary>The last failure's message (names the log and quotes its last lines), if any.</summary>
    public string? LastError { get; private set; }

    /// <summary>Completes when supervision ends: after <see cref="StopAsync"/>, or when the proxy crashed too often (<see cref="State"/> is then <see cref="LiteLlmProxyState.Failed"/>).</summary>
    public Task Completion => completion.Task;

    /// <summary>
    /// Starts the proxy and returns once it is ready; returns at once when disabled or when a healthy proxy already serves the port.
    /// </summary>
    /// <param name="cancellationToken">Abandons the start (the proxy is then stopped).</param>
    /// <exception cref="LiteLlmProxyException">It could not be started or was not ready in time; the message names the log and quotes its last lines.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (started)
            {
                return;
            }

            started = true;
        }

        if (!Options.Enabled)
        {
            state = LiteLlmProxyState.Disabled;
            ProxyLog.Disabled(logger);
            completion.TrySetResult();
            return;
        }

        try
        {
            Kait.Sdk.IO.PrivateFiles.EnsurePrivateDirectory(Options.KaitHome);
            log = new RotatingLogWriter(Options.LogFilePath, Options.LogMaxBytes, Options.LogBackupCount, Redact);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var failure = new LiteLlmProxyException($"Cannot write the LiteLLM proxy's log {Options.LogFilePath}: {ex.Message}", ex) { LogFilePath = Options.LogFilePath };
            state = LiteLlmProxyState.Failed;
            LastError = failure.Message;
            ProxyLog.Failed(logger, failure.Message);
            completion.TrySetResult();
            throw failure;
        }

        state = LiteLlmProxyState.Starting;

        var existing = await probe.ProbeAsync(Options.BaseAddress, cancellationToken).ConfigureAwait(false);
        if (existing.PortInUse)
        {
            await AdoptExistingAsync(existing, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await LaunchAndWaitReadyAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is LiteLlmProxyException or OperationCanceledException)
        {
            await TerminateAsync(CancellationToken.None).ConfigureAwait(false);
            state = LiteLlmProxyState.Failed;
            LastError = ex.Message;
            if (ex is LiteLlmProxyException)
            {
                ProxyLog.Failed(logger, ex.Message);
            }

            completion.TrySetResult();
            throw;
        }

        state = LiteLlmProxyState.Running;
        supervision = new CancellationTokenSource();
        supervisor = Task.Run(() => SuperviseAsync(supervision.Token), CancellationToken.None);
    }

    /// <summary>Stops the proxy this service started: SIGTERM, then a kill after <see cref="LiteLlmProxyOptions.StopGracePeriod"/>. A proxy it did not start is left running.</summary>
    /// <param name="cancellationToken">Cut the grace period short: kill at once.</param>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref disposed) != 0)
        {
            return;
        }

        if (supervision is not null)
        {
            await supervision.CancelAsync().ConfigureAwait(false);
        }

        if (supervisor is not null)
        {
            try
            {
                await supervisor.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await TerminateAsync(cancellationToken).ConfigureAwait(false);
        if (state is not (LiteLlmProxyState.Failed or LiteLlmProxyState.Disabled))
        {
            state = LiteLlmProxyState.Stopped;
        }

        completion.TrySetResult();
    }

    /// <summary>Looks at the proxy's health routes now.</summary>
    /// <param name="cancellationToken">Abandons the probe.</param>
    internal Task<ProxyHealthReport> ProbeAsync(CancellationToken cancellationToken = default) =>
        probe.ProbeAsync(Options.BaseAddress, cancellationToken);

    /// <summary>The log's last lines (the master key masked).</summary>
    /// <param name="lines">How many.</param>
    public IReadOnlyList<string> ReadLogTail(int lines = 20) =>
        LogTail.ReadLastLines(Options.LogFilePath, lines).Select(Redact).ToList();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref disposed) == 0)
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        Dispose();
    }

    /// <summary>Releases the log and the HTTP client; does not stop the proxy (use <see cref="StopAsync"/> or <see cref="DisposeAsync"/>).</summary>
    public void Dispose()
    {
        // A container may dispose one instance twice (registered as itself and as a hosted service).
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        supervision?.Dispose();
        log?.Dispose();
        if (ownsHttp)
        {
            http.Dispose();
        }

        lock (gate)
        {
            if (process is { HasExited: true })
            {
                process.Dispose();
                process = null;
            }
        }
    }

    private async Task AdoptExistingAsync(ProxyHealthReport report, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (!report.Ready)
        {
            if (!report.Alive || report.Foreign)
            {
                // Not LiteLLM: it is never taken for the proxy, so the application never sends it the master key.
                throw FailExisting($"Port {Options.Port} is taken by another program, not a LiteLLM proxy ({report.Detail}); set KAIT_LITELLM_PORT to a free port.");
            }

            if (time.GetElapsedTime(started) >= Options.ReadinessTimeout)
            {
                throw FailExisting($"A LiteLLM proxy that Kait did not start serves port {Options.Port} but was not ready within {Options.ReadinessTimeout.TotalSeconds:0.#} s ({report.Detail}).");
            }

            await Task.Delay(Options.HealthPollInterval, time, cancellationToken).ConfigureAwait(false);
            report = await probe.ProbeAsync(Options.BaseAddress, cancellationToken).ConfigureAwait(false);
        }

        state = LiteLlmProxyState.External;
        ProxyLog.External(logger, Options.Port);
        log?.WriteEvent($"a healthy proxy already serves port {Options.Port.ToString(CultureInfo.InvariantCulture)}; left alone", time);
    }

    private LiteLlmProxyException FailExisting(string message)
    {
        var failure = Failure(message);
        state = LiteLlmProxyState.Failed;
        LastError = failure.Message;
        ProxyLog.Failed(logger, failure.Message);
        completion.TrySetResult();
        return failure;
    }

    private async Task LaunchAndWaitReadyAsync(CancellationToken cancellationToken)
    {
        var process = Launch();
        var started = time.GetTimestamp();
        var alive = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                throw Failure($"The LiteLLM proxy ({Describe()}) exited with code {process.ExitCode.ToString(CultureInfo.InvariantCulture)} before it was ready on port {Options.Port.ToString(CultureInfo.InvariantCulture)}.");
            }

            var report = await probe.ProbeAsync(Options.BaseAddress, cancellationToken).ConfigureAwait(false);
            alive |= report.Alive;
            var last = report.Detail;
            if (report.Ready)
            {
                var elapsedMs = (long)time.GetElapsedTime(started).TotalMilliseconds;
                ProxyLog.Ready(logger, Options.Port, process.Id, elapsedMs);
                log?.WriteEvent($"proxy ready on port {Options.Port.ToString(CultureInfo.InvariantCulture)} (pid {process.Id.ToString(CultureInfo.InvariantCulture)})", time);
                return;
            }

            if (time.GetElapsedTime(started) >= Options.ReadinessTimeout)
            {
                var stage = alive ? "/health/liveliness answered but /health/readiness did not" : "/health/liveliness never answered";
                throw Failure($"The LiteLLM proxy ({Describe()}) was not ready on port {Options.Port.ToString(CultureInfo.InvariantCulture)} within {Options.ReadinessTimeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s: {stage} (last: {last}).");
            }

            await Task.Delay(Options.HealthPollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private Process Launch()
    {
        var executable = Options.GetEffectiveExecutable();
        var arguments = Options.GetEffectiveArguments();
        ProcessStartInfo info;
        if (OperatingSystem.IsWindows())
        {
            info = new ProcessStartInfo(executable);
        }
        else
        {
            if (FindExecutable(executable) is null)
            {
                throw Failure($"Could not start the LiteLLM proxy '{executable}': no such program. Install it with scripts/install_litellm.sh and set KAIT_PYTHON.");
            }

            // Through the watchdog shell: if this process dies, even by SIGKILL, the proxy goes with it.
            info = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true };
            var grace = Math.Max(1, (int)Math.Ceiling(Options.StopGracePeriod.TotalSeconds));
            foreach (var part in (string[])["-c", WatchdogScript, "kait-proxy-watchdog", grace.ToString(CultureInfo.InvariantCulture), executable])
            {
                info.ArgumentList.Add(part);
            }
        }

        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["LITELLM_LOCAL_MODEL_COST_MAP"] = "True";
        if (!string.IsNullOrEmpty(Options.MasterKey))
        {
            info.Environment["LITELLM_MASTER_KEY"] = Options.MasterKey;
        }

        Options.ApplyEnvironmentVariables(info);

        var joined = string.Join(' ', arguments);
        ProxyLog.Starting(logger, executable, joined, Options.Port, Options.LogFilePath);
        this.log?.WriteEvent($"starting {Describe()} on port {Options.Port.ToString(CultureInfo.InvariantCulture)}", time);

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var log = this.log;
        process.OutputDataReceived += (_, e) => log?.WriteLine(e.Data);
        process.ErrorDataReceived += (_, e) => log?.WriteLine(e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw Failure($"Could not start the LiteLLM proxy '{executable}': {ex.Message}. Install it with scripts/install_litellm.sh and set KAIT_PYTHON.", ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (gate)
        {
            this.process = process;
        }

        this.log?.WriteEvent($"proxy pid {process.Id.ToString(CultureInfo.InvariantCulture)}", time);
        return process;
    }

    private async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                Process process;
                lock (gate)
                {
                    process = this.process!;
                }

                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                var pid = process.Id;
                var code = process.ExitCode;
                ProxyLog.Crashed(logger, pid, code, Options.LogFilePath);
                log?.WriteEvent($"proxy (pid {pid.ToString(CultureInfo.InvariantCulture)}) exited with code {code.ToString(CultureInfo.InvariantCulture)}", time);

                if (!restarts.TryNext(out var delay))
                {
                    var failure = Failure($"The LiteLLM proxy crashed {(Options.MaxRestartsInWindow + 1).ToString(CultureInfo.InvariantCulture)} times within {Options.RestartWindow.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min (last exit code {code.ToString(CultureInfo.InvariantCulture)}); not restarting it again.");
                    state = LiteLlmProxyState.Failed;
                    LastError = failure.Message;
                    ProxyLog.Failed(logger, failure.Message);
                    log?.WriteEvent("giving up after too many crashes", time);
                    completion.TrySetResult();
                    return;
                }

                state = LiteLlmProxyState.Restarting;
                RestartCount++;
                var inWindow = restarts.RestartsInWindow;
                ProxyLog.Restarting(logger, (long)delay.TotalMilliseconds, inWindow, Options.MaxRestartsInWindow);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                try
                {
                    await LaunchAndWaitReadyAsync(cancellationToken).ConfigureAwait(false);
                    state = LiteLlmProxyState.Running;
                }
                catch (LiteLlmProxyException ex)
                {
                    LastError = ex.Message;
                    ProxyLog.Failed(logger, ex.Message);
                    await TerminateAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task TerminateAsync(CancellationToken cancellationToken)
    {
        Process? process;
        lock (gate)
        {
            process = this.process;
        }

        if (process is null)
        {
            return;
        }

        int pid;
        try
        {
            if (process.HasExited)
            {
                return;
            }

            pid = process.Id;
        }
        catch (InvalidOperationException)
        {
            return;
        }

        ProxyLog.Stopping(logger, pid, (long)Options.StopGracePeriod.TotalMilliseconds);
        log?.WriteEvent($"stopping proxy (pid {pid.ToString(CultureInfo.InvariantCulture)}): SIGTERM", time);
        if (!Posix.Signal(pid, Posix.SIGTERM))
        {
            KillTree(process);
        }

        using (var grace = new CancellationTokenSource(Options.StopGracePeriod, time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(grace.Token, cancellationToken))
        {
            try
            {
                await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                ProxyLog.Killed(logger, pid);
                log?.WriteEvent($"proxy (pid {pid.ToString(CultureInfo.InvariantCulture)}) ignored SIGTERM; killed", time);
                KillTree(process);
            }
        }

        using (var drain = new CancellationTokenSource(TimeSpan.FromSeconds(5), time))
        {
            try
            {
                await process.WaitForExitAsync(drain.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        if (process.HasExited)
        {
            ProxyLog.Stopped(logger, pid, process.ExitCode);
            log?.WriteEvent($"proxy (pid {pid.ToString(CultureInfo.InvariantCulture)}) stopped with code {process.ExitCode.ToString(CultureInfo.InvariantCulture)}", time);
        }
    }

    /// <summary>The file <paramref name="executable"/> runs (a path, or a name looked up on <c>PATH</c>), if it exists.</summary>
    private static string? FindExecutable(string executable)
    {
        if (executable.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(executable) ? executable : null;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, executable);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        catch (Win32Exception)
        {
        }
    }

    private LiteLlmProxyException Failure(string message, Exception? inner = null)
    {
        var tail = ReadLogTail(Options.FailureLogLines);
        return new LiteLlmProxyException(message + LogTail.Describe(Options.LogFilePath, tail), inner)
        {
            LogFilePath = Options.LogFilePath,
            LogTail = tail,
        };
    }

    private string Describe() => $"{Options.GetEffectiveExecutable()} {string.Join(' ', Options.GetEffectiveArguments())}";

    private string Redact(string line) =>
        string.IsNullOrEmpty(Options.MasterKey) ? line : line.Replace(Options.MasterKey, "***", StringComparison.Ordinal);
}
