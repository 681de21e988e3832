namespace Kait.Cli.Tests;

/// <summary><c>kait models</c>: aliases, provider models, key variables (set or not, never the value) and routes.</summary>
public sealed class ModelsCommandTests
{
    [Fact]
    public async Task Models_json_lists_every_alias_with_its_key_state_and_route()
    {
        using var cli = new CliRunner();
        cli.Environment["ANTHROPIC_API_KEY"] = "sk-ant-very-secret";
        var run = await cli.RunAsync("models", "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        var rows = run.Json().EnumerateArray().ToArray();
        Assert.Equal(["claude-default", "claude-fast", "claude-strong", "openai-default", "openai-fast", "gemini-default"], rows.Select(r => r.GetProperty("alias").GetString()));
        var fast = rows[1];
        Assert.Equal("ClaudeFast", fast.GetProperty("member").GetString());
        Assert.Equal("anthropic/claude-haiku-4-5-20251001", fast.GetProperty("model").GetString());
        Assert.Equal("ANTHROPIC_API_KEY", fast.GetProperty("keyVariable").GetString());
        Assert.True(fast.GetProperty("keySet").GetBoolean());
        Assert.False(rows[3].GetProperty("keySet").GetBoolean());
        Assert.Equal("proxy only", rows[5].GetProperty("route").GetString());
        Assert.DoesNotContain("sk-ant-very-secret", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_table_reads_the_config_named_by_config_option_then_KAIT_CONFIG()
    {
        using var cli = new CliRunner();
        var other = Path.Combine(cli.WorkingDirectory, "other.yaml");
        await File.WriteAllTextAsync(other, "model_list:\n  - model_name: my-special\n    litellm_params: {model: openai/gpt-4.1, api_key: os.environ/MY_KEY}\n");
        var fromOption = await cli.RunAsync("models", "--config", "other.yaml");
        Assert.True(fromOption.ExitCode == 0, fromOption.Error);
        Assert.Contains("my-special", fromOption.Out, StringComparison.Ordinal);
        Assert.Contains("Models.MySpecial", fromOption.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("claude-fast", fromOption.Out, StringComparison.Ordinal);

        cli.Environment["KAIT_CONFIG"] = other;
        var fromEnv = await cli.RunAsync("models");
        Assert.Contains("my-special", fromEnv.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_config_option_naming_a_missing_file_exits_1()
    {
        using var cli = new CliRunner();
        var run = await cli.RunAsync("models", "--config", "missing.yaml");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("missing.yaml", run.Error, StringComparison.Ordinal);
    }
}
