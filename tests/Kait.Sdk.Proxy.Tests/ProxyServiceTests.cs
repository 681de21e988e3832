using System.Diagnostics;
using System.Text.Json;
using Kait.Sdk.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kait.Sdk.Proxy.Tests;

public sealed class ProxyServiceTests
{
    private static LiteLlmProxyService Service(LiteLlmProxyOptions options, ListLoggerFactory? logs = null) =>
        new(options, new ListLogger<LiteLlmProxyService>((logs ?? new ListLoggerFactory()).Messages));

    [Fact]
    public async Task Start_waits_for_readiness_then_runs()
    {
        using var home = new TempHome();
        var port = Net.FreePort();
        await using var service = Service(StandIn.Options(home.Path, port, "--ready-after", "1.0"));

        var watch = Stopwatch.StartNew();
        await service.StartAsync(CancellationToken.None);

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"returned after {watch.Elapsed}");
        Assert.Equal(LiteLlmProxyState.Running, service.State);
        Assert.NotNull(service.ProcessId);
        var report = await service.ProbeAsync();
        Assert.True(report.Ready);
        Assert.Equal("0.0.0-standin", report.Version);
        var log = await File.ReadAllTextAsync(service.Options.LogFilePath);
        Assert.Contains("standin: listening", log);
        Assert.Contains("proxy ready on port", log);
    }

    [Fact]
    public async Task Deadline_exceeded_names_the_log_and_its_last_lines_and_stops_the_child()
    {
        using var home = new TempHome();
        var port = Net.FreePort();
        var options = StandIn.Options(home.Path, port, "--readiness-fail") with { ReadinessTimeout = TimeSpan.FromSeconds(1.5) };
        await using var service = Service(options);

        var ex = await Assert.ThrowsAsync<LiteLlmProxyException>(() => service.StartAsync(CancellationToken.None));

        Assert.Contains("was not ready on port", ex.Message);
        Assert.Contains("/health/readiness did not", ex.Message);
        Assert.Contains(options.LogFilePath, ex.Message);
        Assert.Contains("Last ", ex.Message);
        Assert.Contains("standin: listening", ex.Message);
        Assert.Equal(options.LogFilePath, ex.LogFilePath);
        Assert.Contains(ex.LogTail, l => l.Contains("standin: listening"));
        Assert.Equal(LiteLlmProxyState.Failed, service.State);
        Assert.False(await Net.AnswersAsync(port), "the child that missed its deadline must be stopped");
    }

    [Fact]
    public async Task Exit_at_start_reports_the_exit_code_and_the_stand_ins_stderr()
    {
        using var home = new TempHome();
        await using var service = Service(StandIn.Options(home.Path, Net.FreePort(), "--exit-at-start", "4"));

        var ex = await Assert.ThrowsAsync<LiteLlmProxyException>(() => service.StartAsync(CancellationToken.None));

        Assert.Contains("exited with code 4 before it was ready", ex.Message);
        Assert.Contains("standin: failing at start with code 4", ex.Message);
        Assert.Contains(service.Options.LogFilePath, ex.Message);
    }

    [Fact]
    public async Task Missing_executable_fails_with_install_hint()
    {
        using var home = new TempHome();
        var options = StandIn.Options(home.Path, Net.FreePort()) with { Executable = home.File("no-such-python") };
        await using var service = Service(options);

        var ex = await Assert.ThrowsAsync<LiteLlmProxyException>(() => service.StartAsync(CancellationToken.None));

        Assert.Contains("install_litellm.sh", ex.Message);
        Assert.Contains(options.LogFilePath, ex.Message);
    }

    [Fact]
    public async Task Crashes_are_restarted_with_exponential_backoff_until_the_budget_is_spent()
    {
        using var home = new TempHome();
        var logs = new ListLoggerFactory();
        var starts = home.File("starts.txt");
        var options = StandIn.Options(home.Path, Net.FreePort(), "--crash-after", "0.3", "--starts-file", starts);
        await using var service = Service(options, logs);

        await service.StartAsync(CancellationToken.None);
        await service.Completion.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(LiteLlmProxyState.Failed, service.State);
        Assert.Equal(2, service.RestartCount);
        Assert.Equal(3, File.ReadAllLines(starts).Length); // first start + 2 restarts, then it gives up
        Assert.Contains("crashed 3 times", service.LastError);
        Assert.Contains(options.LogFilePath, service.LastError);
        Assert.Contains("standin: crashing with code 3", service.LastError);
        var all = logs.All;
        Assert.Contains("Restarting LiteLLM proxy in 100 ms", all);
        Assert.Contains("Restarting LiteLLM proxy in 200 ms", all);
        Assert.Contains("exited with code 3", all);
        Assert.Null(service.ProcessId);
    }

    [Fact]
    public async Task Stop_sends_SIGTERM_and_the_child_exits_gracefully()
    {
        using var home = new TempHome();
        var port = Net.FreePort();
        var service = Service(StandIn.Options(home.Path, port));
        await service.StartAsync(CancellationToken.None);
        Assert.True(await Net.AnswersAsync(port));

        await service.StopAsync(CancellationToken.None);

        Assert.Equal(LiteLlmProxyState.Stopped, service.State);
        Assert.True(service.Completion.IsCompleted);
        var log = await File.ReadAllTextAsync(service.Options.LogFilePath);
        Assert.Contains("standin: SIGTERM received", log);
        Assert.Contains("stopped with code 0", log);
        Assert.DoesNotContain("killed", log);
        Assert.False(await Net.AnswersAsync(port));
        service.Dispose();
    }

    [Fact]
    public async Task Stop_kills_a_child_that_ignores_SIGTERM_after_the_grace_period()
    {
        using var home = new TempHome();
        var port = Net.FreePort();
        var options = StandIn.Options(home.Path, port, "--ignore-sigterm") with { StopGracePeriod = TimeSpan.FromMilliseconds(700) };
        await using var service = Service(options);
        await service.StartAsync(CancellationToken.None);

        await service.StopAsync(CancellationToken.None);

        var log = await File.ReadAllTextAsync(options.LogFilePath);
        Assert.Contains("ignored SIGTERM; killed", log);
        Assert.DoesNotContain("standin: SIGTERM received", log);
        Assert.False(await Net.AnswersAsync(port));
    }

    [Fact]
    public async Task Master_key_reaches_the_child_as_LITELLM_MASTER_KEY_and_is_never_logged()
    {
        const string Key = "sk-kait-test-SECRET-4242";
        using var home = new TempHome();
        var logs = new ListLoggerFactory();
        var dump = home.File("env.json");
        var options = StandIn.Options(home.Path, Net.FreePort(), "--env-dump", dump, "--print-key") with { MasterKey = Key };
        await using (var service = Service(options, logs))
        {
            await service.StartAsync(CancellationToken.None);
            Assert.DoesNotContain(Key, string.Join('\n', service.ReadLogTail(100)));
        }

        using var env = JsonDocument.Parse(await File.ReadAllTextAsync(dump));
        Assert.Equal(Key, env.RootElement.GetProperty("LITELLM_MASTER_KEY").GetString());
        Assert.Equal("True", env.RootElement.GetProperty("LITELLM_LOCAL_MODEL_COST_MAP").GetString());
        var log = await File.ReadAllTextAsync(options.LogFilePath);
        Assert.Contains("standin key=***", log);
        Assert.DoesNotContain(Key, log);
        Assert.NotEmpty(logs.Messages);
        Assert.DoesNotContain(Key, logs.All);
        Assert.DoesNotContain(Key, options.ToString());
    }

    [Fact]
    public async Task A_healthy_proxy_already_on_the_port_is_left_alone()
    {
        using var home = new TempHome();
        var port = Net.FreePort();
        var info = new ProcessStartInfo(StandIn.Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in StandIn.Command(port))
        {
            info.ArgumentList.Add(a);
        }

        using var external = Process.Start(info)!;
        try
        {
            Assert.True(await Poll.UntilAsync(() => Net.AnswersAsync(port)));
            var ours = home.File("ours.txt");
            var logs = new ListLoggerFactory();
            var service = Service(StandIn.Options(home.Path, port, "--starts-file", ours), logs);

            await service.StartAsync(CancellationToken.None);

            Assert.Equal(LiteLlmProxyState.External, service.State);
            Assert.Null(service.ProcessId);
            Assert.False(File.Exists(ours), "no second proxy may be started");
            Assert.Contains("already serves port", logs.All);
            var health = await new LiteLlmProxyHealthCheck(service).CheckHealthAsync(new HealthCheckContext());
            Assert.Equal(HealthStatus.Healthy, health.Status);
            Assert.Contains("not started by Kait", health.Description);

            await service.StopAsync(CancellationToken.None);
            service.Dispose();

            Assert.False(external.HasExited, "a proxy we did not start must not be stopped");
            Assert.True(await Net.AnswersAsync(port));
        }
        finally
        {
            external.Kill();
            await external.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_port_held_by_something_else_fails_clearly()
    {
        using var home = new TempHome();
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;
        var options = StandIn.Options(home.Path, port) with { HealthRequestTimeout = TimeSpan.FromMilliseconds(300) };
        await using var service = Service(options);

        var ex = await Assert.ThrowsAsync<LiteLlmProxyException>(() => service.StartAsync(CancellationToken.None));

        Assert.Contains($"Port {port} is taken by another program", ex.Message);
        Assert.Contains(options.LogFilePath, ex.Message);
        Assert.Equal(LiteLlmProxyState.Failed, service.State);
    }

    [Fact]
    public async Task Disabled_starts_nothing_and_is_healthy()
    {
        using var home = new TempHome();
        var starts = home.File("starts.txt");
        var options = StandIn.Options(home.Path, Net.FreePort(), "--starts-file", starts) with { Enabled = false };
        await using var service = Service(options);

        await service.StartAsync(CancellationToken.None);

        Assert.Equal(LiteLlmProxyState.Disabled, service.State);
        Assert.False(File.Exists(starts));
        Assert.False(File.Exists(options.LogFilePath));
        var health = await new LiteLlmProxyHealthCheck(service).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Healthy, health.Status);
    }

    [Fact]
    public async Task Health_check_follows_the_proxy()
    {
        using var home = new TempHome();
        var service = Service(StandIn.Options(home.Path, Net.FreePort()));
        var check = new LiteLlmProxyHealthCheck(service);

        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        await service.StartAsync(CancellationToken.None);
        var healthy = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal("0.0.0-standin", healthy.Data["litellm_version"]);
        Assert.Equal(service.ProcessId, healthy.Data["pid"]);

        await service.StopAsync(CancellationToken.None);
        var stopped = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, stopped.Status);
        Assert.Contains(service.Options.LogFilePath, stopped.Description);
        service.Dispose();
    }

    [Fact]
    public async Task Health_check_is_unhealthy_with_the_reason_after_a_failed_start()
    {
        using var home = new TempHome();
        await using var service = Service(StandIn.Options(home.Path, Net.FreePort(), "--exit-at-start", "7"));
        await Assert.ThrowsAsync<LiteLlmProxyException>(() => service.StartAsync(CancellationToken.None));

        var result = await new LiteLlmProxyHealthCheck(service).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("exited with code 7", result.Description);
    }

    [Fact]
    public async Task Child_output_is_appended_to_a_rotated_log()
    {
        using var home = new TempHome();
        var options = StandIn.Options(home.Path, Net.FreePort(), "--spam", "300") with { LogMaxBytes = 4096, LogBackupCount = 2 };
        await using (var service = Service(options))
        {
            await service.StartAsync(CancellationToken.None);
        }

        Assert.True(File.Exists(options.LogFilePath));
        Assert.True(File.Exists(options.LogFilePath + ".1"));
        Assert.True(File.Exists(options.LogFilePath + ".2"));
        Assert.False(File.Exists(options.LogFilePath + ".3"));
        foreach (var file in new[] { options.LogFilePath, options.LogFilePath + ".1", options.LogFilePath + ".2" })
        {
            Assert.InRange(new FileInfo(file).Length, 1, 4096);
        }

        Assert.Contains("standin: SIGTERM received", await File.ReadAllTextAsync(options.LogFilePath));
    }
}
