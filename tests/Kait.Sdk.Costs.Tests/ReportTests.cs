using System.Globalization;
using Microsoft.Extensions.Time.Testing;

namespace Kait.Sdk.Costs.Tests;

public sealed class ReportTests
{
    private static readonly DateTimeOffset Start = new(2026, 10, 28, 0, 0, 0, TimeSpan.Zero);

    private static async Task<TempDir> SeedAsync(int rows)
    {
        var dir = new TempDir();
        var random = new Random(1234);
        string[] aliases = ["claude-fast", "claude-default", "openai-fast", "gemini-default"];
        string?[] models = ["anthropic/claude-haiku-4-5-20251001", "openai/gpt-4o-mini", null];
        string?[] routes = ["proxy", "direct", null];
        await using var tracker = new LlmCostTracker(dir.Options(), new FakeTimeProvider(Start));
        for (var i = 0; i < rows; i++)
        {
            var known = random.Next(10) != 0;
            var estimated = known && random.Next(8) == 0; // a call that may have been billed, booked at Kait's estimate
            await tracker.RecordAsync(new LlmCallRecord
            {
                TimestampUtc = Start.AddMinutes(random.Next(0, (11 * 24 * 60) + (12 * 60))).AddMilliseconds(random.Next(60_000)),
                Alias = aliases[random.Next(aliases.Length)],
                ProviderModel = models[random.Next(models.Length)],
                Route = routes[random.Next(routes.Length)],
                Usage = new LlmUsage(InputTokens: random.Next(5000), OutputTokens: random.Next(800), CachedInputTokens: random.Next(100)),
                CostUsd = known ? random.Next(1, 1_000_000) / 100_000_000m : null,
                CostSource = estimated ? CostSource.Estimated : known ? CostSource.PriceMap : CostSource.Unknown,
                CacheHit = random.Next(20) == 0,
            });
        }

        return dir;
    }

    /// <summary>The plain GROUP BY over the calls table that the rollup must agree with.</summary>
    private static List<CostTotals> PlainGroupBy(string path, string keyColumn, DateTimeOffset from, DateTimeOffset to)
    {
        using var connection = Db.Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {keyColumn}, COUNT(*), SUM(input_tokens), SUM(output_tokens), COALESCE(SUM(cost_pusd), 0),
                   SUM(cache_hit), SUM(cached_tokens), SUM(cost_pusd IS NULL),
                   SUM(cost_source = 'estimate'), COALESCE(SUM(CASE WHEN cost_source = 'estimate' THEN cost_pusd END), 0)
            FROM llm_calls WHERE ts_ms >= $from AND ts_ms < $to GROUP BY 1 ORDER BY 1;
            """;
        command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        using var reader = command.ExecuteReader();
        var result = new List<CostTotals>();
        while (reader.Read())
        {
            result.Add(new CostTotals(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4) / 1_000_000_000_000m, reader.GetInt64(5))
            {
                CachedInputTokens = reader.GetInt64(6),
                UnknownCostCalls = reader.GetInt64(7),
                EstimatedCostCalls = reader.GetInt64(8),
                EstimatedCostUsd = reader.GetInt64(9) / 1_000_000_000_000m,
            });
        }

        return [.. result.OrderBy(r => r.Key, StringComparer.Ordinal)];
    }

    public static TheoryData<CostGroupBy, string> Groupings => new()
    {
        { CostGroupBy.Day, "strftime('%Y-%m-%d', ts_ms / 1000, 'unixepoch')" },
        { CostGroupBy.Alias, "alias" },
        { CostGroupBy.Model, "provider_model" },
        { CostGroupBy.Route, "route" },
    };

    [Theory]
    [MemberData(nameof(Groupings))]
    public async Task Rollup_report_equals_a_plain_group_by_over_any_range(CostGroupBy groupBy, string keyColumn)
    {
        using var dir = await SeedAsync(4000);
        var ledger = new SqliteCostLedger(dir.Options());
        (DateTimeOffset From, DateTimeOffset To)[] ranges =
        [
            (Start.AddDays(1).AddHours(13).AddMinutes(37), Start.AddDays(8).AddHours(5)), // partial days at both ends
            (Start, Start.AddDays(12)),                                                    // whole days only
            (Start.AddDays(3).AddHours(2), Start.AddDays(3).AddHours(20)),                 // inside one day
            (Start.AddDays(-30), Start.AddDays(30)),                                       // everything
            (Start.AddDays(-1).AddHours(3), Start.AddDays(5).AddHours(9)),                 // starts before the first call
            (Start.AddDays(4).AddHours(1), Start.AddDays(11).AddHours(18)),              // ends after the last call ("until now")
        ];

        foreach (var (from, to) in ranges)
        {
            var report = await ledger.GetTotalsAsync(groupBy, from, to);
            Assert.Equal(PlainGroupBy(dir.DatabasePath, keyColumn, from, to), report);
        }

        var all = await ledger.GetTotalsAsync(groupBy, ranges[1].From, ranges[1].To);
        Assert.Equal(4000, all.Sum(t => t.Calls));
        Assert.InRange(all.Sum(t => t.EstimatedCostCalls), 200, 800); // estimates are told apart in every rollup
        Assert.True(all.Sum(t => t.EstimatedCostUsd) < all.Sum(t => t.CostUsd));
    }

    [Fact]
    public async Task Day_keys_are_UTC_dates_in_order()
    {
        using var dir = await SeedAsync(300);
        var days = await new SqliteCostLedger(dir.Options()).GetTotalsAsync(CostGroupBy.Day, Start, Start.AddDays(12));

        Assert.Equal(12, days.Count);
        Assert.Equal(Enumerable.Range(0, 12).Select(d => Start.AddDays(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), days.Select(d => d.Key));
    }
}
