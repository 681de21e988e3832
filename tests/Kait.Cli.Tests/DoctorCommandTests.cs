using Kait.Sdk.Testing;

namespace Kait.Cli.Tests;

/// <summary><c>kait doctor</c>: a ✓/✗ table with fixes; exit 0 only when everything passes; never a key value.</summary>
public sealed class DoctorCommandTests
{
    [Fact]
    public async Task With_keys_set_and_the_proxy_off_every_check_passes()
    {
        using var cli = new CliRunner();
        cli.Environment["ANTHROPIC_API_KEY"] = "sk-ant-secret-value";
        cli.Environment["OPENAI_API_KEY"] = "sk-openai-secret-value";
        var run = await cli.RunAsync("doctor");
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("ANTHROPIC_API_KEY is set", run.Out, StringComparison.Ordinal);
        Assert.Contains("n/a", run.Out, StringComparison.Ordinal); // gemini: proxy only, not a failure
        Assert.DoesNotContain("secret-value", run.Out + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_master_key_the_proxy_rejects_is_named_with_its_fix()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.MasterKey = "sk-right";
        using var cli = new CliRunner();
        cli.Environment["KAIT_LITELLM_ENABLED"] = "true";
        cli.Environment["KAIT_LITELLM_URL"] = proxy.BaseUrl.ToString();
        cli.Environment["KAIT_LITELLM_MASTER_KEY"] = "sk-wrong-one";

        var run = await cli.RunAsync("doctor");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("KAIT_LITELLM_MASTER_KEY does not match the proxy", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-wrong-one", run.Out + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_config_is_reported_in_the_builds_words_at_its_line()
    {
        using var cli = new CliRunner("model_list:\n  - model_name: x\n    litellm_params:\n  model: [unclosed\n");
        var run = await cli.RunAsync("doctor");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("KAIT001", run.Out, StringComparison.Ordinal);
        Assert.Contains("litellm_config.yaml(", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_proxy_fails_with_the_start_command_as_its_fix()
    {
        using var cli = new CliRunner();
        cli.Environment["KAIT_LITELLM_ENABLED"] = "true";
        cli.Environment["KAIT_LITELLM_URL"] = "http://127.0.0.1:9";
        var run = await cli.RunAsync("doctor");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("kait proxy start", run.Out, StringComparison.Ordinal);
    }
}
