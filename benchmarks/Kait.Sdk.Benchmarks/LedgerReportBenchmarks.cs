using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Kait.Sdk.Costs;
using Kait.Sdk.Costs.Ledger;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Kait.Sdk.Benchmarks;

/// <summary>Grouped reports over a ledger of 1,000,000 calls spread over 30 days: through the daily rollup (whole days,
/// and a range with partial days at both ends) against a plain GROUP BY over the calls.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 6, iterationCount: 5, id: "Settled")] // one launch (a 2-core box), warm-up long enough for the JIT's tiering of a deep async stack
public class LedgerReportBenchmarks
{
    private const int Rows = 1_000_000;
    private static readonly DateTimeOffset From = BenchmarkRows.Start;
    private static readonly DateTimeOffset To = BenchmarkRows.Start.AddDays(30);
    private string path = string.Empty;
    private SqliteCostLedger ledger = null!;

    [GlobalSetup]
    public void Setup()
    {
        path = BenchmarkRows.TempDatabase();
        var rows = BenchmarkRows.Make(Rows, days: 30);
        using (var writer = LedgerWriter.Open(path, busyTimeoutSeconds: 5))
        {
            for (var i = 0; i < rows.Length; i += 10_000)
            {
                writer.Write(new ArraySegment<LlmCallRecord>(rows, i, Math.Min(10_000, rows.Length - i)));
            }
        }

        ledger = new SqliteCostLedger(Options.Create(new KaitCostOptions { DatabasePath = path }));
    }

    [GlobalCleanup]
    public void Cleanup() => BenchmarkRows.Delete(path);

    [Benchmark]
    public Task<IReadOnlyList<CostTotals>> ByAlias30WholeDays() => ledger.GetTotalsAsync(CostGroupBy.Alias, From, To);

    [Benchmark]
    public Task<IReadOnlyList<CostTotals>> ByDay30WholeDays() => ledger.GetTotalsAsync(CostGroupBy.Day, From, To);

    [Benchmark]
    public Task<IReadOnlyList<CostTotals>> ByModelPartialDayEnds() => ledger.GetTotalsAsync(CostGroupBy.Model, From.AddHours(13), To.AddHours(-7));

    [Benchmark(Baseline = true)]
    public long PlainGroupByAlias()
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT alias, COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(cost_pusd), SUM(cache_hit)
            FROM llm_calls WHERE ts_ms >= $from AND ts_ms < $to GROUP BY alias;
            """;
        command.Parameters.AddWithValue("$from", From.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", To.ToUnixTimeMilliseconds());
        using var reader = command.ExecuteReader();
        long calls = 0;
        while (reader.Read())
        {
            calls += reader.GetInt64(1);
        }

        return calls;
    }
}
