namespace Kait.Cli.Tests;

/// <summary>The CLI reads Kait's one settings model, as a host does: <c>.env</c>, <c>KAIT_*</c>, <c>~</c> expanded.</summary>
public sealed class SettingsCommandTests
{
    [Fact]
    public async Task Proxy_commands_find_their_files_under_a_KAIT_HOME_with_a_tilde_from_dotenv()
    {
        using var cli = new CliRunner();
        var user = Path.Combine(cli.WorkingDirectory, "user");
        cli.Environment.Remove("KAIT_HOME");
        cli.Environment["HOME"] = user;
        await File.WriteAllTextAsync(Path.Combine(cli.WorkingDirectory, ".env"), "KAIT_HOME=~/kh\n");

        var stop = await cli.RunAsync("proxy", "stop");

        Assert.Equal(0, stop.ExitCode);
        Assert.Contains(Path.Combine(user, "kh", "run", "litellm.json"), stop.Out, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(cli.WorkingDirectory, "~")));
    }

    [Fact]
    public async Task A_bad_setting_is_one_line_naming_the_variable()
    {
        using var cli = new CliRunner();
        cli.Environment["KAIT_TIMEOUT"] = "0";

        var run = await cli.RunAsync("costs");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("kait: KAIT_TIMEOUT='0' is not valid", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_dotenv_is_one_line_naming_the_file_not_a_stack_trace()
    {
        using var cli = new CliRunner();
        await File.WriteAllTextAsync(Path.Combine(cli.WorkingDirectory, ".env"), "KAIT_LITELLM_MASTER_KEY=sk-secret-value oops \"\n");

        var run = CliRunner.RunProcess(cli.WorkingDirectory, new Dictionary<string, string> { ["KAIT_HOME"] = cli.Home }, "models");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("kait: ", run.Error, StringComparison.Ordinal);
        Assert.Contains(".env cannot be read", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Trim().Split('\n'));
        Assert.DoesNotContain("sk-secret", run.Error, StringComparison.Ordinal);
    }
}
