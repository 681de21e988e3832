using Microsoft.Extensions.Time.Testing;

namespace Kait.Sdk.Costs.Tests;

public sealed class MigrationTests
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    /// <summary>What the first release of the ledger wrote (schema version 1), by hand.</summary>
    private static void CreateVersion1(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var connection = Db.Open(path);
        Db.Execute(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE llm_calls (
                id INTEGER PRIMARY KEY, ts_ms INTEGER NOT NULL, alias TEXT NOT NULL,
                provider_model TEXT NOT NULL DEFAULT '', route TEXT NOT NULL DEFAULT '', call_id TEXT,
                input_tokens INTEGER NOT NULL DEFAULT 0, output_tokens INTEGER NOT NULL DEFAULT 0,
                cached_tokens INTEGER NOT NULL DEFAULT 0, cost_pusd INTEGER, cost_source TEXT NOT NULL DEFAULT 'unknown',
                cache_hit INTEGER NOT NULL DEFAULT 0, latency_ms INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 1,
                status TEXT NOT NULL DEFAULT 'ok', error_type TEXT);
            CREATE INDEX ix_llm_calls_ts ON llm_calls (ts_ms);
            PRAGMA user_version = 1;
            """);
        var ms = Day1.ToUnixTimeMilliseconds();
        Db.Execute(connection, $"""
            INSERT INTO llm_calls (ts_ms, alias, provider_model, route, call_id, input_tokens, output_tokens, cached_tokens, cost_pusd, cost_source, cache_hit, latency_ms, attempts, status, error_type) VALUES
              ({ms}, 'claude-fast', 'anthropic/claude-haiku-4-5-20251001', 'proxy', 'a', 1000, 100, 200, 1500000000, 'proxy-header', 0, 800, 1, 'ok', NULL),
              ({ms + 1000}, 'claude-fast', 'anthropic/claude-haiku-4-5-20251001', 'proxy', 'b', 1000, 100, 0, 0, 'cache', 1, 3, 1, 'ok', NULL),
              ({ms + 86_400_000}, 'openai-fast', 'openai/gpt-4o-mini', 'direct', 'c', 10, 0, 0, NULL, 'unknown', 0, 90, 3, 'error', 'timeout');
            """);
    }

    [Fact]
    public async Task A_version_1_ledger_is_migrated_on_open_and_keeps_its_rows()
    {
        using var dir = new TempDir();
        CreateVersion1(dir.DatabasePath);
        var options = dir.Options();
        var ledger = new SqliteCostLedger(options);

        var calls = await ledger.GetCallsAsync(Day1.AddDays(-1), Day1.AddDays(3));

        Assert.Equal(5, Db.Scalar(dir.DatabasePath, "PRAGMA user_version"));
        Assert.Equal(["c", "b", "a"], calls.Select(c => c.CallId));

        // v5: no reasoning tokens nor tags before; by tag, the old calls are all untagged.
        Assert.All(calls, c => Assert.Equal((0, (IReadOnlyList<string>?)null), (c.Usage.ReasoningTokens, c.Tags)));
        var byTag = Assert.Single(await ledger.GetTotalsAsync(CostGroupBy.Tag, Day1.AddDays(-1), Day1.AddDays(3)));
        Assert.Equal((string.Empty, 3L, 0.0015m), (byTag.Key, byTag.Calls, byTag.CostUsd));
        var first = calls[2];
        Assert.Equal((0.0015m, CostSource.ProxyHeader, new LlmUsage(InputTokens: 1000, OutputTokens: 100, CachedInputTokens: 200), TimeSpan.FromMilliseconds(800)), (first.CostUsd, first.CostSource, first.Usage, first.Latency));
        Assert.Equal((LlmCallStatus.Error, "timeout", 3, null), (calls[0].Status, calls[0].ErrorType, calls[0].Attempts, calls[0].HttpStatus));

        // v4: the rollups tell estimates apart; a ledger from before had none.
        Assert.Equal(0, Db.Scalar(dir.DatabasePath, "SELECT SUM(estimated_calls) + SUM(estimated_pusd) FROM llm_daily_totals"));
        Assert.Equal(0, Db.Scalar(dir.DatabasePath, "SELECT SUM(estimated_calls) + SUM(estimated_pusd) FROM llm_hourly_totals"));

        // Both rollups were backfilled: a whole-day report (daily rollup only) sees the old rows, and so does the hourly one.
        Assert.Equal(3, Db.Scalar(dir.DatabasePath, "SELECT SUM(calls) FROM llm_hourly_totals"));
        Assert.Equal(1_500_000_000, Db.Scalar(dir.DatabasePath, "SELECT SUM(cost_pusd) FROM llm_hourly_totals"));
        var byDay = await ledger.GetTotalsAsync(CostGroupBy.Day, Day1.Date, Day1.Date.AddDays(2));
        Assert.Equal(
            [new CostTotals("2026-11-20", 2, 2000, 200, 0.0015m, 1) { CachedInputTokens = 200 }, new CostTotals("2026-11-21", 1, 10, 0, 0m, 0) { UnknownCostCalls = 1 }],
            byDay);
    }

    [Fact]
    public async Task The_tracker_writes_new_rows_into_a_migrated_ledger()
    {
        using var dir = new TempDir();
        CreateVersion1(dir.DatabasePath);
        var options = dir.Options();
        await using (var tracker = new LlmCostTracker(options, new FakeTimeProvider(Day1)))
        {
            await tracker.RecordAsync(new LlmCallRecord
            {
                TimestampUtc = Day1.AddHours(1), Alias = "claude-fast", ProviderModel = "anthropic/claude-haiku-4-5-20251001", Route = "proxy",
                Usage = LlmUsage.FromAnthropic(10, 10, 0, 500), CostUsd = 0.001m, CostSource = CostSource.BuiltIn, HttpStatus = 200,
            });
        }

        Assert.Equal(4, Db.Scalar(dir.DatabasePath, "SELECT COUNT(*) FROM llm_calls"));
        Assert.Equal(500, Db.Scalar(dir.DatabasePath, "SELECT SUM(cache_creation_tokens) FROM llm_calls"));
        var day = await new SqliteCostLedger(options).GetTotalsAsync(CostGroupBy.Alias, Day1.Date, Day1.Date.AddDays(1));
        Assert.Equal(new CostTotals("claude-fast", 3, 2510, 210, 0.0025m, 1) { CachedInputTokens = 200 }, Assert.Single(day));
    }

    [Fact]
    public async Task A_ledger_from_a_newer_Kait_is_refused_with_a_clear_error()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(Path.GetDirectoryName(dir.DatabasePath)!);
        using (var connection = Db.Open(dir.DatabasePath))
        {
            Db.Execute(connection, "PRAGMA user_version = 99;");
        }

        var error = await Assert.ThrowsAsync<KaitException>(() => new SqliteCostLedger(dir.Options()).GetSummaryAsync(Day1, Day1.AddDays(1)));
        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
    }
}
