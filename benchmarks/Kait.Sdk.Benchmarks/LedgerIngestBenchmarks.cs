using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Kait.Sdk.Costs;
using Microsoft.Extensions.Options;

namespace Kait.Sdk.Benchmarks;

/// <summary>Rows per second through <see cref="LlmCostTracker"/>: queue, background batches, rollup upserts, commit.
/// One operation is one row (the reported time per op inverts to rows/s).</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 6, iterationCount: 5, id: "Settled")] // one launch (a 2-core box), warm-up long enough for the JIT's tiering of a deep async stack
public class LedgerIngestBenchmarks
{
    private const int Rows = 100_000;
    private LlmCallRecord[] rows = [];
    private string path = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        rows = BenchmarkRows.Make(Rows, days: 30);
        path = BenchmarkRows.TempDatabase();
    }

    [GlobalCleanup]
    public void Cleanup() => BenchmarkRows.Delete(path);

    [Benchmark(OperationsPerInvoke = Rows)]
    public async Task TrackerIngest()
    {
        await using var tracker = new LlmCostTracker(Options.Create(new KaitCostOptions { DatabasePath = path }));
        foreach (var row in rows)
        {
            await tracker.RecordAsync(row).ConfigureAwait(false);
        }

        await tracker.FlushAsync().ConfigureAwait(false);
    }
}
