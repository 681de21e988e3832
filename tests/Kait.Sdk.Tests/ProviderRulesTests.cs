using System.Text.Json;
using Kait.Sdk.Testing;
using Microsoft.Extensions.AI;

namespace Kait.Sdk.Tests;

/// <summary>What the providers' current APIs take, decided per model before anything is sent: Anthropic's sampling
/// rules and <c>anthropic-version</c>, native structured output from capability data, OpenAI's
/// <c>max_completion_tokens</c>, schema strictness.</summary>
public sealed class ProviderRulesTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}
        """).RootElement.Clone();

    public static TheoryData<string> ClaudeRoutes => ["proxy", "claude"];

    [Theory]
    [MemberData(nameof(ClaudeRoutes))]
    public async Task Claude_asked_for_temperature_and_top_p_gets_a_clear_Kait_error_and_nothing_is_sent(string routeName)
    {
        await using var route = await RichRoute.StartAsync(routeName);
        using var legacy = Harness.Create(new Dictionary<string, string?>(TestData.DirectEnv((FakeAnthropicApi?)(route.IsAnthropic ? route.Fake : null))) { ["KAIT_ANTHROPIC_VERSION"] = "2023-06-01" });
        var gateway = route.IsAnthropic ? legacy.Gateway : route.Gateway;

        var error = await Assert.ThrowsAsync<BadRequestException>(() => gateway.ChatAsync(route.Alias, TestData.Hello, new LlmCallOptions { Temperature = 0.3, TopP = 0.9 }));

        Assert.Contains("Temperature or TopP, not both", error.Message, StringComparison.Ordinal);
        Assert.Contains("claude-fast", error.Message, StringComparison.Ordinal);
        Assert.Null(error.StatusCode); // Kait's, not a server's
        Assert.Empty(route.Fake.Requests);
    }

    [Fact]
    public async Task On_the_default_anthropic_version_sampling_is_refused_naming_the_setting_that_sends_it()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        using var harness = Harness.Create(TestData.DirectEnv(anthropic));

        var error = await Assert.ThrowsAsync<BadRequestException>(() => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello, new LlmCallOptions { Temperature = 0.3 }));

        Assert.Contains("2026-10-21", error.Message, StringComparison.Ordinal);
        Assert.Contains("KAIT_ANTHROPIC_VERSION", error.Message, StringComparison.Ordinal);
        Assert.Empty(anthropic.Requests);
        var row = Assert.Single(await harness.RowsAsync()); // booked as a failed call
        Assert.Equal(Kait.Sdk.Costs.LlmCallStatus.Error, row.Status);
    }

    [Fact]
    public async Task The_anthropic_version_is_a_setting_sent_as_the_header_and_2023_06_01_takes_one_sampling_field()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        var env = TestData.DirectEnv(anthropic);
        env["KAIT_ANTHROPIC_VERSION"] = "2023-06-01";
        using var harness = Harness.Create(env);

        await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello, new LlmCallOptions { TopP = 0.9 });

        var request = Assert.Single(anthropic.Requests);
        Assert.Equal("2023-06-01", request.Header("anthropic-version"));
        Assert.Equal(0.9, request.Json().GetProperty("top_p").GetDouble());
        Assert.False(request.Json().TryGetProperty("temperature", out _));
    }

    [Fact]
    public async Task A_callers_own_anthropic_version_header_wins_over_the_setting_for_the_rules_too()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        using var harness = Harness.Create(TestData.DirectEnv(anthropic));

        await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello, new LlmCallOptions
        {
            Temperature = 0.3,
            ExtraHeaders = new Dictionary<string, string> { ["anthropic-version"] = "2023-06-01" },
        });

        var request = Assert.Single(anthropic.Requests);
        Assert.Equal("2023-06-01", request.Header("anthropic-version"));
        Assert.Equal(0.3, request.Json().GetProperty("temperature").GetDouble());
    }

    [Fact]
    public async Task The_openai_bridge_sends_max_completion_tokens_and_the_proxy_max_tokens()
    {
        await using var openAI = await FakeOpenAIApi.StartAsync();
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        using (var direct = Harness.Create(TestData.DirectEnv(openAI: openAI)))
        {
            await direct.Gateway.ChatAsync(Models.OpenaiFast, TestData.Hello, new LlmCallOptions { MaxTokens = 321 });
        }

        using (var viaProxy = Harness.Create(TestData.ProxyEnv(proxy)))
        {
            await viaProxy.Gateway.ChatAsync(Models.OpenaiFast, TestData.Hello, new LlmCallOptions { MaxTokens = 321 });
        }

        var bridge = Assert.Single(openAI.Requests).Json();
        Assert.Equal(321, bridge.GetProperty("max_completion_tokens").GetInt32());
        Assert.False(bridge.TryGetProperty("max_tokens", out _)); // OpenAI's reasoning models answer 400 to it
        var toProxy = Assert.Single(proxy.Requests).Json();
        Assert.Equal(321, toProxy.GetProperty("max_tokens").GetInt32()); // LiteLLM's input, mapped per provider
    }

    [Fact]
    public async Task A_strict_schema_from_ChatOptions_or_LlmResponseFormat_reaches_the_proxy_as_strict_true()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));
        using var client = harness.Gateway.AsChatClient(Models.OpenaiFast);

        await client.GetResponseAsync("Where?", new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema, "place"), AdditionalProperties = new() { ["strict"] = true } });
        await client.GetResponseAsync("Where?", new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema, "place") });
        await harness.Gateway.ChatAsync(Models.OpenaiFast, TestData.Hello, new LlmCallOptions { ResponseFormat = LlmResponseFormat.ForJsonSchema(Schema, "place", strict: true) });

        var schemas = proxy.Requests.Select(r => r.Json().GetProperty("response_format").GetProperty("json_schema")).ToArray();
        Assert.True(schemas[0].GetProperty("strict").GetBoolean());
        Assert.False(schemas[1].TryGetProperty("strict", out _)); // not asked: the server's default
        Assert.True(schemas[2].GetProperty("strict").GetBoolean());
    }

    [Fact]
    public async Task Claude_gets_native_structured_output_where_the_model_map_says_so_and_the_config_can_say_otherwise()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        var dir = TempDirectory.Create();
        var config = Path.Combine(dir, "litellm_config.yaml");
        await File.WriteAllTextAsync(config, """
            model_list:
              - model_name: sonnet-45
                litellm_params:
                  model: anthropic/claude-sonnet-4-5
                  api_key: os.environ/ANTHROPIC_API_KEY
              - model_name: sonnet-45-tool
                litellm_params:
                  model: anthropic/claude-sonnet-4-5
                  api_key: os.environ/ANTHROPIC_API_KEY
                model_info:
                  supports_native_structured_output: false
            """);
        var env = TestData.DirectEnv(anthropic);
        env["KAIT_CONFIG"] = config;
        env["KAIT_PRICE_MAP"] = SharedFiles.Path("data/litellm_model_prices.json");
        using var harness = Harness.Create(env, workingDirectory: dir);
        anthropic.Enqueue(new FakeReply { Text = """{"city":"Paris"}""" });
        anthropic.Enqueue(new FakeReply { StructuredJson = """{"city":"Lyon"}""" });
        var options = new LlmCallOptions { ResponseFormat = LlmResponseFormat.ForJsonSchema(Schema, "place") };
        string[] aliases = ["sonnet-45", "sonnet-45-tool"];

        var native = await harness.Gateway.ChatAsync(aliases[0], TestData.Hello, options);
        var fallback = await harness.Gateway.ChatAsync(aliases[1], TestData.Hello, options);

        Assert.Equal("""{"city":"Paris"}""", native.Text);
        Assert.Equal("Lyon", JsonDocument.Parse(fallback.Text).RootElement.GetProperty("city").GetString());
        var first = anthropic.Requests[0].Json();
        Assert.Equal("json_schema", first.GetProperty("output_config").GetProperty("format").GetProperty("type").GetString());
        Assert.Equal("city", first.GetProperty("output_config").GetProperty("format").GetProperty("schema").GetProperty("required")[0].GetString());
        Assert.False(first.TryGetProperty("tools", out _));
        Assert.False(first.TryGetProperty("tool_choice", out _));
        var second = anthropic.Requests[1].Json();
        Assert.False(second.TryGetProperty("output_config", out _));
        Assert.Equal("place", second.GetProperty("tool_choice").GetProperty("name").GetString()); // the documented fallback
    }

    [Theory]
    [InlineData("proxy")]
    [InlineData("direct")]
    public async Task Reasoning_asked_of_a_model_that_says_it_has_none_is_a_clear_Kait_error_not_a_400(string routeName)
    {
        await using var openAI = await FakeOpenAIApi.StartAsync();
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        var dir = TempDirectory.Create();
        var config = Path.Combine(dir, "litellm_config.yaml");
        await File.WriteAllTextAsync(config, """
            model_list:
              - model_name: plain
                litellm_params:
                  model: openai/gpt-4o
                  api_key: os.environ/OPENAI_API_KEY
                model_info:
                  supports_reasoning: false
              - model_name: thinker
                litellm_params:
                  model: openai/gpt-4o
                  api_key: os.environ/OPENAI_API_KEY
            """);
        var env = routeName == "proxy" ? TestData.ProxyEnv(proxy) : TestData.DirectEnv(openAI: openAI);
        env["KAIT_CONFIG"] = config;
        using var harness = Harness.Create(env, workingDirectory: dir);
        var options = new LlmCallOptions { Reasoning = LlmReasoning.Low };

        var error = await Assert.ThrowsAsync<BadRequestException>(() => harness.Gateway.ChatAsync("plain", TestData.Hello, options));
        await harness.Gateway.ChatAsync("thinker", TestData.Hello, options); // nobody says: the field is sent
        await harness.Gateway.ChatAsync("plain", TestData.Hello, new LlmCallOptions { Reasoning = new LlmReasoning(LlmReasoningEffort.None) });

        Assert.Contains("supports_reasoning", error.Message, StringComparison.Ordinal);
        Assert.Contains("'plain'", error.Message, StringComparison.Ordinal);
        var sent = routeName == "proxy" ? proxy.Requests.Where(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal)).ToList() : [.. openAI.Requests];
        Assert.Equal(2, sent.Count);
        Assert.Equal("low", sent[0].Json().GetProperty("reasoning_effort").GetString());
    }

    [Fact]
    public async Task Claude_thinking_with_a_forced_tool_or_a_tool_emulated_schema_is_refused_before_sending()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        using var harness = Harness.Create(TestData.DirectEnv(anthropic));
        var tool = new LlmTool("get_weather", "Weather", JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone());

        var schema = await Assert.ThrowsAsync<BadRequestException>(() => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello, new LlmCallOptions
        {
            Reasoning = LlmReasoning.Low,
            ResponseFormat = LlmResponseFormat.ForJsonSchema(Schema, "place"),
        }));
        var forced = await Assert.ThrowsAsync<BadRequestException>(() => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello, new LlmCallOptions
        {
            Reasoning = LlmReasoning.Low,
            Tools = [tool],
            ToolChoice = LlmToolChoice.Required,
        }));
        await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello, new LlmCallOptions { Reasoning = LlmReasoning.Low, Tools = [tool] });

        Assert.Contains("supports_native_structured_output", schema.Message, StringComparison.Ordinal);
        Assert.Contains("LlmToolChoice.Auto", forced.Message, StringComparison.Ordinal);
        var sent = Assert.Single(anthropic.Requests);
        Assert.Equal("enabled", sent.Json().GetProperty("thinking").GetProperty("type").GetString());
    }

    [Fact]
    public void Capabilities_per_deployment_come_from_the_model_map_with_model_info_winning()
    {
        var catalog = new ModelCapabilityCatalog(SharedFiles.Path("data/litellm_model_prices.json"));
        var sonnet = new ModelDeployment("anthropic/claude-sonnet-4-5") { Provider = "anthropic", ProviderModel = "claude-sonnet-4-5" };
        var gpt5 = new ModelDeployment("openai/gpt-5") { Provider = "openai", ProviderModel = "gpt-5" };
        var overridden = sonnet with { SupportsReasoning = false, SupportsPromptCaching = false };
        var unknown = new ModelDeployment("custom/house-model") { Provider = "custom", ProviderModel = "house-model", SupportsResponseSchema = true };

        Assert.Equal(new ModelCapabilities(true, true, true, true), catalog.For(sonnet));
        Assert.Equal(true, catalog.For(gpt5).SupportsReasoning);
        Assert.Null(catalog.For(gpt5).SupportsNativeStructuredOutput);
        Assert.Equal(new ModelCapabilities(true, true, false, false), catalog.For(overridden));
        Assert.Equal(new ModelCapabilities(true, null, null, null), catalog.For(unknown));
        Assert.Equal(new ModelCapabilities(null, null, false, false), ModelCapabilityCatalog.ConfigOnly.For(overridden));
    }

    [Fact]
    public void A_model_map_that_is_not_one_leaves_capabilities_to_the_config_and_is_logged()
    {
        var path = Path.Combine(TempDirectory.Create(), "map.json");
        File.WriteAllText(path, "[1, 2");
        using var logs = new CapturingLoggerProvider();
        var catalog = new ModelCapabilityCatalog(path, logs.CreateLogger("test"));

        var capabilities = catalog.For(new ModelDeployment("anthropic/claude-sonnet-4-5") { Provider = "anthropic", ProviderModel = "claude-sonnet-4-5" });

        Assert.Equal(ModelCapabilities.Unknown, capabilities);
        Assert.Contains(logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error && e.Message.Contains("KAIT_PRICE_MAP", StringComparison.Ordinal));
    }

    [Fact]
    public void The_config_reader_carries_model_info_flags_to_the_deployment()
    {
        var read = Kait.Sdk.Config.LiteLlmConfigReader.Read("""
            model_list:
              - model_name: a
                litellm_params:
                  model: anthropic/claude-haiku-4-5-20251001
                model_info:
                  supports_native_structured_output: true
                  supports_reasoning: false
                  supports_prompt_caching: yes
                  supports_response_schema: maybe
            """, "inline.yaml");

        var deployment = ModelCatalog.FromConfig(read.Config).Aliases[0].Deployments[0];

        Assert.True(deployment.SupportsNativeStructuredOutput);
        Assert.False(deployment.SupportsReasoning);
        Assert.True(deployment.SupportsPromptCaching);
        Assert.Null(deployment.SupportsResponseSchema); // not a boolean: not said
    }
}
