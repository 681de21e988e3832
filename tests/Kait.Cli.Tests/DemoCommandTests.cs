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
    }

    [Fact]
    public async Task The_demo_runs_anywhere_on_the_default_aliases_it_ships_with_even_beside_a_config_without_them()
    {
        // An installed tool runs where the user is: no config here, or a config of their own without the demo's aliases.
        using var bare = new CliRunner();
        File.Delete(Path.Combine(bare.WorkingDirectory, "config", "litellm_config.yaml"));
        var run = await bare.RunAsync("demo");
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("Models.ClaudeFast → anthropic/claude-haiku-4-5-20251001", run.Out, StringComparison.Ordinal);
        Assert.Contains("Demo complete.", run.Out, StringComparison.Ordinal);

        using var own = new CliRunner("model_list:\n  - model_name: acme-only\n    litellm_params:\n      model: openai/gpt-4o-mini\n");
        run = await own.RunAsync("demo");
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("via proxy: Hello from the proxy!", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demo_never_writes_its_fake_rows_into_the_users_kait_home()
    {
        using var cli = new CliRunner(); // KAIT_HOME is set to cli.Home
        Directory.CreateDirectory(cli.Home);

        var run = await cli.RunAsync("demo");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(cli.Home)); // no ledger, cache or salt in the user's home
        Assert.Contains("its own temporary KAIT_HOME", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(cli.Home, run.Out, StringComparison.Ordinal);
        var temporary = System.Text.RegularExpressions.Regex.Match(run.Out, @"The cost ledger \((?<path>[^)]+)llm_costs\.db\)").Groups["path"].Value;
        Assert.NotEqual(string.Empty, temporary);
        Assert.False(Directory.Exists(temporary), "the demo's own home is removed at the end");
    }
}
