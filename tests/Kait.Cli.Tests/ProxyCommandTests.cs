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
}
