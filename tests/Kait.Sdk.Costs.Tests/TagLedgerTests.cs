using Kait.Sdk.Costs.Ledger;

namespace Kait.Sdk.Costs.Tests;

/// <summary>Spend tags and reasoning tokens in the ledger: written with the row, read back, and grouped by tag exactly
/// (pico-USD sums, a call with several tags under each).</summary>
public sealed class TagLedgerTests
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private static LlmCallRecord Row(int second, decimal cost, params string[] tags) => new()
    {
        TimestampUtc = Day1.AddSeconds(second),
        Alias = "claude-fast",
        Route = "proxy",
        CallId = "c" + second,
        Usage = new LlmUsage(100, 0, 40) { ReasoningTokens = 25 },
        CostUsd = cost,
        CostSource = CostSource.ProxyHeader,
        Tags = tags.Length == 0 ? null : tags,
    };

    [Fact]
    public async Task Rows_keep_their_tags_and_reasoning_tokens_and_group_by_tag_exactly()
    {
        using var dir = new TempDir();
        using (var writer = LedgerWriter.Open(dir.DatabasePath, 5))
        {
            // 0.1 + 0.2 is not 0.3 in binary floating point: the ledger sums pico-USD integers.
            writer.Write([Row(1, 0.1m, "team:a"), Row(2, 0.2m, "team:a", "job:7"), Row(3, 0.000000000001m), Row(4, 0.7m, "job:7", "job:7")]);
        }

        var ledger = new SqliteCostLedger(dir.Options());
        var calls = await ledger.GetCallsAsync(Day1, Day1.AddMinutes(1));
        var byTag = (await ledger.GetTotalsAsync(CostGroupBy.Tag, Day1, Day1.AddMinutes(1))).ToDictionary(t => t.Key);
        var total = await ledger.GetSummaryAsync(Day1, Day1.AddMinutes(1));

        Assert.Equal(["job:7", "team:a"], calls.Single(c => c.CallId == "c2").Tags!.Order());
        Assert.Equal(["job:7"], calls.Single(c => c.CallId == "c4").Tags!); // a repeated tag counts once
        Assert.Null(calls.Single(c => c.CallId == "c3").Tags);
        Assert.All(calls, c => Assert.Equal(25, c.Usage.ReasoningTokens));
        Assert.Equal((2L, 0.3m), (byTag["team:a"].Calls, byTag["team:a"].CostUsd));
        Assert.Equal((2L, 0.9m), (byTag["job:7"].Calls, byTag["job:7"].CostUsd));
        Assert.Equal((1L, 0.000000000001m), (byTag[string.Empty].Calls, byTag[string.Empty].CostUsd));
        Assert.Equal((4L, 1.000000000001m), (total.Calls, total.CostUsd));
    }
}
