using Kait.Sdk.Testing;
using Microsoft.Extensions.Logging;

namespace Kait.Sdk.Tests;

public sealed class KeyIsolationTests
{
    private static readonly string[] AllKeys = [TestData.MasterKey, TestData.AnthropicKey, TestData.OpenAIKey];

    private static void AssertNoKey(RecordedRequest request, params string[] keys)
    {
        foreach (var key in keys)
        {
            Assert.DoesNotContain(request.Headers, h => h.Value.Contains(key, StringComparison.Ordinal));
            Assert.DoesNotContain(key, request.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Provider_keys_never_reach_the_proxy()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));

        await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);
        await TestData.ConcatAsync(harness.Gateway.StreamChatAsync(Models.OpenaiFast, TestData.Hello));
        await harness.Proxy.ListModelsAsync();

        Assert.Equal(3, proxy.Requests.Count);
        Assert.All(proxy.Requests, r => AssertNoKey(r, TestData.AnthropicKey, TestData.OpenAIKey));
        Assert.All(proxy.Requests, r => Assert.Equal("Bearer " + TestData.MasterKey, r.Header("Authorization")));
    }

    [Fact]
    public async Task The_master_key_never_reaches_a_provider_and_each_provider_gets_only_its_own_key()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        await using var openAI = await FakeOpenAIApi.StartAsync();
        var env = TestData.DirectEnv(anthropic, openAI);
        env["KAIT_LITELLM_MASTER_KEY"] = TestData.MasterKey;
        using var harness = Harness.Create(env);

        await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);
        await TestData.ConcatAsync(harness.Gateway.StreamChatAsync(Models.ClaudeFast, TestData.Hello));
        await harness.Gateway.ChatAsync(Models.OpenaiFast, TestData.Hello);

        Assert.All(anthropic.Requests, r => AssertNoKey(r, TestData.MasterKey, TestData.OpenAIKey));
        Assert.All(anthropic.Requests, r => Assert.Null(r.Header("Authorization")));
        Assert.All(openAI.Requests, r => AssertNoKey(r, TestData.MasterKey, TestData.AnthropicKey));
        Assert.All(openAI.Requests, r => Assert.Null(r.Header("x-api-key")));
    }

    [Fact]
    public async Task Logs_at_trace_level_show_the_key_headers_redacted()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        var env = TestData.ProxyEnv(proxy);
        env["ANTHROPIC_BASE_URL"] = anthropic.BaseUrl.ToString();
        using (var viaProxy = Harness.Create(env))
        {
            await viaProxy.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);
            AssertRedacted(viaProxy.Logs, "Authorization", "Content-Type: application/json");
        }

        env["KAIT_LITELLM_ENABLED"] = "false";
        using var direct = Harness.Create(env);
        await direct.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);
        AssertRedacted(direct.Logs, "x-api-key", "anthropic-version: 2026-10-21");
    }

    private static void AssertRedacted(CapturingLoggerProvider logs, string header, string visible)
    {
        var entries = logs.Entries;
        // HttpClientFactory logs the request headers at Trace: the key header is there, its value is not; other headers
        // keep their values.
        Assert.Contains(entries, e => e.Level == LogLevel.Trace && e.Message.Contains(header + ": *", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(entries, e => e.Level == LogLevel.Trace && e.Message.Contains(visible, StringComparison.OrdinalIgnoreCase));
        foreach (var key in AllKeys)
        {
            Assert.DoesNotContain(entries, e => e.Message.Contains(key, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_key_echoed_in_an_error_body_is_masked_in_the_exception()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Enqueue(FakeReply.Error(401, $"Authentication Error, Received API Key = {TestData.MasterKey}, Key Hash (Token) = abc", "token_not_found_in_db"));
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));

        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(() => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello));

        Assert.DoesNotContain(TestData.MasterKey, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestData.MasterKey, error.ServerMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(TestData.MasterKey, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Received API Key = ***", error.ServerMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_key_echoed_by_anthropic_is_masked_too()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        anthropic.Enqueue(FakeReply.Error(403, "key " + TestData.AnthropicKey + " lacks access"));
        using var harness = Harness.Create(TestData.DirectEnv(anthropic));

        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(() => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello));

        Assert.Equal("key *** lacks access", error.ServerMessage);
    }
}
