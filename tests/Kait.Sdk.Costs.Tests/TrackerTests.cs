using Kait.Sdk.Costs.Ledger;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Kait.Sdk.Costs.Tests;

public sealed class TrackerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    internal static LlmCallRecord Row(int caller, int index, decimal? cost = null) => new()
    {
        TimestampUtc = Start.AddMilliseconds(index),
        Alias = "alias-" + (caller % 4),
        ProviderModel = "openai/gpt-4o-mini",
        Route = caller % 2 == 0 ? "proxy" : "direct",
        CallId = $"{caller}-{index}",
        Usage = new LlmUsage(InputTokens: 100 + index, OutputTokens: 10 + caller, CachedInputTokens: index % 7),
        CostUsd = cost ?? (0.000001m * (index + 1)) + (0.0000001m * caller),
        CostSource = CostSource.ConfigPrice,
        Latency = TimeSpan.FromMilliseconds(42),
    };

    [Fact]
    public async Task Sixty_four_concurrent_callers_lose_no_row_and_totals_are_exact()
    {
        using var dir = new TempDir();
        // A small queue: callers outrun the writer and must wait for room, never drop.
        var options = dir.Options(o => o.QueueCapacity = 64);
        const int Callers = 64, PerCaller = 250;
        var expectedCost = 0m;
        long expectedInput = 0;
        for (var c = 0; c < Callers; c++)
        {
            for (var i = 0; i < PerCaller; i++)
            {
                expectedCost += Row(c, i).CostUsd!.Value;
                expectedInput += Row(c, i).Usage.InputTokens;
            }
        }

        await using (var tracker = new LlmCostTracker(options, new FakeTimeProvider(Start)))
        {
            await Task.WhenAll(Enumerable.Range(0, Callers).Select(c => Task.Run(async () =>
            {
                for (var i = 0; i < PerCaller; i++)
                {
                    await tracker.RecordAsync(Row(c, i));
                }
            })));
            await tracker.FlushAsync().WaitAsync(Bound);

            Assert.Equal(Callers * PerCaller, tracker.WrittenRows);
            Assert.Equal(0, tracker.PendingRows);
            Assert.Equal(0, tracker.DroppedRows);
        }

        Assert.Equal(Callers * PerCaller, Db.Scalar(dir.DatabasePath, "SELECT COUNT(DISTINCT call_id) FROM llm_calls"));
        var total = await new SqliteCostLedger(options).GetSummaryAsync(Start.AddDays(-1), Start.AddDays(1));
        Assert.Equal(Callers * PerCaller, total.Calls);
        Assert.Equal(expectedCost, total.CostUsd);
        Assert.Equal(expectedInput, total.InputTokens);
    }

    [Fact]
    public async Task Cache_hits_and_failures_are_rows_too()
    {
        using var dir = new TempDir();
        var options = dir.Options();
        await using (var tracker = new LlmCostTracker(options, new FakeTimeProvider(Start)))
        {
            await tracker.RecordAsync(Row(0, 1) with { CacheHit = true, CostUsd = 0.5m, CostSource = CostSource.PriceMap });
            await tracker.RecordAsync(Row(0, 2) with
            {
                Status = LlmCallStatus.Error, ErrorType = "rate_limit_error", HttpStatus = 429, Attempts = 3,
                CostUsd = null, CostSource = CostSource.Unknown, Usage = LlmUsage.Empty,
            });
        }

        var calls = await new SqliteCostLedger(options).GetCallsAsync(Start.AddDays(-1), Start.AddDays(1));
        var failure = Assert.Single(calls, c => c.Status == LlmCallStatus.Error);
        Assert.Equal(("rate_limit_error", 429, 3, null, CostSource.Unknown), (failure.ErrorType, failure.HttpStatus, failure.Attempts, failure.CostUsd, failure.CostSource));
        var hit = Assert.Single(calls, c => c.CacheHit);
        Assert.Equal((0m, CostSource.Cache), (hit.CostUsd, hit.CostSource));

        var total = await new SqliteCostLedger(options).GetSummaryAsync(Start.AddDays(-1), Start.AddDays(1));
        Assert.Equal((2L, 1L, 1L, 0m), (total.Calls, total.CacheHits, total.UnknownCostCalls, total.CostUsd));
    }

    [Fact]
    public async Task Database_and_folder_are_created_private_to_the_user()
    {
        using var dir = new TempDir();
        var options = dir.Options();
        await using (var tracker = new LlmCostTracker(options, new FakeTimeProvider(Start)))
        {
            await tracker.RecordAsync(Row(0, 0));
            await tracker.FlushAsync().WaitAsync(Bound);
        }

        Assert.True(File.Exists(dir.DatabasePath)); // its folder did not exist
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.DatabasePath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(dir.DatabasePath)!));
        }

        Assert.Equal(1, Db.Scalar(dir.DatabasePath, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"));
    }

    [Fact]
    public async Task A_locked_database_does_not_block_calls_and_rows_arrive_once_it_is_freed()
    {
        using var dir = new TempDir();
        var options = dir.Options();
        var time = new FakeTimeProvider(Start);
        var logger = new ListLogger<LlmCostTracker>();
        await using var tracker = new LlmCostTracker(options, time, logger);
        await tracker.RecordAsync(Row(0, 0));
        await tracker.FlushAsync().WaitAsync(Bound);

        using var locker = Db.Open(dir.DatabasePath);
        Db.Execute(locker, "BEGIN EXCLUSIVE;");
        for (var i = 1; i <= 20; i++)
        {
            var record = tracker.RecordAsync(Row(0, i));
            Assert.True(record.IsCompletedSuccessfully); // the call goes on at once
        }

        await Wait.UntilAsync(() => logger.Has(LogLevel.Error, 4110), Bound);
        Assert.Contains(logger.Entries, e => e.Message.Contains(dir.DatabasePath, StringComparison.Ordinal) && e.Message.Contains("retried", StringComparison.Ordinal));
        Assert.Equal(1, Db.Scalar(locker, "SELECT COUNT(*) FROM llm_calls"));
        Assert.Equal(20, tracker.PendingRows);

        Db.Execute(locker, "ROLLBACK;");
        var flush = tracker.FlushAsync();
        for (var tick = 0; tick < 200 && !flush.IsCompleted; tick++)
        {
            time.Advance(options.Value.FlushInterval); // the retry is timed by the TimeProvider
            await Task.WhenAny(flush, Task.Delay(50));
        }

        await flush.WaitAsync(Bound);
        Assert.Equal(21, Db.Scalar(dir.DatabasePath, "SELECT COUNT(*) FROM llm_calls"));
        Assert.Equal(0, tracker.PendingRows);
        Assert.True(logger.Has(LogLevel.Information, 4112));
    }

    [Fact]
    public async Task A_corrupt_ledger_is_moved_aside_once_and_the_waiting_rows_go_into_a_fresh_one()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(Path.GetDirectoryName(dir.DatabasePath)!);
        var garbage = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("this is not a database ", 400)));
        await File.WriteAllBytesAsync(dir.DatabasePath, garbage);
        var logger = new ListLogger<LlmCostTracker>();
        await using var tracker = new LlmCostTracker(dir.Options(), new FakeTimeProvider(Start), logger); // the clock never moves

        for (var i = 0; i < 3; i++)
        {
            await tracker.RecordAsync(Row(0, i));
        }

        await tracker.FlushAsync().WaitAsync(Bound); // no retry timer needed: the file is not retried as it is

        var moved = dir.DatabasePath + ".corrupt-20261125T090000Z";
        Assert.Equal(garbage, await File.ReadAllBytesAsync(moved)); // kept, byte for byte
        Assert.Equal(3, Db.Scalar(dir.DatabasePath, "SELECT COUNT(*) FROM llm_calls"));
        Assert.Equal((3L, 0L, 0L), (tracker.WrittenRows, tracker.PendingRows, tracker.DroppedRows));
        var error = Assert.Single(logger.Entries, e => e.Id.Id == 4115);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains(dir.DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains(moved, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a database", error.Message, StringComparison.Ordinal);
        Assert.False(logger.Has(LogLevel.Error, 4110)); // detected once, never retried
    }

    [Fact]
    public async Task A_ledger_that_only_cannot_be_opened_is_retried_and_never_moved()
    {
        using var dir = new TempDir();
        var blocker = Path.Combine(dir.Path, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "a file where the ledger's folder should be");
        var logger = new ListLogger<LlmCostTracker>();
        var tracker = new LlmCostTracker(dir.Options(o => o.DatabasePath = Path.Combine(blocker, "llm_costs.db")), new FakeTimeProvider(Start), logger);

        await tracker.RecordAsync(Row(0, 0));
        await Wait.UntilAsync(() => logger.Has(LogLevel.Error, 4110), Bound);

        Assert.Equal(1, tracker.PendingRows);
        Assert.False(logger.Has(LogLevel.Error, 4115));
        await tracker.DisposeAsync(); // gives up after a few attempts and says so
        Assert.Equal(1, tracker.DroppedRows);
        Assert.True(logger.Has(LogLevel.Error, 4113));
    }

    [Theory]
    [InlineData("-0.01")]
    [InlineData("10000.01")]
    [InlineData("500000")]
    public async Task A_negative_or_absurd_cost_is_never_booked(string cost)
    {
        using var dir = new TempDir();
        var options = dir.Options();
        var logger = new ListLogger<LlmCostTracker>();
        await using (var tracker = new LlmCostTracker(options, new FakeTimeProvider(Start), logger))
        {
            await tracker.RecordAsync(Row(0, 0) with { CostUsd = decimal.Parse(cost, System.Globalization.CultureInfo.InvariantCulture), CostSource = CostSource.ProxyHeader });
        }

        var row = Assert.Single(await new SqliteCostLedger(options).GetCallsAsync(Start.AddDays(-1), Start.AddDays(1)));
        Assert.Equal((null, CostSource.Unknown), (row.CostUsd, row.CostSource));
        Assert.True(logger.Has(LogLevel.Warning, 4114));
    }

    [Fact]
    public async Task Rows_queued_when_the_process_exits_without_disposing_the_tracker_are_written()
    {
        using var dir = new TempDir();
        foreach (var how in (string[])["return", "exit"])
        {
            var path = Path.Combine(dir.Path, how, "llm_costs.db");

            var (code, output) = await ExitProbe.RunAsync(path, rows: 25, how);

            Assert.True(code == 0, output);
            Assert.Contains("queued 25 rows", output, StringComparison.Ordinal); // they were still waiting at exit
            Assert.Equal(25, Db.Scalar(path, "SELECT COUNT(*) FROM llm_calls"));
        }
    }

    [Fact]
    public async Task The_exit_flush_writes_what_is_queued_and_gives_up_in_bounded_time_on_a_locked_ledger()
    {
        using var dir = new TempDir();
        var options = dir.Options(o => o.FlushInterval = TimeSpan.FromHours(1));
        var logger = new ListLogger<LlmCostTracker>();
        var tracker = new LlmCostTracker(options, new FakeTimeProvider(Start), logger);
        await tracker.RecordAsync(Row(0, 0));
        await tracker.FlushAsync().WaitAsync(Bound);

        using (var locker = Db.Open(dir.DatabasePath))
        {
            Db.Execute(locker, "BEGIN EXCLUSIVE;");
            await tracker.RecordAsync(Row(0, 1));
            await Wait.UntilAsync(() => logger.Has(LogLevel.Error, 4110), Bound);

            var clock = System.Diagnostics.Stopwatch.StartNew();
            Assert.False(tracker.FlushAtExit(TimeSpan.FromMilliseconds(300)));
            Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
            Assert.True(logger.Has(LogLevel.Error, 4117));
            Db.Execute(locker, "ROLLBACK;");
        }

        // Freed in time: the exit flush completes and the row is on disk.
        Assert.True(tracker.FlushAtExit(Bound));
        Assert.Equal(2, Db.Scalar(dir.DatabasePath, "SELECT COUNT(*) FROM llm_calls"));
        await tracker.DisposeAsync(); // a later disposal (the container's) waits for the same end and does nothing more
    }

    [Fact]
    public async Task A_recorded_row_reaches_disk_in_the_background_without_flush_or_dispose()
    {
        using var dir = new TempDir();
        await using var tracker = new LlmCostTracker(dir.Options(), new FakeTimeProvider(Start)); // the clock never moves

        await tracker.RecordAsync(Row(3, 3));

        await Wait.UntilAsync(() => File.Exists(dir.DatabasePath) && tracker.WrittenRows == 1, Bound);
        Assert.Equal(1, Db.Scalar(dir.DatabasePath, "SELECT COUNT(*) FROM llm_calls"));
    }

    [Fact]
    public async Task A_row_without_an_alias_does_not_hold_up_the_rows_behind_it()
    {
        using var dir = new TempDir();
        await using var tracker = new LlmCostTracker(dir.Options(), new FakeTimeProvider(Start));

        await tracker.RecordAsync(Row(0, 1) with { Alias = null! });
        await tracker.RecordAsync(Row(0, 2));
        await tracker.FlushAsync().WaitAsync(Bound);

        Assert.Equal(2, Db.Scalar(dir.DatabasePath, "SELECT COUNT(*) FROM llm_calls"));
    }

    [Fact]
    public async Task Dispose_writes_what_is_queued()
    {
        using var dir = new TempDir();
        var options = dir.Options();
        var tracker = new LlmCostTracker(options, new FakeTimeProvider(Start));
        for (var i = 0; i < 500; i++)
        {
            await tracker.RecordAsync(Row(1, i));
        }

        await tracker.DisposeAsync();

        Assert.Equal(500, Db.Scalar(dir.DatabasePath, "SELECT COUNT(*) FROM llm_calls"));
    }

    [Fact]
    public async Task TryRecord_refuses_when_the_bounded_queue_is_full_and_counts_it()
    {
        using var dir = new TempDir();
        var blocker = Path.Combine(dir.Path, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "the ledger cannot be created under a file");
        var logger = new ListLogger<LlmCostTracker>();
        await using var tracker = new LlmCostTracker(
            dir.Options(o => { o.DatabasePath = Path.Combine(blocker, "llm_costs.db"); o.QueueCapacity = 4; o.MaxBatchSize = 2; }), new FakeTimeProvider(Start), logger);

        var accepted = 0;
        for (var i = 0; i < 10; i++)
        {
            accepted += tracker.TryRecord(Row(0, i)) ? 1 : 0;
        }

        // The writer holds at most one batch (2) and the queue at most 4.
        Assert.InRange(accepted, 4, 6);
        Assert.Equal(10 - accepted, tracker.DroppedRows);
        Assert.True(logger.Has(LogLevel.Error, 4113));
    }

    [Fact]
    public void Cost_is_stored_exactly_to_the_pico_dollar()
    {
        Assert.Equal(0.000000075m, LedgerMoney.FromPico(LedgerMoney.ToPico(0.000000075m)));
        Assert.Equal(123.456789012345m, LedgerMoney.FromPico(LedgerMoney.ToPico(123.456789012345m)));
    }
}
