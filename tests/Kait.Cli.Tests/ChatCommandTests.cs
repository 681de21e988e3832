using System.Globalization;
using Kait.Sdk.Testing;

namespace Kait.Cli.Tests;

/// <summary><c>kait chat</c> end to end over loopback, on each route, with its JSON and exit codes.</summary>
public sealed class ChatCommandTests
{
    [Fact]
    public async Task Chat_json_through_the_proxy_reports_text_usage_cost_route_and_call_id()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.MasterKey = "sk-master-test";
        proxy.Enqueue(new FakeReply { Text = "Hi there", InputTokens = 21, CachedInputTokens = 4, OutputTokens = 3, CostHeader = "1.25e-05", CallId = "call-123", AttemptedRetries = 1 });
        using var cli = new CliRunner();
        cli.Environment["KAIT_LITELLM_ENABLED"] = "true";
        cli.Environment["KAIT_LITELLM_URL"] = proxy.BaseUrl.ToString();
        cli.Environment["KAIT_LITELLM_MASTER_KEY"] = "sk-master-test";

        var run = await cli.RunAsync("chat", "--model", "claude-fast", "--json", "hi");

        Assert.True(run.ExitCode == 0, run.Error);
        var json = run.Json();
        Assert.Equal("Hi there", json.GetProperty("text").GetString());
        Assert.Equal("claude-fast", json.GetProperty("alias").GetString());
        Assert.Equal("proxy", json.GetProperty("route").GetString());
        Assert.Equal(25, json.GetProperty("inputTokens").GetInt32()); // all prompt tokens, cached ones included
        Assert.Equal(4, json.GetProperty("cachedInputTokens").GetInt32());
        Assert.Equal(3, json.GetProperty("outputTokens").GetInt32());
        Assert.Equal(0.0000125m, json.GetProperty("costUsd").GetDecimal());
        Assert.Equal("proxy-header", json.GetProperty("costSource").GetString());
        Assert.False(json.GetProperty("cached").GetBoolean());
        Assert.Equal(1, json.GetProperty("proxyRetries").GetInt32());
        Assert.Equal("call-123", json.GetProperty("callId").GetString());
        Assert.True(json.GetProperty("attempts").GetInt32() >= 1);
        string[] keys = ["text", "alias", "provider", "model", "route", "inputTokens", "cachedInputTokens", "outputTokens", "costUsd", "costSource", "cached", "attempts", "proxyRetries", "callId", "cacheCreationInputTokens", "reasoningTokens", "reasoning"];
        Assert.Equal(keys.Order(), json.EnumerateObject().Select(p => p.Name).Order());
        var request = Assert.Single(proxy.Requests);
        Assert.Equal("claude-fast", request.Json().GetProperty("model").GetString());
        Assert.Equal("Bearer sk-master-test", request.Header("Authorization"));
        Assert.DoesNotContain("sk-master-test", run.Out + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_kait_chat_over_the_same_home_is_a_cache_hit()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        anthropic.ApiKey = "sk-ant-test";
        anthropic.Enqueue(new FakeReply { Text = "Once", InputTokens = 10, OutputTokens = 2 });
        using var cli = new CliRunner();
        cli.Environment["ANTHROPIC_BASE_URL"] = anthropic.BaseUrl.ToString();
        cli.Environment["ANTHROPIC_API_KEY"] = "sk-ant-test";

        var first = await cli.RunAsync("chat", "--model", "claude-fast", "--json", "hi");
        var second = await cli.RunAsync("chat", "--model", "claude-fast", "--json", "hi");

        Assert.True(second.ExitCode == 0, second.Error);
        Assert.False(first.Json().GetProperty("cached").GetBoolean());
        var json = second.Json();
        Assert.Equal("Once", json.GetProperty("text").GetString());
        Assert.True(json.GetProperty("cached").GetBoolean());
        Assert.Equal(0, json.GetProperty("attempts").GetInt32());
        Assert.Equal(0m, json.GetProperty("costUsd").GetDecimal());
        Assert.Equal("cache", json.GetProperty("costSource").GetString());
        Assert.Equal("direct", json.GetProperty("route").GetString());
        Assert.Single(anthropic.Requests);
    }

    [Fact]
    public async Task Chat_json_with_the_proxy_disabled_goes_straight_to_Anthropic()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        anthropic.ApiKey = "sk-ant-test";
        anthropic.Enqueue(new FakeReply { Text = "Direct hello", InputTokens = 10, OutputTokens = 2 });
        using var cli = new CliRunner();
        cli.Environment["KAIT_LITELLM_ENABLED"] = "false";
        cli.Environment["ANTHROPIC_BASE_URL"] = anthropic.BaseUrl.ToString();
        cli.Environment["ANTHROPIC_API_KEY"] = "sk-ant-test";

        var run = await cli.RunAsync("chat", "--model", "claude-fast", "--json", "hi");

        Assert.True(run.ExitCode == 0, run.Error);
        var json = run.Json();
        Assert.Equal("Direct hello", json.GetProperty("text").GetString());
        Assert.Equal("direct", json.GetProperty("route").GetString());
        Assert.Equal("anthropic", json.GetProperty("provider").GetString());
        Assert.Equal("claude-haiku-4-5-20251001", json.GetProperty("model").GetString());
        var request = Assert.Single(anthropic.Requests);
        Assert.Equal("/v1/messages", request.Path);
        Assert.Equal("sk-ant-test", request.Header("x-api-key"));
        Assert.Equal("claude-haiku-4-5-20251001", request.Json().GetProperty("model").GetString());
    }

    [Fact]
    public async Task Chat_stream_prints_the_whole_answer_and_a_summary_on_stderr()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Enqueue(new FakeReply { Text = "one two three four", CostHeader = "0.0002" });
        using var cli = new CliRunner();
        cli.Environment["KAIT_LITELLM_ENABLED"] = "true";
        cli.Environment["KAIT_LITELLM_URL"] = proxy.BaseUrl.ToString();

        var run = await cli.RunAsync("chat", "-m", "openai-fast", "--stream", "--system", "be brief", "count", "to", "four");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("one two three four", run.Out.TrimEnd());
        Assert.Contains("openai-fast", run.Error, StringComparison.Ordinal);
        Assert.Contains("$0.0002", run.Error, StringComparison.Ordinal);
        var body = Assert.Single(proxy.Requests).Json();
        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.Equal("system", body.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.Equal("count to four", body.GetProperty("messages")[1].GetProperty("content").GetString());
    }

    [Theory]
    [InlineData("chat hi")]
    [InlineData("chat --model claude-fast")]
    [InlineData("chat --model claude-fast --bogus hi")]
    [InlineData("nonsense")]
    public async Task Usage_errors_exit_2_with_the_reason_on_stderr(string commandLine)
    {
        using var cli = new CliRunner();
        var run = await cli.RunAsync(commandLine.Split(' '));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("kait:", run.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact]
    public async Task An_unknown_alias_exits_1_with_one_line_naming_the_nearest()
    {
        using var cli = new CliRunner();
        var run = await cli.RunAsync("chat", "--model", "claude-fsat", "hi");
        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Did you mean 'claude-fast'?", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_master_key_exits_1_and_says_so_without_the_key()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.MasterKey = "sk-right";
        using var cli = new CliRunner();
        cli.Environment["KAIT_LITELLM_ENABLED"] = "true";
        cli.Environment["KAIT_LITELLM_URL"] = proxy.BaseUrl.ToString();
        cli.Environment["KAIT_LITELLM_MASTER_KEY"] = "sk-wrong-secret";

        var run = await cli.RunAsync("chat", "--model", "claude-fast", "hi");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("KAIT_LITELLM_MASTER_KEY", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-wrong-secret", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_provider_exits_1_with_one_line_not_a_stack_trace()
    {
        using var cli = new CliRunner();
        cli.Environment["ANTHROPIC_BASE_URL"] = "http://127.0.0.1:9";
        cli.Environment["ANTHROPIC_API_KEY"] = "sk-ant-test";
        var run = await cli.RunAsync("chat", "--model", "claude-fast", "hi");
        Assert.Equal(1, run.ExitCode);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("127.0.0.1:9", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_real_program_exits_2_on_a_usage_error()
    {
        using var cli = new CliRunner();
        var run = CliRunner.RunProcess(cli.WorkingDirectory, new Dictionary<string, string> { ["KAIT_HOME"] = cli.Home }, "chat", "--json");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--model", run.Error, StringComparison.Ordinal);
    }

    internal static string Invariant(decimal d) => d.ToString(CultureInfo.InvariantCulture);
}
