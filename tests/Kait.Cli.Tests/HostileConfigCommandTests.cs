using System.Diagnostics;

namespace Kait.Cli.Tests;

/// <summary><c>kait models</c> (and <c>kait doctor</c>) on hostile configs: a clear error naming the file and line, exit
/// 1, in bounded time. Before, the alias bomb kept <c>kait models</c> busy until it was killed (5.5 GB after a minute),
/// and a pipe or <c>/dev/zero</c> as an include never returned.</summary>
public sealed class HostileConfigCommandTests
{
    private const string Injection = "public static int Injected = 42; //";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    /// <summary>The alias bomb: 11 levels, each a list of nine aliases of the one before, under a key the
    /// secret scan walks.</summary>
    private static string AliasBomb()
    {
        var lines = new List<string> { "model_list:", "  - model_name: ok", "    litellm_params: {model: openai/gpt-4o}", "general_settings:", "  l0: &l0 {api_key: os.environ/KEY}" };
        for (var i = 1; i < 11; i++)
        {
            lines.Add($"  l{i}: &l{i} [" + string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 9)) + "]");
        }

        return string.Join("\n", lines) + "\n";
    }

    [Fact]
    public async Task Models_on_the_alias_bomb_exits_1_with_KAIT014_at_its_line()
    {
        using var cli = new CliRunner(AliasBomb());
        var (run, elapsed) = await RunAsync(cli, "models");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("KAIT014", run.Error, StringComparison.Ordinal);
        Assert.Contains("litellm_config.yaml(10,", run.Error, StringComparison.Ordinal);
        Assert.Contains("more than 100,000 YAML nodes", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Out);
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"took {elapsed}");
    }

    [Fact]
    public async Task Models_on_an_alias_with_a_line_separator_exits_1_with_KAIT016_showing_the_character()
    {
        using var cli = new CliRunner("model_list:\n  - model_name: \"evil\\L" + Injection + "\"\n    litellm_params: {model: openai/gpt-4o}\n");
        var (run, _) = await RunAsync(cli, "models", "--json");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("KAIT016", run.Error, StringComparison.Ordinal);
        Assert.Contains("litellm_config.yaml(2,", run.Error, StringComparison.Ordinal);
        Assert.Contains("evil\\u2028public static int Injected", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\u2028', run.Error + run.Out);
    }

    [Fact]
    public async Task Models_with_dev_zero_as_an_include_exits_1_with_KAIT015_at_the_include()
    {
        using var cli = new CliRunner("model_list: []\ninclude:\n  - /dev/zero\n");
        var (run, elapsed) = await RunAsync(cli, "models");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("litellm_config.yaml(3,", run.Error, StringComparison.Ordinal);
        Assert.Contains("KAIT015: '/dev/zero' is refused: an absolute path", run.Error, StringComparison.Ordinal);
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"took {elapsed}");
    }

    [Fact]
    public async Task Models_with_a_pipe_as_an_include_exits_1_without_waiting_for_a_writer()
    {
        using var cli = new CliRunner("model_list: []\ninclude: [models.yaml]\n");
        using (var mkfifo = Process.Start("mkfifo", [Path.Combine(cli.WorkingDirectory, "config", "models.yaml")]))
        {
            await mkfifo.WaitForExitAsync();
        }

        var (run, _) = await RunAsync(cli, "models");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("KAIT015: 'models.yaml' is refused: not a regular file", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_with_config_option_naming_dev_zero_exits_1()
    {
        using var cli = new CliRunner();
        var (run, _) = await RunAsync(cli, "models", "--config", "/dev/zero");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("/dev/zero: error KAIT015", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_on_the_alias_bomb_fails_the_config_check_with_KAIT014()
    {
        using var cli = new CliRunner(AliasBomb());
        var (run, _) = await RunAsync(cli, "doctor");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("KAIT014", run.Out + run.Error, StringComparison.Ordinal);
    }

    private static async Task<(CliRun Run, TimeSpan Elapsed)> RunAsync(CliRunner cli, params string[] args)
    {
        // A run that never ends (the old alias bomb, a pipe without a writer) fails here instead of hanging the suite.
        var watch = Stopwatch.StartNew();
        var run = await Task.Run(() => cli.RunAsync(args)).WaitAsync(Bound);
        return (run, watch.Elapsed);
    }
}
