using System.Diagnostics;
using Kait.Sdk.Costs;
using Kait.Sdk.Costs.Ledger;
using Microsoft.Extensions.Options;

namespace Kait.Sdk.Benchmarks;

/// <summary><c>dotnet run -c Release -- quick</c>: a one-shot Stopwatch run of the same scenarios, printing wall and CPU
/// time, for a machine too busy for BenchmarkDotNet's statistics to mean much.</summary>
internal static class QuickRun
{
    public static async Task RunAsync()
    {
        const int Rows = 200_000;
        var rows = BenchmarkRows.Make(Rows, days: 30);

        var writerPath = BenchmarkRows.TempDatabase();
        var (wall, cpu) = await MeasureAsync(() =>
        {
            using var writer = LedgerWriter.Open(writerPath, busyTimeoutSeconds: 5);
            for (var i = 0; i < rows.Length; i += 1_000)
            {
                writer.Write(new ArraySegment<LlmCallRecord>(rows, i, 1_000));
            }

            return Task.CompletedTask;
        });
        Print("LedgerWriter, 1,000-row batches", Rows, wall, cpu);
        BenchmarkRows.Delete(writerPath);

        var trackerPath = BenchmarkRows.TempDatabase();
        (wall, cpu) = await MeasureAsync(async () =>
        {
            await using var tracker = new LlmCostTracker(Options.Create(new KaitCostOptions { DatabasePath = trackerPath }));
            foreach (var row in rows)
            {
                await tracker.RecordAsync(row).ConfigureAwait(false);
            }

            await tracker.FlushAsync().ConfigureAwait(false);
        });
        Print("LlmCostTracker.RecordAsync + FlushAsync", Rows, wall, cpu);
        BenchmarkRows.Delete(trackerPath);
    }

    private static async Task<(TimeSpan Wall, TimeSpan Cpu)> MeasureAsync(Func<Task> action)
    {
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await action().ConfigureAwait(false);
        clock.Stop();
        process.Refresh();
        return (clock.Elapsed, process.TotalProcessorTime - cpuBefore);
    }

    private static void Print(string what, int rows, TimeSpan wall, TimeSpan cpu)
        => Console.WriteLine(FormattableString.Invariant(
            $"{what}: {rows:N0} rows in {wall.TotalMilliseconds:N0} ms wall = {rows / wall.TotalSeconds:N0} rows/s; CPU {cpu.TotalMilliseconds:N0} ms = {rows / cpu.TotalSeconds:N0} rows per CPU-second"));
}
