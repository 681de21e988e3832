using Kait.Sdk.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Kait.Sdk.Proxy.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task Generic_host_starts_the_proxy_reports_its_health_and_stops_it_with_SIGTERM()
    {
        using var home = new TempHome();
        var port = Net.FreePort();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddLiteLlmProxy(StandIn.Options(home.Path, port));
        builder.Services.AddHealthChecks().AddCheck<LiteLlmProxyHealthCheck>("litellm");
        using var host = builder.Build();

        await host.StartAsync();
        var service = host.Services.GetRequiredService<LiteLlmProxyService>();
        Assert.Contains(service, host.Services.GetServices<IHostedService>());
        Assert.Equal(LiteLlmProxyState.Running, service.State);

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries["litellm"].Status);

        await host.StopAsync();
        Assert.Equal(LiteLlmProxyState.Stopped, service.State);
        Assert.False(await Net.AnswersAsync(port));
        Assert.Contains("standin: SIGTERM received", await File.ReadAllTextAsync(service.Options.LogFilePath));
        Assert.Equal(HealthStatus.Unhealthy, (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Status);
    }

    [Fact]
    public async Task Follow_yields_the_tail_then_new_lines_across_rotation()
    {
        using var home = new TempHome();
        var path = home.File("f.log");
        await File.WriteAllLinesAsync(path, ["one", "two", "three"]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var seen = new List<string>();

        await using var lines = LogTail.FollowAsync(path, 2, TimeSpan.FromMilliseconds(20), cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        async Task<string> Next()
        {
            Assert.True(await lines.MoveNextAsync());
            return lines.Current;
        }

        Assert.Equal("two", await Next());
        Assert.Equal("three", await Next());
        await File.AppendAllTextAsync(path, "four\nfi");
        Assert.Equal("four", await Next());
        await File.AppendAllTextAsync(path, "ve\n");
        Assert.Equal("five", await Next());
        File.Move(path, path + ".1");
        await File.WriteAllTextAsync(path, "six\n");
        Assert.Equal("six", await Next());
        await cts.CancelAsync();
        Assert.False(await lines.MoveNextAsync());
    }
}
