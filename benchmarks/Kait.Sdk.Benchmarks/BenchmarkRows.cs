using Kait.Sdk.Costs;

namespace Kait.Sdk.Benchmarks;

/// <summary>Plausible ledger rows: six aliases, three routes, spread over <paramref name="days"/> UTC days.</summary>
internal static class BenchmarkRows
{
    public static readonly DateTimeOffset Start = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly (string Alias, string Model)[] Aliases =
    [
        ("claude-default", "anthropic/claude-sonnet-4-20250514"),
        ("claude-fast", "anthropic/claude-haiku-4-5-20251001"),
        ("claude-strong", "anthropic/claude-opus-4-6"),
        ("openai-default", "openai/gpt-4o"),
        ("openai-fast", "openai/gpt-4o-mini"),
        ("gemini-default", "gemini/gemini-2.0-flash"),
    ];

    private static readonly string[] Routes = ["proxy", "direct", "fallback"];

    public static LlmCallRecord[] Make(int count, int days, int seed = 42)
    {
        var random = new Random(seed);
        var span = (long)TimeSpan.FromDays(days).TotalMilliseconds;
        var rows = new LlmCallRecord[count];
        for (var i = 0; i < count; i++)
        {
            var (alias, model) = Aliases[random.Next(Aliases.Length)];
            rows[i] = new LlmCallRecord
            {
                TimestampUtc = Start.AddMilliseconds(span * i / count),
                Alias = alias,
                ProviderModel = model,
                Route = Routes[random.Next(Routes.Length)],
                CallId = "call-" + i,
                Usage = new LlmUsage(InputTokens: random.Next(20, 8000), OutputTokens: random.Next(1, 1000), CachedInputTokens: random.Next(0, 20)),
                CostUsd = random.Next(1, 100_000) / 10_000_000m,
                CostSource = CostSource.ProxyHeader,
                Latency = TimeSpan.FromMilliseconds(random.Next(100, 5000)),
            };
        }

        return rows;
    }

    public static string TempDatabase() => Path.Combine(Path.GetTempPath(), "kait-bench-" + Guid.NewGuid().ToString("N"), "llm_costs.db");

    public static void Delete(string databasePath)
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(databasePath)!, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
