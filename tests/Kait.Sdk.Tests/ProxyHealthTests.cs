using Kait.Sdk.Hosting;
using Kait.Sdk.Testing;

namespace Kait.Sdk.Tests;

/// <summary>One proxy health probe: the supervisor's probe and <see cref="LiteLlmProxyClient.GetReadinessAsync"/> read
/// /health/readiness into the same <see cref="LiteLlmProxyReadiness"/> with the same rules.</summary>
public sealed class ProxyHealthTests
{
    [Fact]
    public async Task The_supervisor_probe_and_the_client_read_the_same_readiness()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));
        using var http = new HttpClient();

        var fromClient = await harness.Proxy.GetReadinessAsync();
        var report = await new ProxyHealthProbe(http, TimeSpan.FromSeconds(5), TimeProvider.System).ProbeAsync(proxy.BaseUrl, CancellationToken.None);

        Assert.Equal(fromClient, report.Readiness);
        Assert.True(fromClient.IsReady);
        Assert.True(report.Ready);
        Assert.Equal("1.84.0", report.Version);
        Assert.False(report.Foreign);
    }

    [Theory]
    [InlineData("""{"status":"connected","litellm_version":"1.84.0"}""", true, true)]
    [InlineData("""{"status":"healthy","litellm_version":"1.84.0"}""", true, true)]
    [InlineData("""{"status":"unhealthy","litellm_version":"1.84.0"}""", true, false)]
    [InlineData("""{"status":"connected"}""", false, false)]
    [InlineData("""{"status":5,"litellm_version":"1.84.0"}""", false, false)]
    [InlineData("""["connected"]""", false, false)]
    [InlineData("<html>ok</html>", false, false)]
    public void One_rule_for_LiteLLM_and_for_ready(string body, bool liteLlm, bool ready)
    {
        var readiness = LiteLlmProxyReadiness.FromJson(body);

        Assert.Equal(liteLlm, readiness is { IsLiteLlm: true });
        Assert.Equal(ready, readiness?.IsReady ?? false);
        Assert.Equal(liteLlm, ProxyIdentity.LooksLikeLiteLlm(readiness));
    }
}
