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

    [Fact]
    public async Task A_proxy_that_accepts_and_never_answers_cannot_hang_doctor()
    {
        await using var silent = ForeignServer.Silent();
        using var cli = new CliRunner();
        cli.Environment["KAIT_LITELLM_ENABLED"] = "true";
        cli.Environment["KAIT_LITELLM_URL"] = $"http://127.0.0.1:{silent.Port}";

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var run = await cli.RunAsync("doctor");
        watch.Stop();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("did not answer within 5 s", run.Out, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"doctor took {watch.Elapsed}");
        Assert.NotEmpty(silent.Requests);
    }

    [Fact]
    public async Task The_probe_bound_is_a_setting()
    {
        await using var silent = ForeignServer.Silent();
        using var cli = new CliRunner();
        cli.Environment["KAIT_LITELLM_ENABLED"] = "true";
        cli.Environment["KAIT_LITELLM_URL"] = $"http://127.0.0.1:{silent.Port}";

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var run = await cli.RunAsync("doctor", "--timeout", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("did not answer within 1 s", run.Out, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"doctor took {watch.Elapsed}");
        Assert.Equal(2, (await cli.RunAsync("doctor", "--timeout", "0")).ExitCode);
    }

    [Fact]
    public async Task Another_program_on_the_proxy_port_is_named_and_never_sent_the_master_key()
    {
        await using var foreign = ForeignServer.Answering("""{"status": "healthy"}""");
        using var cli = new CliRunner();
        cli.Environment["KAIT_LITELLM_ENABLED"] = "true";
        cli.Environment["KAIT_LITELLM_URL"] = $"http://127.0.0.1:{foreign.Port}";
        cli.Environment["KAIT_LITELLM_MASTER_KEY"] = "sk-master-never-leaves-1234";

        var run = await cli.RunAsync("doctor");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("taken by another program", run.Out, StringComparison.Ordinal);
        Assert.NotEmpty(foreign.Requests);
        Assert.False(foreign.SawKey, string.Join("\n---\n", foreign.Requests));
        Assert.DoesNotContain("master key", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_inside_the_proxy_url_are_never_printed()
    {
        using var cli = new CliRunner();
        cli.Environment["KAIT_LITELLM_ENABLED"] = "true";
        cli.Environment["KAIT_LITELLM_URL"] = "http://kaituser:hunter2-url-secret@127.0.0.1:9";

        var run = await cli.RunAsync("doctor");

        // The settings refuse a proxy URL that carries credentials, naming the variable and never the value.
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("KAIT_LITELLM_URL", run.Out + run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-url-secret", run.Out + run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("kaituser", run.Out + run.Error, StringComparison.Ordinal);
    }
}
