using System.Diagnostics;
using Kait.Sdk.Hosting;

namespace Kait.Sdk.Proxy.Tests;

/// <summary>
/// The proxy's processes under faults: a run record that names a reused pid, two starts at once, a supervisor killed with
/// SIGKILL, and another program on the proxy's port.
/// </summary>
public sealed class ProcessSafetyTests
{
    private static string SupervisorDll => FakeLitellm.SupervisorDll;

    private static ProxyControl SupervisedControl(TempHome home, int port, string starts)
    {
        var options = new LiteLlmProxyOptions
        {
            KaitHome = home.File("kait"),
            Port = port,
            PythonExecutable = StandIn.Python,
            ConfigPath = home.File("litellm_config.yaml"),
            HealthPollInterval = TimeSpan.FromMilliseconds(50),
            StopGracePeriod = TimeSpan.FromSeconds(3),
        };
        options.EnvironmentVariables["PYTHONPATH"] = FakeLitellm.Package(home);
        options.EnvironmentVariables["STANDIN_ARGS"] = $"--starts-file {starts}";
        return new ProxyControl(options) { StartTimeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Field 22 of /proc/PID/stat: the real start time, so only the command line tells the processes apart.</summary>
    private static string StartTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19];
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Stop_never_signals_an_unrelated_process_that_got_the_recorded_pid(bool recordSaysWhichProgram)
    {
        using var home = new TempHome();
        var port = Net.FreePort();
        var control = new ProxyControl(StandIn.Options(home.Path, port));
        using var unrelated = Process.Start(new ProcessStartInfo("sleep", "60"))!;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(control.Options.RunRecordPath)!);
            var identity = recordSaysWhichProgram
                ? $", \"startTime\": {StartTicks(unrelated.Id)}, \"command\": \"/usr/local/bin/kait proxy run\""
                : string.Empty;
            await File.WriteAllTextAsync(control.Options.RunRecordPath, $"{{\"pid\": {unrelated.Id}, \"port\": {port}, \"log\": \"x\", \"processGroup\": true, \"state\": \"running\"{identity}}}");

            var status = await control.GetStatusAsync();
            var stop = await control.StopAsync();

            Assert.Equal(ProxyOutcome.NotRunning, status.Outcome);
            Assert.Equal(ProxyOutcome.Ok, stop.Outcome);
            Assert.Contains("stale", stop.Message);
            Assert.Contains("Nothing was signalled", stop.Message);
            Assert.False(File.Exists(control.Options.RunRecordPath));
            await Task.Delay(300);
            Assert.False(unrelated.HasExited, "the unrelated process must not be signalled");
        }
        finally
        {
            unrelated.Kill();
            await unrelated.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Two_concurrent_starts_launch_one_supervisor_and_the_other_says_already_running()
    {
        using var home = new TempHome();
        var port = Net.FreePort();
        var starts = home.File("starts.txt");
        var first = SupervisedControl(home, port, starts);
        var second = SupervisedControl(home, port, starts);
        try
        {
            var results = await Task.WhenAll(
                first.StartDetachedAsync("dotnet", [SupervisorDll]),
                second.StartDetachedAsync("dotnet", [SupervisorDll]));

            var ok = Assert.Single(results, r => r.Outcome == ProxyOutcome.Ok);
            var other = Assert.Single(results, r => r.Outcome != ProxyOutcome.Ok);
            Assert.True(other.Outcome == ProxyOutcome.AlreadyRunning, other.Message);
            Assert.Contains("already running", other.Message);

            Assert.Single(File.ReadAllLines(starts)); // one proxy, so one supervisor
            var lockFile = Path.Combine(home.File("kait"), "run", "litellm.lock");
            var holder = ProxyLock.Holder(lockFile);
            Assert.Equal(ok.ProcessId, holder?.Pid);
            Assert.Equal(ProxyLock.SupervisorRole, holder?.Role);

            var third = await SupervisedControl(home, port, starts).StartDetachedAsync("dotnet", [SupervisorDll]);
            Assert.Equal(ProxyOutcome.AlreadyRunning, third.Outcome);
            Assert.Contains($"already running (pid {ok.ProcessId}", third.Message);
        }
        finally
        {
            await first.StopAsync();
        }
    }

    [Fact]
    public async Task A_second_foreground_supervisor_says_already_running_and_starts_nothing()
    {
        using var home = new TempHome();
        var port = Net.FreePort();
        var starts = home.File("starts.txt");
        var options = StandIn.Options(home.Path, port, "--starts-file", starts) with { StopGracePeriod = TimeSpan.FromSeconds(3) };
        var control = new ProxyControl(options);
        using var cts = new CancellationTokenSource();
        var run = control.RunAsync(handleSignals: false, cts.Token);
        try
        {
            Assert.True(await Poll.UntilAsync(async () => (await control.GetStatusAsync()).Outcome == ProxyOutcome.Ok), "status never became healthy");

            var second = await new ProxyControl(options).RunAsync(handleSignals: false);

            Assert.Equal(ProxyOutcome.AlreadyRunning, second.Outcome);
            Assert.Contains($"already running (pid {Environment.ProcessId})", second.Message);
            Assert.Single(File.ReadAllLines(starts));
        }
        finally
        {
            await cts.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(15));
        }
    }

    [Fact]
    public async Task A_supervisor_killed_with_SIGKILL_takes_its_proxy_with_it()
    {
        using var home = new TempHome();
        var port = Net.FreePort();
        var starts = home.File("starts.txt");
        var control = SupervisedControl(home, port, starts);
        var proxyPid = 0;
        try
        {
            var started = await control.StartDetachedAsync("dotnet", [SupervisorDll]);
            Assert.True(started.Succeeded, started.Message);
            proxyPid = int.Parse(File.ReadAllLines(starts).Single());
            Assert.True(Posix.IsAlive(proxyPid));

            Assert.True(Posix.Signal(started.ProcessId!.Value, Posix.SIGKILL));

            var watch = Stopwatch.StartNew();
            Assert.True(await Poll.UntilAsync(() => !Posix.IsAlive(proxyPid), TimeSpan.FromSeconds(5)), "the proxy outlived its supervisor");
            Assert.False(await Net.AnswersAsync(port));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"{watch.Elapsed}");

            var stop = await control.StopAsync();
            Assert.Contains("stale record", stop.Message);
        }
        finally
        {
            if (proxyPid > 0 && Posix.IsAlive(proxyPid))
            {
                Posix.Signal(proxyPid, Posix.SIGKILL);
            }

            await control.StopAsync();
        }
    }

    [Fact]
    public async Task Another_program_on_the_port_is_named_as_such_and_never_taken_for_the_proxy()
    {
        await using var foreign = ForeignHttpServer.Answering("""{"status": "healthy"}""");
        using var home = new TempHome();
        var starts = home.File("starts.txt");
        var options = StandIn.Options(home.Path, foreign.Port, "--starts-file", starts);

        await using (var service = new LiteLlmProxyService(options))
        {
            var ex = await Assert.ThrowsAsync<LiteLlmProxyException>(() => service.StartAsync(CancellationToken.None));
            Assert.Contains($"Port {foreign.Port} is taken by another program", ex.Message);
            Assert.Equal(LiteLlmProxyState.Failed, service.State);
        }

        var control = new ProxyControl(options) { StartTimeout = TimeSpan.FromSeconds(15) };
        var start = await control.StartDetachedAsync(StandIn.Python, StandIn.Command(foreign.Port));
        Assert.Equal(ProxyOutcome.Failed, start.Outcome);
        Assert.Contains($"Port {foreign.Port} is taken by another program", start.Message);

        var status = await control.GetStatusAsync();
        Assert.Equal(ProxyOutcome.NotRunning, status.Outcome);
        Assert.Contains("taken by another program", status.Message);

        Assert.False(File.Exists(starts), "no proxy was started");
        Assert.NotEmpty(foreign.Requests);
        Assert.False(foreign.SawAuthorization);
    }
}
