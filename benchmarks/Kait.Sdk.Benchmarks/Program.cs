using BenchmarkDotNet.Running;
using Kait.Sdk.Benchmarks;

if (args is ["quick"])
{
    await QuickRun.RunAsync().ConfigureAwait(false);
    return;
}

if (args is ["profile", ..])
{
    await ProfileRun.RunAsync(args).ConfigureAwait(false);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(LedgerIngestBenchmarks).Assembly).Run(args);
