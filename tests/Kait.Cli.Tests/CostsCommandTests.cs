using Kait.Sdk.Testing;

namespace Kait.Cli.Tests;

/// <summary>The ledger end to end: calls through <c>kait chat</c>, totals from <c>kait costs</c>, budgets stopping calls.</summary>
public sealed class CostsCommandTests
{
    [Fact]
    public async Task Costs_json_equals_the_sum_of_the_proxy_cost_headers_and_counts_cache_hits()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Enqueue(
            new FakeReply { Text = "a", CostHeader = "0.001" },
            new FakeReply { Text = "b", CostHeader = "2.5e-3" },
            new FakeReply { Text = "c", CostHeader = "0.00015" });
        using var cli = new CliRunner();
        cli.Environment["KAIT_LITELLM_ENABLED"] = "true";
        cli.Environment["KAIT_LITELLM_URL"] = proxy.BaseUrl.ToString();

        foreach (var prompt in new[] { "one", "two", "three", "three" })
        {
            var chat = await cli.RunAsync("chat", "--model", "claude-fast", prompt);
            Assert.True(chat.ExitCode == 0, chat.Error);
        }

        var costs = await cli.RunAsync("costs", "--by", "alias", "--json");

        Assert.True(costs.ExitCode == 0, costs.Error);
        var row = Assert.Single(costs.Json().EnumerateArray());
        Assert.Equal("claude-fast", row.GetProperty("key").GetString());
        Assert.Equal(4, row.GetProperty("calls").GetInt64());
        Assert.Equal(0.001m + 0.0025m + 0.00015m, row.GetProperty("costUsd").GetDecimal());
        Assert.Equal(1, row.GetProperty("cacheHits").GetInt64()); // the repeated prompt was served from Kait's cache
        Assert.Equal(3, proxy.Requests.Count);
        Assert.True(File.Exists(Path.Combine(cli.Home, "llm_costs.db")));
    }

    [Fact]
    public async Task Costs_by_route_prices_direct_calls_from_built_in_prices_and_prints_a_table()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        anthropic.Enqueue(new FakeReply { Text = "x", InputTokens = 1000, OutputTokens = 100 });
        using var cli = new CliRunner();
        cli.Environment["ANTHROPIC_BASE_URL"] = anthropic.BaseUrl.ToString();
        cli.Environment["ANTHROPIC_API_KEY"] = "sk-ant-test";

        Assert.Equal(0, (await cli.RunAsync("chat", "--model", "claude-fast", "hi")).ExitCode);
        var json = await cli.RunAsync("costs", "--by", "route", "--json");
        var table = await cli.RunAsync("costs", "--by", "model", "--since", "1d");

        var row = Assert.Single(json.Json().EnumerateArray());
        Assert.Equal("direct", row.GetProperty("key").GetString());
        // claude-haiku-4-5: 1e-6 per input token, 5e-6 per output token.
        Assert.Equal(1000 * 0.000001m + 100 * 0.000005m, row.GetProperty("costUsd").GetDecimal());
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("claude-haiku-4-5-20251001", table.Out, StringComparison.Ordinal);
        Assert.Contains("cost (USD)", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_spent_daily_budget_stops_the_next_call_before_it_is_sent_with_exit_code_3()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.DefaultReply = new FakeReply { Text = "pricey", CostHeader = "0.002" };
        using var cli = new CliRunner();
        cli.Environment["KAIT_LITELLM_ENABLED"] = "true";
        cli.Environment["KAIT_LITELLM_URL"] = proxy.BaseUrl.ToString();
        cli.Environment["KAIT_BUDGET_DAILY_USD"] = "0.001";

        var first = await cli.RunAsync("chat", "--model", "claude-fast", "first");
        var second = await cli.RunAsync("chat", "--model", "claude-fast", "second");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(3, second.ExitCode);
        Assert.Contains("daily", second.Error, StringComparison.Ordinal);
        Assert.Contains("$0.002", second.Error, StringComparison.Ordinal);
        Assert.Contains("$0.001", second.Error, StringComparison.Ordinal);
        Assert.Single(proxy.Requests); // the second call never reached the proxy
    }

    [Fact]
    public async Task A_bad_since_is_a_usage_error()
    {
        using var cli = new CliRunner();
        var run = await cli.RunAsync("costs", "--since", "yesterday");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--since", run.Error, StringComparison.Ordinal);
    }
}
