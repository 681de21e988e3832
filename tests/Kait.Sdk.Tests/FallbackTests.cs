using Kait.Sdk.Testing;
using Microsoft.Extensions.Logging;

namespace Kait.Sdk.Tests;

public sealed class FallbackTests
{
    private static Dictionary<string, string?> DownProxy(FakeAnthropicApi anthropic, string? fallback = null) => new()
    {
        ["KAIT_LITELLM_ENABLED"] = "true",
        ["KAIT_LITELLM_PORT"] = TestData.ClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["KAIT_LITELLM_MASTER_KEY"] = TestData.MasterKey,
        ["KAIT_LITELLM_FALLBACK"] = fallback,
        ["ANTHROPIC_API_KEY"] = TestData.AnthropicKey,
        ["ANTHROPIC_BASE_URL"] = anthropic.BaseUrl.ToString(),
    };

    [Fact]
    public async Task When_the_proxy_refuses_connections_the_call_goes_direct_with_a_warning()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        anthropic.Enqueue(new FakeReply { Text = "served directly" });
        using var harness = Harness.Create(DownProxy(anthropic));

        var result = await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);

        Assert.Equal("served directly", result.Text);
        Assert.Equal(LlmRoute.Direct, result.Route);
        Assert.Equal("anthropic", result.Provider);
        var request = Assert.Single(anthropic.Requests);
        Assert.Equal(TestData.AnthropicKey, request.Header("x-api-key"));
        Assert.Null(request.Header("Authorization"));
        Assert.Contains(harness.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("unreachable", StringComparison.Ordinal) && e.Message.Contains("claude-fast", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stream_falls_back_too()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        anthropic.Enqueue(new FakeReply { Text = "direct stream" });
        using var harness = Harness.Create(DownProxy(anthropic));
        var deltas = new List<LlmDelta>();

        var text = await TestData.ConcatAsync(harness.Gateway.StreamChatAsync(Models.ClaudeFast, TestData.Hello), deltas);

        Assert.Equal("direct stream", text);
        Assert.Equal(LlmRoute.Direct, deltas[^1].Result!.Route);
    }

    [Fact]
    public async Task KAIT_LITELLM_FALLBACK_false_turns_the_fallback_off()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        using var harness = Harness.Create(DownProxy(anthropic, fallback: "false"));

        var error = await Assert.ThrowsAsync<ProviderUnavailableException>(() => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello));

        Assert.True(error.Unreachable);
        Assert.Empty(anthropic.Requests);
    }

    [Fact]
    public async Task An_alias_no_bridge_can_serve_reports_the_unreachable_proxy()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        using var harness = Harness.Create(DownProxy(anthropic));

        var error = await Assert.ThrowsAsync<ProviderUnavailableException>(() => harness.Gateway.ChatAsync(Models.GeminiDefault, TestData.Hello));

        Assert.True(error.Unreachable);
        Assert.Contains("LiteLLM proxy", error.Message, StringComparison.Ordinal);
        Assert.Contains(harness.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("gemini", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_proxy_that_answers_with_an_error_does_not_fall_back()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Enqueue(FakeReply.Error(503, "No healthy deployments"), FakeReply.Error(503, "No healthy deployments"), FakeReply.Error(503, "No healthy deployments"));
        var env = DownProxy(anthropic);
        env["KAIT_LITELLM_URL"] = proxy.BaseUrl.ToString();
        using var harness = Harness.Create(env);

        var error = await Assert.ThrowsAsync<ProviderUnavailableException>(() => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello));

        Assert.False(error.Unreachable);
        Assert.Equal(503, error.StatusCode);
        Assert.Equal(3, proxy.Requests.Count);
        Assert.Empty(anthropic.Requests);
    }

    [Fact]
    public async Task A_connection_reset_mid_stream_surfaces_after_the_text_already_received()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Enqueue(new FakeReply { Text = "alpha beta gamma delta", ResetAfterEvents = 3 });
        var env = DownProxy(anthropic);
        env["KAIT_LITELLM_URL"] = proxy.BaseUrl.ToString();
        using var harness = Harness.Create(env);
        var deltas = new List<LlmDelta>();

        var error = await Assert.ThrowsAsync<StreamInterruptedException>(() => TestData.ConcatAsync(harness.Gateway.StreamChatAsync(Models.ClaudeFast, TestData.Hello), deltas));

        Assert.Equal("alpha beta", string.Concat(deltas.Select(d => d.Text)));
        Assert.Equal("alpha beta", error.ReceivedText);
        Assert.Empty(anthropic.Requests);
    }
}
