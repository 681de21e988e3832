using Kait.Sdk.Testing;

namespace Kait.Sdk.Tests;

public sealed class ProxyClientTests
{
    [Fact]
    public async Task Health_models_model_info_and_embeddings_use_their_routes()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.MasterKey = TestData.MasterKey;
        proxy.Models.UnionWith(["claude-fast", "text-embed"]);
        proxy.Enqueue(new FakeReply { InputTokens = 6, CostHeader = "2E-07", CallId = "emb-1" });
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));
        var client = harness.Proxy;

        Assert.True(await client.IsAliveAsync());
        var readiness = await client.GetReadinessAsync();
        var models = await client.ListModelsAsync();
        var info = await client.GetModelInfoAsync();
        var embeddings = await harness.Gateway.EmbedAsync(new ModelAlias("text-embed", []), ["a", "b"]);

        Assert.Equal("connected", readiness.Status);
        Assert.Equal("1.84.0", readiness.LiteLlmVersion);
        Assert.Equal(["claude-fast", "text-embed"], models);
        Assert.Contains(info, i => i.ModelName == "claude-fast" && i.Model == "fake/claude-fast" && i.Id == "id-claude-fast");
        Assert.Equal(2, embeddings.Vectors.Count);
        Assert.Equal(3, embeddings.Vectors[0].Length);
        Assert.Equal(6, embeddings.InputTokens);
        Assert.Equal(0.0000002m, embeddings.CostUsd);
        Assert.Equal("emb-1", embeddings.CallId);
        Assert.Equal(
            ["/health/liveliness", "/health/readiness", "/v1/models", "/model/info", "/v1/embeddings"],
            proxy.Requests.Select(r => r.Path));
        Assert.Null(proxy.Requests[0].Header("Authorization"));
        Assert.Equal("Bearer " + TestData.MasterKey, proxy.Requests[2].Header("Authorization"));
        Assert.Equal("Bearer " + TestData.MasterKey, proxy.Requests[4].Header("Authorization"));
    }

    [Fact]
    public async Task A_proxy_that_is_not_running_is_not_alive()
    {
        using var harness = Harness.Create(new Dictionary<string, string?>
        {
            ["KAIT_LITELLM_PORT"] = TestData.ClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        Assert.False(await harness.Proxy.IsAliveAsync());
        var error = await Assert.ThrowsAsync<ProviderUnavailableException>(() => harness.Proxy.ListModelsAsync());
        Assert.True(error.Unreachable);
    }

    [Fact]
    public async Task A_proxy_that_accepts_and_never_answers_is_bounded_by_the_attempt_timeout()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start(); // accepts connections (the backlog) and never answers
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        using var harness = Harness.Create(new Dictionary<string, string?>
        {
            ["KAIT_LITELLM_ENABLED"] = "true",
            ["KAIT_LITELLM_URL"] = $"http://127.0.0.1:{port}",
            ["KAIT_LITELLM_MASTER_KEY"] = TestData.MasterKey,
            ["KAIT_ATTEMPT_TIMEOUT"] = "1",
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Assert.False(await harness.Proxy.IsAliveAsync());
        var error = await Assert.ThrowsAsync<LlmTimeoutException>(() => harness.Proxy.GetReadinessAsync());

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        Assert.Contains("did not answer within 1 s", error.Message, StringComparison.Ordinal);
    }
}
