using Kait.Sdk.Testing;

namespace Kait.Sdk.Tests;

public sealed class DirectRouteTests
{
    [Fact]
    public async Task Claude_goes_straight_to_anthropic_messages_with_its_headers_and_translated_body()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        anthropic.ApiKey = TestData.AnthropicKey;
        anthropic.Enqueue(new FakeReply { Text = "Hi there", InputTokens = 12, CachedInputTokens = 100, CacheCreationInputTokens = 20, OutputTokens = 7, StopReason = "max_tokens" });
        using var harness = Harness.Create(TestData.DirectEnv(anthropic));
        var options = new LlmCallOptions { Stop = ["###"], User = "u-1", Seed = 99 };

        var result = await harness.Gateway.ChatAsync(
            Models.ClaudeDefault,
            [LlmMessage.System("Rule one."), LlmMessage.System("Rule two."), LlmMessage.User("Hello!"), LlmMessage.Assistant("Hi"), LlmMessage.User("Again")],
            options);

        Assert.Equal("Hi there", result.Text);
        Assert.Equal(LlmRoute.Direct, result.Route);
        Assert.Equal("anthropic", result.Provider);
        Assert.Equal("claude-sonnet-4-20250514", result.ProviderModel);
        Assert.Null(result.CallId);
        Assert.Equal(CostSource.BuiltIn, result.CostSource); // the direct route prices with Kait's built-in prices
        Assert.NotNull(result.CostUsd);
        Assert.Equal("length", result.FinishReason);
        // Anthropic's input_tokens (12) excludes cache reads (100) and writes (20); ours includes them.
        Assert.Equal(new LlmUsage(132, 100, 7, 20), result.Usage);

        var request = Assert.Single(anthropic.Requests);
        Assert.Equal("/v1/messages", request.Path);
        Assert.Equal(TestData.AnthropicKey, request.Header("x-api-key"));
        Assert.Equal("2026-10-21", request.Header("anthropic-version")); // what the official SDKs send (KaitOptions.AnthropicVersion)
        var body = request.Json();
        Assert.Equal("claude-sonnet-4-20250514", body.GetProperty("model").GetString());
        Assert.Equal("Rule one.\n\nRule two.", body.GetProperty("system").GetString());
        Assert.Equal(4096, body.GetProperty("max_tokens").GetInt32());
        Assert.Equal(3, body.GetProperty("messages").GetArrayLength());
        Assert.Equal("assistant", body.GetProperty("messages")[1].GetProperty("role").GetString());
        Assert.Equal("###", body.GetProperty("stop_sequences")[0].GetString());
        Assert.Equal("u-1", body.GetProperty("metadata").GetProperty("user_id").GetString());
        Assert.False(body.TryGetProperty("seed", out _));
    }

    [Fact]
    public async Task A_claude_stream_yields_text_deltas_and_normalised_usage()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        anthropic.Enqueue(new FakeReply { Text = "streamed words here", InputTokens = 5, CachedInputTokens = 50, OutputTokens = 3 });
        using var harness = Harness.Create(TestData.DirectEnv(anthropic));
        var deltas = new List<LlmDelta>();

        var text = await TestData.ConcatAsync(harness.Gateway.StreamChatAsync(Models.ClaudeFast, TestData.Hello, new LlmCallOptions { MaxTokens = 100 }), deltas);

        Assert.Equal("streamed words here", text);
        var final = deltas[^1].Result!;
        Assert.Equal(new LlmUsage(55, 50, 3), final.Usage);
        Assert.Equal("stop", final.FinishReason);
        Assert.Equal(LlmRoute.Direct, final.Route);
        Assert.Equal("claude-haiku-4-5-20251001", final.ProviderModel);
        var body = Assert.Single(anthropic.Requests).Json();
        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.Equal(100, body.GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public async Task OpenAI_goes_to_base_chat_completions_with_a_bearer_key_plain_and_streamed()
    {
        await using var openAI = await FakeOpenAIApi.StartAsync();
        openAI.ApiKey = TestData.OpenAIKey;
        openAI.Enqueue(
            new FakeReply { Text = "plain reply", InputTokens = 3, CachedInputTokens = 64, OutputTokens = 2 },
            new FakeReply { Text = "a streamed reply", InputTokens = 4, OutputTokens = 3 });
        using var harness = Harness.Create(TestData.DirectEnv(openAI: openAI));

        var plain = await harness.Gateway.ChatAsync(Models.OpenaiDefault, TestData.Hello, new LlmCallOptions { Seed = 5, Metadata = new Dictionary<string, string> { ["a"] = "b" } });
        var deltas = new List<LlmDelta>();
        var streamed = await TestData.ConcatAsync(harness.Gateway.StreamChatAsync(Models.OpenaiDefault, TestData.Hello), deltas);

        Assert.Equal("plain reply", plain.Text);
        Assert.Equal(new LlmUsage(67, 64, 2), plain.Usage);
        Assert.Equal("openai", plain.Provider);
        Assert.Equal(LlmRoute.Direct, plain.Route);
        Assert.Equal("a streamed reply", streamed);
        Assert.Equal(new LlmUsage(4, 0, 3), deltas[^1].Result!.Usage);
        Assert.All(openAI.Requests, r => Assert.Equal("/v1/chat/completions", r.Path));
        Assert.All(openAI.Requests, r => Assert.Equal("Bearer " + TestData.OpenAIKey, r.Header("Authorization")));
        var first = openAI.Requests[0].Json();
        Assert.Equal("gpt-4o", first.GetProperty("model").GetString());
        Assert.Equal(5, first.GetProperty("seed").GetInt64());
        Assert.False(first.TryGetProperty("metadata", out _), "LiteLLM metadata is for the proxy only");
        Assert.True(openAI.Requests[1].Json().GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public async Task A_provider_without_a_bridge_fails_naming_it_and_the_proxy_switch()
    {
        using var harness = Harness.Create(TestData.DirectEnv());

        var error = await Assert.ThrowsAsync<NoDirectRouteException>(() => harness.Gateway.ChatAsync(Models.GeminiDefault, TestData.Hello));

        Assert.Equal("gemini", error.Provider);
        Assert.Contains("gemini", error.Message, StringComparison.Ordinal);
        Assert.Contains("KAIT_LITELLM_ENABLED=true", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_provider_key_names_the_variable_the_config_points_at()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        using var harness = Harness.Create(new Dictionary<string, string?> { ["ANTHROPIC_BASE_URL"] = anthropic.BaseUrl.ToString() });

        var error = await Assert.ThrowsAsync<KaitConfigurationException>(() => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello));

        Assert.Equal("ANTHROPIC_API_KEY", error.Variable);
        Assert.Empty(anthropic.Requests);
    }

    [Fact]
    public async Task A_runtime_config_adds_aliases_with_their_own_key_variable_api_base_and_inferred_provider()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        await using var openAI = await FakeOpenAIApi.StartAsync();
        var dir = TempDirectory.Create();
        Directory.CreateDirectory(Path.Combine(dir, "config"));
        await File.WriteAllTextAsync(Path.Combine(dir, "config", "litellm_config.yaml"), $"""
            model_list:
              - model_name: team-claude
                litellm_params:
                  model: claude-3-5-haiku-20241022
                  api_key: os.environ/TEAM_ANTHROPIC_KEY
                  api_base: {anthropic.BaseUrl}
              - model_name: claude-fast
                litellm_params:
                  model: openai/gpt-4o-mini
                  api_key: os.environ/TEAM_OPENAI_KEY
                  api_base: os.environ/TEAM_OPENAI_BASE
              - model_name: "anthropic/*"
                litellm_params:
                  model: "anthropic/*"
                  api_key: os.environ/TEAM_ANTHROPIC_KEY
                  api_base: {anthropic.BaseUrl}
            router_settings:
              model_group_alias: {"{"}"quick": "team-claude"{"}"}
            """);
        using var harness = Harness.Create(
            new Dictionary<string, string?>
            {
                ["TEAM_ANTHROPIC_KEY"] = "sk-team-anthropic-123456",
                ["TEAM_OPENAI_KEY"] = "sk-team-openai-123456",
                ["TEAM_OPENAI_BASE"] = openAI.ApiBaseUrl.ToString(),
                ["ANTHROPIC_BASE_URL"] = "http://127.0.0.1:1", // api_base wins over it
            },
            workingDirectory: dir);

        var team = await harness.Gateway.ChatAsync("team-claude", TestData.Hello);
        var overridden = await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);
        var wildcard = await harness.Gateway.ChatAsync("anthropic/claude-3-haiku-20240307", TestData.Hello);
        var grouped = await harness.Gateway.ChatAsync("quick", TestData.Hello);

        Assert.Equal("anthropic", team.Provider);
        Assert.Equal("sk-team-anthropic-123456", anthropic.Requests[0].Header("x-api-key"));
        Assert.Equal("claude-3-5-haiku-20241022", anthropic.Requests[0].Json().GetProperty("model").GetString());
        // The run-time config wins over the generated alias of the same name.
        Assert.Equal("openai", overridden.Provider);
        Assert.Equal("Bearer sk-team-openai-123456", Assert.Single(openAI.Requests).Header("Authorization"));
        Assert.Equal("anthropic/claude-3-haiku-20240307", wildcard.Alias);
        Assert.Equal("claude-3-haiku-20240307", anthropic.Requests[1].Json().GetProperty("model").GetString());
        Assert.Equal("quick", grouped.Alias);

        // 'quick' is a group alias of team-claude's deployment: the same request bytes to the same host with the same
        // key, so the cache (keyed on the request itself) answers it.
        Assert.True(grouped.Cached);
        Assert.Equal("claude-3-5-haiku-20241022", grouped.ProviderModel);
        Assert.Equal(2, anthropic.Requests.Count);
    }
}
