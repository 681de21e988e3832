using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Kait.Sdk.Benchmarks;

/// <summary><c>dotnet run -c Release -- profile &lt;miss|hit|stream|raw&gt; [seconds] [InMemory|Loopback]</c>: runs one
/// <see cref="GatewayBenchmarks"/> method in a loop and prints µs per call and bytes allocated per call; the process to
/// attach <c>dotnet-trace</c> to when a goal is missed. <c>profile &lt;genread|genfull&gt; [seconds] [aliases]</c> does
/// the same for <see cref="Generator.GeneratorBenchmarks.ReadConfig"/> and <see cref="Generator.GeneratorBenchmarks.FullRun"/>.</summary>
internal static class ProfileRun
{
    /// <summary>Variables from <c>KAIT_BENCH_ENV</c> (<c>NAME=value;NAME=value</c>) laid over the benchmark's own, to
    /// measure one part of the stack turned off (e.g. <c>KAIT_CACHE_TTL=0</c>).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> ExtraEnvironment() =>
        (Environment.GetEnvironmentVariable("KAIT_BENCH_ENV") ?? string.Empty)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(parts => new KeyValuePair<string, string?>(parts[0], parts.Length > 1 ? parts[1] : string.Empty));

    public static async Task RunAsync(string[] args)
    {
        var what = args.Length > 1 ? args[1] : "miss";
        var seconds = args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10;
        if (what is "genread" or "genfull")
        {
            RunGenerator(what, seconds, args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 1000);
            return;
        }

        var transport = args.Length > 3 ? Enum.Parse<GatewayTransport>(args[3]) : GatewayTransport.InMemory;
        var bench = new GatewayBenchmarks { Transport = transport };
        Func<Task> call;
        switch (what)
        {
            case "miss":
                await bench.SetupChatAsync().ConfigureAwait(false);
                call = bench.KaitMiss;
                break;
            case "hit":
                await bench.SetupChatAsync().ConfigureAwait(false);
                call = bench.KaitCacheHit;
                break;
            case "uncached":
                await bench.SetupChatAsync().ConfigureAwait(false);
                call = bench.KaitUncached;
                break;

            case "raw":
                await bench.SetupChatAsync().ConfigureAwait(false);
                call = bench.RawHttpClient;
                break;
            case "stream":
                await bench.SetupStreamAsync().ConfigureAwait(false);
                call = bench.KaitStream;
                break;
            case "rawstream":
                await bench.SetupStreamAsync().ConfigureAwait(false);
                call = bench.RawSse;
                break;
            default:
                throw new ArgumentException($"Unknown profile target '{what}': miss, hit, raw, stream or rawstream.");
        }

        // Many short rounds; the fastest round is the figure least disturbed by other work on the machine.
        const int Rounds = 30;
        var perCall = new List<double>(Rounds);
        var calls = 0L;
        var synchronous = 0L;
        var totalBefore = GC.GetTotalAllocatedBytes(precise: false);
        var gcs = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        for (var round = 0; round < Rounds; round++)
        {
            var inRound = 0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed.TotalSeconds < seconds / Rounds)
            {
                var pending = call();
                synchronous += pending.IsCompleted ? 1 : 0;
                await pending.ConfigureAwait(false);
                inRound++;
            }

            perCall.Add(clock.Elapsed.TotalMicroseconds / inRound);
            calls += inRound;
        }

        var (fastest, median, steady) = Summarise(perCall);
        var bytes = (GC.GetTotalAllocatedBytes(precise: false) - totalBefore) / (double)calls;
        Console.WriteLine(FormattableString.Invariant(
            $"{what} {transport}: {calls} calls, fastest round {fastest:F1} µs/call, median {median:F1} µs/call, settled median {steady:F1} µs/call, {bytes:F0} B/call, {100.0 * synchronous / calls:F0}% completed synchronously; GCs gen0/1/2 {GC.CollectionCount(0) - gcs.Item1}/{GC.CollectionCount(1) - gcs.Item2}/{GC.CollectionCount(2) - gcs.Item3}"));

        await bench.CleanupAsync().ConfigureAwait(false);
    }

    /// <summary>The fastest round, the median round, and the median of the second half (after the JIT's tiering has
    /// replaced the tier-0 code the first rounds run). <c>KAIT_BENCH_ROUNDS=1</c> prints every round.</summary>
    private static (double Fastest, double Median, double Settled) Summarise(List<double> perCall)
    {
        if (Environment.GetEnvironmentVariable("KAIT_BENCH_ROUNDS") == "1")
        {
            Console.WriteLine(string.Join(' ', perCall.Select(us => us.ToString("F1", System.Globalization.CultureInfo.InvariantCulture))));
        }

        var settled = perCall.Skip(perCall.Count / 2).Order().ToList();
        var sorted = perCall.Order().ToList();
        return (sorted[0], sorted[sorted.Count / 2], settled[settled.Count / 2]);
    }

    /// <summary>A <see cref="Generator.GeneratorBenchmarks"/> method in a loop: 2 s of warm-up (tiering), then 30 rounds;
    /// the fastest round's time per call and the exact bytes allocated per call on this thread.</summary>
    private static void RunGenerator(string what, double seconds, int aliases)
    {
        var bench = new Generator.GeneratorBenchmarks { Aliases = aliases };
        bench.Setup();
        Func<object> call = what == "genread" ? bench.ReadConfig : bench.FullRun;
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < 2)
        {
            call();
        }

        const int Rounds = 30;
        var perCall = new List<double>(Rounds);
        var calls = 0L;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < Rounds; round++)
        {
            var inRound = 0;
            var clock = Stopwatch.StartNew();
            while (inRound == 0 || clock.Elapsed.TotalSeconds < seconds / Rounds)
            {
                call();
                inRound++;
            }

            perCall.Add(clock.Elapsed.TotalMilliseconds / inRound);
            calls += inRound;
        }

        var (fastest, median, steady) = Summarise(perCall);
        var bytes = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)calls;
        Console.WriteLine(FormattableString.Invariant(
            $"{what} {aliases} aliases: {calls} calls, fastest round {fastest:F2} ms/call, median {median:F2} ms/call, settled median {steady:F2} ms/call, {bytes / 1024:F1} KB/call"));
    }
}
