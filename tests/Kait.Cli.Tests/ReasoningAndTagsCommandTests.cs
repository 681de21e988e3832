using Kait.Sdk.Testing;

namespace Kait.Cli.Tests;

/// <summary><c>kait chat --reasoning</c>, <c>--tag</c> and <c>--json</c>'s reasoning and cache counts; <c>kait costs
/// --by tag</c>.</summary>
public sealed class ReasoningAndTagsCommandTests
{
    [Fact]
    public async Task Costs_by_tag_sums_each_tags_calls_exactly_and_the_caption_counts_each_call_once()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Enqueue(
            new FakeReply { Text = "a", CostHeader = "0.001" },
            new FakeReply { Text = "b", CostHeader = "0.0025" },
            new FakeReply { Text = "c", CostHeader = "0.00015" },
            new FakeReply { Text = "d", CostHeader = "0.0003" });
        using var cli = new CliRunner();
        cli.Environment["KAIT_LITELLM_ENABLED"] = "true";
        cli.Environment["KAIT_LITELLM_URL"] = proxy.BaseUrl.ToString();

        foreach (var args in new[]
        {
            new[] { "--tag", "team:search", "one" },
            ["--tag", "team:search", "--tag", "job:42", "two"],
            ["three"],
            ["--tag", "job:42", "four"],
        })
        {
            var chat = await cli.RunAsync(["chat", "--model", "claude-fast", .. args]);
            Assert.True(chat.ExitCode == 0, chat.Error);
        }

        var json = await cli.RunAsync("costs", "--by", "tag", "--json");
        var table = await cli.RunAsync("costs", "--by", "tag");

        Assert.True(json.ExitCode == 0, json.Error);
        var rows = json.Json().EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!, r => (Calls: r.GetProperty("calls").GetInt64(), Cost: r.GetProperty("costUsd").GetDecimal()));
        Assert.Equal((2L, 0.001m + 0.0025m), rows["team:search"]);
        Assert.Equal((2L, 0.0025m + 0.0003m), rows["job:42"]);
        Assert.Equal((1L, 0.00015m), rows[string.Empty]);
        Assert.Equal(3, rows.Count);
        Assert.Contains("(untagged)", table.Out, StringComparison.Ordinal);
        Assert.Contains("4 calls, $0.00395", table.Out, StringComparison.Ordinal);
        Assert.Equal("""["team:search","job:42"]""", proxy.Requests[1].Json().GetProperty("metadata").GetProperty("tags").GetRawText());
    }

    [Fact]
    public async Task Chat_reasoning_sends_the_effort_and_json_prints_the_reasoning_and_its_tokens()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Enqueue(new FakeReply { Text = "42", Reasoning = "Six times seven.", ReasoningTokens = 9, OutputTokens = 12, CacheCreationInputTokens = 3 });
        using var cli = new CliRunner();
        cli.Environment["KAIT_LITELLM_ENABLED"] = "true";
        cli.Environment["KAIT_LITELLM_URL"] = proxy.BaseUrl.ToString();

        var run = await cli.RunAsync("chat", "--model", "claude-fast", "--reasoning", "high", "--json", "What is six times seven?");
        var bad = await cli.RunAsync("chat", "--model", "claude-fast", "--reasoning", "huge", "hi");

        Assert.True(run.ExitCode == 0, run.Error);
        var json = run.Json();
        Assert.Equal("42", json.GetProperty("text").GetString());
        Assert.Equal("Six times seven.", json.GetProperty("reasoning").GetString());
        Assert.Equal(9, json.GetProperty("reasoningTokens").GetInt32());
        Assert.Equal(3, json.GetProperty("cacheCreationInputTokens").GetInt32());
        Assert.Equal("high", Assert.Single(proxy.Requests).Json().GetProperty("reasoning_effort").GetString());
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("huge", bad.Error, StringComparison.Ordinal);
    }
}
