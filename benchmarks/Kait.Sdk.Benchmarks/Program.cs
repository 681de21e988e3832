using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Kait.Sdk.Benchmarks.LedgerIngestBenchmarks).Assembly).Run(args);
