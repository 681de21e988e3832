using System.Diagnostics;
using Kait.Sdk.Hosting;

namespace Kait.Sdk.Proxy.Tests;

public sealed class ProxyControlTests
{
    private static ProxyControl Control(TempHome home, int port, bool? setsid = null) =>
        new(StandIn.Options(home.Path, port) with { StopGracePeriod = TimeSpan.FromSeconds(3) })
        {
            StartTimeout = TimeSpan.FromSeconds(15),
            UseSetsid = setsid,
        };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Detached_start_status_stop_round_trip(bool setsid)
    {
        using var home = new TempHome();
        var port = Net.FreePort();
        var control = Control(home, port, setsid);
        try
        {
            var started = await control.StartDetachedAsync(StandIn.Python, StandIn.Command(port));

            Assert.True(started.Outcome == ProxyOutcome.Ok, started.Message);
            Assert.Equal(0, started.ExitCode);
            Assert.NotNull(started.ProcessId);
            Assert.True(File.Exists(control.Options.RunRecordPath));
            Assert.Contains($"\"pid\": {started.ProcessId}", await File.ReadAllTextAsync(control.Options.RunRecordPath));
            Assert.Contains($"\"port\": {port}", await File.ReadAllTextAsync(control.Options.RunRecordPath));

            var status = await control.GetStatusAsync();
            Assert.True(status.Outcome == ProxyOutcome.Ok, status.Message);
            Assert.Contains("healthy", status.Message);

            var again = await control.StartDetachedAsync(StandIn.Python, StandIn.Command(port));
            Assert.Equal(ProxyOutcome.AlreadyRunning, again.Outcome);
            Assert.Equal(0, again.ExitCode);

            var stopped = await control.StopAsync();
            Assert.True(stopped.Outcome == ProxyOutcome.Ok, stopped.Message);
            Assert.Contains("stopped", stopped.Message);
            Assert.False(File.Exists(control.Options.RunRecordPath));
            Assert.False(await Net.AnswersAsync(port));
            Assert.Contains(control.ReadLogTail(20), l => l.Contains("standin: SIGTERM received"));

            var after = await control.GetStatusAsync();
            Assert.Equal(ProxyOutcome.NotRunning, after.Outcome);
            Assert.Equal(3, after.ExitCode);

            var stopAgain = await control.StopAsync();
            Assert.Equal(0, stopAgain.ExitCode);
        }
        finally
        {
            await control.StopAsync();
        }
    }

    [Fact]
    public async Task Detached_process_inherits_the_callers_environment_with_the_key_passed_only_by_environment()
    {
        const string Key = "sk-detached-SECRET-77";
        using var home = new TempHome();
        var port = Net.FreePort();
        var dump = home.File("env.json");
        var options = StandIn.Options(home.Path, port) with { MasterKey = Key };
        options.EnvironmentVariables["LITELLM_MASTER_KEY"] = Key; // the stand-in plays the proxy, so it reads the proxy's variable
        var control = new ProxyControl(options);
        try
        {
            var started = await control.StartDetachedAsync(StandIn.Python, StandIn.Command(port, "--env-dump", dump));
            Assert.True(started.Succeeded, started.Message);
            Assert.Contains(Key, await File.ReadAllTextAsync(dump));
            Assert.DoesNotContain(Key, started.Message);
            Assert.DoesNotContain(Key, await File.ReadAllTextAsync(control.Options.RunRecordPath));
        }
        finally
        {
            await control.StopAsync();
        }
    }

    [Fact]
    public async Task Detached_start_failure_reports_the_exit_code_and_the_logs_last_lines()
    {
        using var home = new TempHome();
        var port = Net.FreePort();
        var control = Control(home, port);

        var result = await control.StartDetachedAsync(StandIn.Python, StandIn.Command(port, "--exit-at-start", "5"));

        Assert.Equal(ProxyOutcome.Failed, result.Outcome);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("exited with code 5", result.Message);
        Assert.Contains(control.Options.LogFilePath, result.Message);
        Assert.Contains("standin: failing at start with code 5", result.Message);
        Assert.Contains(result.LogTail, l => l.Contains("standin: failing at start"));
        Assert.False(File.Exists(control.Options.RunRecordPath));
    }

    [Fact]
    public async Task Detached_start_that_never_gets_ready_times_out_and_is_stopped()
    {
        using var home = new TempHome();
        var port = Net.FreePort();
        var control = Control(home, port);
        control.StartTimeout = TimeSpan.FromSeconds(1.5);

        var result = await control.StartDetachedAsync(StandIn.Python, StandIn.Command(port, "--readiness-fail"));

        Assert.Equal(ProxyOutcome.TimedOut, result.Outcome);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not ready", result.Message);
        Assert.Contains(control.Options.LogFilePath, result.Message);
        Assert.False(File.Exists(control.Options.RunRecordPath));
        Assert.False(await Net.AnswersAsync(port));
    }

    [Fact]
    public async Task Stop_and_status_treat_a_stale_record_as_not_running()
    {
        using var home = new TempHome();
        var port = Net.FreePort();
        var control = Control(home, port);
        using var gone = Process.Start(new ProcessStartInfo("true"))!;
        await gone.WaitForExitAsync();
        Directory.CreateDirectory(Path.GetDirectoryName(control.Options.RunRecordPath)!);
        await File.WriteAllTextAsync(control.Options.RunRecordPath, $"{{\"pid\": {gone.Id}, \"port\": {port}, \"log\": \"x\"}}");

        var status = await control.GetStatusAsync();
        Assert.Equal(ProxyOutcome.NotRunning, status.Outcome);

        var stop = await control.StopAsync();
        Assert.Equal(ProxyOutcome.Ok, stop.Outcome);
        Assert.Contains("stale", stop.Message);
        Assert.False(File.Exists(control.Options.RunRecordPath));
    }

    [Fact]
    public async Task Run_supervises_in_the_foreground_until_cancelled()
    {
        using var home = new TempHome();
        var port = Net.FreePort();
        var control = Control(home, port);
        using var cts = new CancellationTokenSource();

        var run = control.RunAsync(handleSignals: false, cts.Token);
        Assert.True(await Poll.UntilAsync(async () => (await control.GetStatusAsync()).Outcome == ProxyOutcome.Ok), "status never became healthy");
        var status = await control.GetStatusAsync();
        Assert.Equal(Environment.ProcessId, status.ProcessId);

        await cts.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(result.Outcome == ProxyOutcome.Ok, result.Message);
        Assert.False(File.Exists(control.Options.RunRecordPath));
        Assert.Contains(control.ReadLogTail(20), l => l.Contains("standin: SIGTERM received"));
        Assert.Equal(ProxyOutcome.NotRunning, (await control.GetStatusAsync()).Outcome);
    }
}
