namespace Kait.Cli.Tests;

/// <summary><c>kait proxy</c> without a proxy: clear answers and kait's exit codes (the supervisor itself is tested in
/// Kait.Sdk.Proxy.Tests against a stand-in process).</summary>
public sealed class ProxyCommandTests
{
    [Fact]
    public async Task Status_without_a_running_proxy_exits_1_and_says_so()
    {
        using var cli = new CliRunner();
        cli.Environment["KAIT_LITELLM_PORT"] = "9"; // nothing listens there
        var run = await cli.RunAsync("proxy", "status");
        Assert.Equal(1, run.ExitCode);
        Assert.NotEqual(string.Empty, run.Error.Trim());
    }

    [Fact]
    public async Task Stop_without_a_running_proxy_is_a_no_op_and_logs_of_a_missing_file_print_nothing()
    {
        using var cli = new CliRunner();
        var stop = await cli.RunAsync("proxy", "stop");
        var logs = await cli.RunAsync("proxy", "logs", "-n", "5");
        Assert.Equal(0, stop.ExitCode); // stopping is idempotent
        Assert.NotEqual(string.Empty, stop.Out.Trim());
        Assert.Equal(0, logs.ExitCode);
        Assert.Equal(string.Empty, logs.Out);
    }

    [Fact]
    public async Task An_unknown_proxy_verb_is_a_usage_error()
    {
        using var cli = new CliRunner();
        Assert.Equal(2, (await cli.RunAsync("proxy", "restart-everything")).ExitCode);
    }

    [Fact]
    public async Task Stop_with_a_record_naming_an_unrelated_process_signals_nothing_and_says_the_record_was_stale()
    {
        using var cli = new CliRunner();
        using var unrelated = System.Diagnostics.Process.Start("sleep", "60")!;
        try
        {
            var run = Directory.CreateDirectory(Path.Combine(cli.Home, "run")).FullName;
            await File.WriteAllTextAsync(Path.Combine(run, "litellm.json"), $"{{\"pid\": {unrelated.Id}, \"port\": 9, \"log\": \"x\", \"processGroup\": true, \"state\": \"running\"}}");

            var stop = await cli.RunAsync("proxy", "stop");

            Assert.Equal(0, stop.ExitCode);
            Assert.Contains("stale", stop.Out, StringComparison.Ordinal);
            Assert.Contains("Nothing was signalled", stop.Out, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(run, "litellm.json")));
            await Task.Delay(300);
            Assert.False(unrelated.HasExited, "an unrelated process must never be signalled");
        }
        finally
        {
            unrelated.Kill();
            await unrelated.WaitForExitAsync();
        }
    }
}
