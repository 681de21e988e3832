using Kait.Sdk.Hosting;

namespace Kait.Sdk.Proxy.Tests;

/// <summary>
/// The whole `kait proxy start|status|stop` path: the relaunched command is a console app that calls
/// <see cref="ProxyControl.RunAsync"/> (as `kait proxy run` will), and its supervisor runs the real default command
/// `python -m litellm --config … --port …`, where `litellm` is a fake package on PYTHONPATH wrapping the stand-in.
/// </summary>
public sealed class DetachedSupervisorTests
{
    private static string SupervisorDll => FakeLitellm.SupervisorDll;

    [Fact]
    public async Task Start_status_stop_through_a_detached_supervisor_running_python_m_litellm()
    {
        const string Key = "sk-e2e-SECRET-9001";
        using var home = new TempHome();
        var port = Net.FreePort();
        var dump = home.File("env.json");
        var starts = home.File("starts.txt");
        var options = new LiteLlmProxyOptions
        {
            KaitHome = home.Path,
            Port = port,
            PythonExecutable = StandIn.Python,
            ConfigPath = home.File("litellm_config.yaml"),
            MasterKey = Key,
            HealthPollInterval = TimeSpan.FromMilliseconds(50),
            StopGracePeriod = TimeSpan.FromSeconds(3),
        };
        options.EnvironmentVariables["PYTHONPATH"] = FakeLitellm.Package(home);
        options.EnvironmentVariables["STANDIN_ARGS"] = $"--env-dump {dump} --print-key --starts-file {starts}";
        var control = new ProxyControl(options) { StartTimeout = TimeSpan.FromSeconds(30) };
        try
        {
            var started = await control.StartDetachedAsync("dotnet", [SupervisorDll]);
            Assert.True(started.Succeeded, started.Message);

            var status = await control.GetStatusAsync();
            Assert.True(status.Outcome == ProxyOutcome.Ok, status.Message);
            Assert.Equal(started.ProcessId, status.ProcessId);
            var proxyPid = int.Parse(File.ReadAllLines(starts).Single());
            Assert.NotEqual(status.ProcessId, proxyPid);
            Assert.True(Posix.IsAlive(proxyPid));

            var dumped = await File.ReadAllTextAsync(dump);
            Assert.Contains(Key, dumped);
            Assert.Contains("\"LITELLM_LOCAL_MODEL_COST_MAP\": \"True\"", dumped);
            var log = await File.ReadAllTextAsync(options.LogFilePath);
            Assert.Contains($"-m litellm --config {options.ConfigPath} --port {port}", log);
            Assert.Contains("standin key=***", log);
            Assert.DoesNotContain(Key, log);

            var stopped = await control.StopAsync();
            Assert.True(stopped.Outcome == ProxyOutcome.Ok, stopped.Message);
            Assert.DoesNotContain("killed", stopped.Message);
            Assert.False(Posix.IsAlive(proxyPid), "the supervisor must stop its child");
            Assert.False(File.Exists(options.RunRecordPath));
            log = await File.ReadAllTextAsync(options.LogFilePath);
            Assert.Contains("standin: SIGTERM received", log);
            Assert.Contains("stopped with code 0", log);
            Assert.True(log.Contains("The LiteLLM proxy stopped"), log); // the supervisor's own last words, through its redirected stdout
            Assert.DoesNotContain(Key, log);
            Assert.Equal(ProxyOutcome.NotRunning, (await control.GetStatusAsync()).Outcome);
        }
        finally
        {
            await control.StopAsync();
        }
    }

    [Fact]
    public async Task A_supervisor_whose_proxy_cannot_start_reports_the_reason_with_the_logs_last_lines()
    {
        using var home = new TempHome();
        var port = Net.FreePort();
        var options = new LiteLlmProxyOptions
        {
            KaitHome = home.Path,
            Port = port,
            PythonExecutable = StandIn.Python,
            ConfigPath = home.File("litellm_config.yaml"),
            HealthPollInterval = TimeSpan.FromMilliseconds(50),
        };
        options.EnvironmentVariables["PYTHONPATH"] = FakeLitellm.Package(home);
        options.EnvironmentVariables["STANDIN_ARGS"] = "--exit-at-start 9";
        var control = new ProxyControl(options) { StartTimeout = TimeSpan.FromSeconds(30) };

        var result = await control.StartDetachedAsync("dotnet", [SupervisorDll]);

        Assert.Equal(ProxyOutcome.Failed, result.Outcome);
        Assert.Contains("exited with code 1", result.Message); // the supervisor's exit code
        Assert.Contains("standin: failing at start with code 9", result.Message);
        Assert.Contains(options.LogFilePath, result.Message);
        Assert.False(File.Exists(options.RunRecordPath));
    }
}
