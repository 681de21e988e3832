using Kait.Sdk.Testing;

namespace Kait.Sdk.Tests;

public sealed class ProxyRouteTests
{
    [Fact]
    public async Task Chat_goes_to_the_proxy_with_the_alias_and_returns_its_headers_in_the_result()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.MasterKey = TestData.MasterKey;
        proxy.Enqueue(new FakeReply { Text = "Bonjour", InputTokens = 20, CachedInputTokens = 30, OutputTokens = 3, CostUsd = 0.000123m, CallId = "call-42", AttemptedRetries = 2, Model = "claude-haiku-4-5-20251001" });
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));

        var result = await harness.Gateway.ChatAsync(Models.ClaudeFast, [LlmMessage.System("Be brief."), LlmMessage.User("Hi")]);

        Assert.Equal("Bonjour", result.Text);
        Assert.Equal(LlmRoute.Proxy, result.Route);
        Assert.Equal("claude-fast", result.Alias);
        Assert.Equal("anthropic", result.Provider);
        Assert.Equal("claude-haiku-4-5-20251001", result.ProviderModel);
        Assert.Equal("call-42", result.CallId);
        Assert.Equal(0.000123m, result.CostUsd);
        Assert.Equal(CostSource.ProxyHeader, result.CostSource);
        Assert.Equal(2, result.ProxyRetries);
        Assert.Equal(1, result.Attempts);
        Assert.False(result.Cached);
        Assert.Equal(new LlmUsage(50, 30, 3), result.Usage);
        Assert.Equal("stop", result.FinishReason);

        var request = Assert.Single(proxy.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer " + TestData.MasterKey, request.Header("Authorization"));
        var body = request.Json();
        Assert.Equal("claude-fast", body.GetProperty("model").GetString());
        Assert.Equal("system", body.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.Equal("Hi", body.GetProperty("messages")[1].GetProperty("content").GetString());
        Assert.False(body.TryGetProperty("stream", out _));
    }

    [Fact]
    public async Task Sampling_user_metadata_and_extra_headers_reach_the_proxy()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));
        var options = new LlmCallOptions
        {
            Temperature = 0.25,
            TopP = 0.9,
            MaxTokens = 77,
            Stop = ["END"],
            Seed = 1234,
            User = "user-7",
            Metadata = new Dictionary<string, string> { ["trace"] = "t-1" },
            ExtraHeaders = new Dictionary<string, string> { ["x-litellm-call-id"] = "mine-1", ["x-custom"] = "yes" },
        };

        var result = await harness.Gateway.ChatAsync(Models.OpenaiFast, TestData.Hello, options);

        var request = Assert.Single(proxy.Requests);
        var body = request.Json();
        Assert.Equal(0.25, body.GetProperty("temperature").GetDouble());
        Assert.Equal(0.9, body.GetProperty("top_p").GetDouble());
        Assert.Equal(77, body.GetProperty("max_tokens").GetInt32());
        Assert.Equal("END", body.GetProperty("stop")[0].GetString());
        Assert.Equal(1234, body.GetProperty("seed").GetInt64());
        Assert.Equal("user-7", body.GetProperty("user").GetString());
        Assert.Equal("t-1", body.GetProperty("metadata").GetProperty("trace").GetString());
        Assert.Equal("yes", request.Header("x-custom"));
        Assert.Equal("mine-1", result.CallId);
    }

    [Fact]
    public async Task A_stream_through_the_proxy_asks_for_usage_and_ends_with_the_full_result()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Enqueue(new FakeReply { Text = "one two three", InputTokens = 9, OutputTokens = 3, CostHeader = "1.5e-05", CallId = "stream-call" });
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));
        var deltas = new List<LlmDelta>();

        var text = await TestData.ConcatAsync(harness.Gateway.StreamChatAsync(Models.ClaudeDefault, TestData.Hello), deltas);

        Assert.Equal("one two three", text);
        Assert.True(deltas.Count >= 4, "text arrives in pieces before the final delta");
        var final = deltas[^1].Result;
        Assert.NotNull(final);
        Assert.All(deltas.Take(deltas.Count - 1), d => Assert.Null(d.Result));
        Assert.Equal("one two three", final.Text);
        Assert.Equal(new LlmUsage(9, 0, 3), final.Usage);
        Assert.Equal(0.000015m, final.CostUsd);
        Assert.Equal(CostSource.ProxyHeader, final.CostSource);
        Assert.Equal("stream-call", final.CallId);
        Assert.Equal(LlmRoute.Proxy, final.Route);
        var body = Assert.Single(proxy.Requests).Json();
        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public async Task Without_a_cost_header_the_cost_comes_from_the_built_in_price()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));

        var result = await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);

        // claude-haiku-4-5: 1e-6 per input token, 5e-6 per output token; the fake answers 12 in, 5 out.
        Assert.Equal(12 * 0.000001m + 5 * 0.000005m, result.CostUsd);
        Assert.Equal(CostSource.BuiltIn, result.CostSource);
        Assert.Null(result.ProxyRetries);
    }

    [Fact]
    public async Task No_master_key_sends_no_authorization_and_a_virtual_key_replaces_the_master_key()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.MasterKey = TestData.MasterKey;
        proxy.VirtualKeys.Add("sk-virtual-abcdef123456");
        using (var noKey = Harness.Create(TestData.ProxyEnv(proxy, masterKey: null)))
        {
            await Assert.ThrowsAsync<AuthenticationFailedException>(() => noKey.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello));
            Assert.Null(proxy.Requests[^1].Header("Authorization"));
        }

        using var harness = Harness.Create(TestData.ProxyEnv(proxy));
        await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello, new LlmCallOptions { VirtualKey = "sk-virtual-abcdef123456" });
        Assert.Equal("Bearer sk-virtual-abcdef123456", proxy.Requests[^1].Header("Authorization"));
    }

    [Fact]
    public async Task A_key_in_extra_headers_is_refused_before_any_request()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));
        var options = new LlmCallOptions { ExtraHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer sk-other-123456789" } };

        await Assert.ThrowsAsync<ArgumentException>(() => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello, options));
        Assert.Empty(proxy.Requests);
    }

    [Fact]
    public async Task A_string_alias_is_checked_against_the_catalogue_with_a_suggestion()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));

        // The analyzer rejects this constant at build time (KAIT100); a value read at run time gets the same check here.
        var fromSettings = string.Concat("claude-", "fsat");
        var error = await Assert.ThrowsAsync<UnknownModelAliasException>(() => harness.Gateway.ChatAsync(fromSettings, TestData.Hello));

        Assert.Equal("claude-fast", error.Suggestion);
        Assert.Contains("Did you mean 'claude-fast'?", error.Message, StringComparison.Ordinal);
        Assert.Contains("openai-default", error.KnownAliases);
        Assert.Empty(proxy.Requests);
        var ok = await harness.Gateway.ChatAsync("claude-fast", TestData.Hello);
        Assert.Equal("claude-fast", ok.Alias);
    }

    [Fact]
    public async Task Anthropic_usage_through_the_proxy_keeps_cached_tokens_inside_input_tokens()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Enqueue(new FakeReply { InputTokens = 10, CachedInputTokens = 90, OutputTokens = 4 });
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));

        var result = await harness.Gateway.ChatAsync(Models.ClaudeStrong, TestData.Hello);

        Assert.Equal(100, result.Usage.InputTokens);
        Assert.Equal(90, result.Usage.CachedInputTokens);
        Assert.Equal(104, result.Usage.TotalTokens);
    }
}
