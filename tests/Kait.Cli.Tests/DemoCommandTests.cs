namespace Kait.Cli.Tests;

/// <summary><c>kait demo</c>, the README's main job, runs green offline.</summary>
public sealed class DemoCommandTests
{
    [Fact]
    public async Task The_demo_tours_every_route_a_cache_hit_a_retry_a_budget_stop_and_the_ledger()
    {
        using var cli = new CliRunner();
        var run = await cli.RunAsync("demo");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("Models.ClaudeFast → anthropic/claude-haiku-4-5-20251001", run.Out, StringComparison.Ordinal);
        Assert.Contains("via proxy: Hello from the proxy!", run.Out, StringComparison.Ordinal);
        Assert.Contains("cost $0 (cache) · cached true · attempts 0", run.Out, StringComparison.Ordinal);
        Assert.Contains("via direct: Hello straight from Claude!", run.Out, StringComparison.Ordinal);
        Assert.Contains("Second time lucky.", run.Out, StringComparison.Ordinal);
        Assert.Contains("attempts 2", run.Out, StringComparison.Ordinal);
        Assert.Contains("The daily LLM budget is spent", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"│ proxy\s+│ 2\s+│", run.Out);
        Assert.Matches(@"│ refused\s+│ 1\s+│", run.Out);
        Assert.Contains("Demo complete.", run.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(cli.Home, "llm_costs.db"))); // KAIT_HOME set: the ledger is kept there
    }
}
