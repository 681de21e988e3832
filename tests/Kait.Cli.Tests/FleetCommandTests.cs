using Kait.Sdk.Testing;

namespace Kait.Cli.Tests;

/// <summary><c>kait keys</c>, <c>kait costs --source</c> and <c>kait config pull</c> against the fake proxy.</summary>
public sealed class FleetCommandTests
{
    private const string MasterKey = "sk-master-fleet-test-0001";

    private static CliRunner Cli(FakeLiteLlmProxy proxy, string key = MasterKey)
    {
        var cli = new CliRunner();
        cli.Environment["KAIT_LITELLM_ENABLED"] = "true";
        cli.Environment["KAIT_LITELLM_URL"] = proxy.BaseUrl.ToString();
        cli.Environment["KAIT_LITELLM_MASTER_KEY"] = key;
        return cli;
    }

    [Fact]
    public async Task A_key_created_with_a_budget_is_refused_once_spent_exit_3_one_line_and_is_never_written_down()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.MasterKey = MasterKey;
        proxy.DefaultReply = new FakeReply { Text = "ok", CostUsd = 0.004m };
        using var admin = Cli(proxy);

        var created = await admin.RunAsync("keys", "create", "--budget", "0.01", "--models", "claude-fast", "--alias", "search-prod");

        Assert.True(created.ExitCode == 0, created.Error);
        var key = created.Out.Trim();
        Assert.StartsWith("sk-", key, StringComparison.Ordinal);
        Assert.DoesNotContain(key, created.Error, StringComparison.Ordinal);
        var state = Assert.Single(proxy.GeneratedKeys.Values);
        Assert.Equal((0.01m, "search-prod"), (state.MaxBudgetUsd, state.KeyAlias));
        Assert.Equal(["claude-fast"], state.Models);

        // An app calls with that key until the proxy says its budget is spent.
        using var app = Cli(proxy, key);
        var last = created;
        var answered = 0;
        for (var i = 0; i < 10; i++)
        {
            last = await app.RunAsync("chat", "--model", "claude-fast", "question " + i);
            if (last.ExitCode != 0)
            {
                break;
            }

            answered++;
        }

        Assert.Equal(3, answered); // 3 x 0.004 = 0.012 >= 0.01
        Assert.Equal(3, last.ExitCode);
        Assert.Single(last.Error.Trim().Split('\n'));
        Assert.Contains("Budget has been exceeded", last.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(key, last.Error, StringComparison.Ordinal);

        var info = await admin.RunAsync("keys", "info", key);
        Assert.True(info.ExitCode == 0, info.Error);
        Assert.Contains("search-prod", info.Out, StringComparison.Ordinal);
        Assert.Contains("$0.012", info.Out, StringComparison.Ordinal);
        Assert.Contains("$0.01", info.Out, StringComparison.Ordinal);

        // Never on disk: no file under either KAIT_HOME (ledger, cache, logs) holds the key.
        foreach (var home in new[] { admin.Home, app.Home })
        {
            foreach (var file in Directory.Exists(home) ? Directory.EnumerateFiles(home, "*", SearchOption.AllDirectories) : [])
            {
                var bytes = await File.ReadAllBytesAsync(file);
                Assert.False(bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(key)) >= 0, $"{file} holds the key");
            }
        }

        var deleted = await admin.RunAsync("keys", "delete", key);
        Assert.True(deleted.ExitCode == 0, deleted.Error);
        Assert.Empty(proxy.GeneratedKeys);
        var gone = await admin.RunAsync("keys", "info", key);
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("404", gone.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_info_and_delete_read_the_key_from_stdin_by_default_and_warn_when_it_is_on_the_command_line()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.MasterKey = MasterKey;
        using var admin = Cli(proxy);
        var key = (await admin.RunAsync("keys", "create", "--alias", "stdin-test")).Out.Trim();

        // No argument: the key comes from stdin, so it is in no process listing (/proc/<pid>/cmdline) nor shell history.
        admin.Input = key + "\n";
        var info = await admin.RunAsync("keys", "info");
        Assert.True(info.ExitCode == 0, info.Error);
        Assert.Contains("stdin-test", info.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("command line", info.Error, StringComparison.Ordinal);

        // On argv it still works, with a warning that names no key.
        admin.Input = null;
        var onArgv = await admin.RunAsync("keys", "info", key);
        Assert.True(onArgv.ExitCode == 0, onArgv.Error);
        Assert.Contains("process list", onArgv.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(key, onArgv.Error + onArgv.Out, StringComparison.Ordinal);

        admin.Input = key + "\n";
        var deleted = await admin.RunAsync("keys", "delete");
        Assert.True(deleted.ExitCode == 0, deleted.Error);
        Assert.Empty(proxy.GeneratedKeys);
    }

    [Fact]
    public async Task Keys_print_the_proxys_text_without_terminal_escapes()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.MasterKey = MasterKey;
        using var admin = Cli(proxy);
        const string Hostile = "prod\u001b]0;owned\u0007\u001b[2J\u202Eevil";

        var created = await admin.RunAsync("keys", "create", "--alias", Hostile);
        admin.Input = created.Out.Trim() + "\n";
        var info = await admin.RunAsync("keys", "info");

        Assert.True(info.ExitCode == 0, info.Error);
        foreach (var output in new[] { created.Error, info.Out })
        {
            Assert.DoesNotContain('\u001b', output);
            Assert.DoesNotContain('\u0007', output);
            Assert.DoesNotContain('\u202E', output);
            Assert.Contains("prod?]0;owned??[2J?evil", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_misspelt_alias_fails_with_did_you_mean_before_any_request()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.MasterKey = MasterKey;
        using var cli = Cli(proxy);

        var run = await cli.RunAsync("keys", "create", "--budget", "1", "--models", "claude-fsat");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Did you mean 'claude-fast'?", run.Error, StringComparison.Ordinal);
        Assert.Empty(proxy.Requests);
        Assert.Empty(proxy.GeneratedKeys);
    }

    [Fact]
    public async Task Keys_create_with_a_virtual_key_instead_of_the_master_key_is_refused_403()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.MasterKey = MasterKey;
        proxy.VirtualKeys.Add("sk-app-key-not-admin-00001");
        using var cli = Cli(proxy, "sk-app-key-not-admin-00001");

        var run = await cli.RunAsync("keys", "create", "--budget", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("403", run.Error, StringComparison.Ordinal);
        Assert.Empty(proxy.GeneratedKeys);
    }

    [Fact]
    public async Task Costs_source_both_flags_a_call_the_proxy_billed_that_this_machine_did_not_book()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.MasterKey = MasterKey;
        proxy.DefaultReply = new FakeReply { Text = "ok", CostUsd = 0.002m };
        using var cli = Cli(proxy);
        foreach (var (alias, prompt) in new[] { ("claude-fast", "a"), ("claude-fast", "b"), ("openai-fast", "c") })
        {
            var chat = await cli.RunAsync("chat", "--model", alias, prompt);
            Assert.True(chat.ExitCode == 0, chat.Error);
        }

        // Another machine's call, billed by the proxy, not in this machine's ledger.
        proxy.Spend.Add(new FakeSpendRow(DateOnly.FromDateTime(DateTime.UtcNow), "openai-fast", "fake/openai-fast", "elsewhere", 0.05m, 10, 1));

        var both = await cli.RunAsync("costs", "--source", "both", "--since", "1d", "--json");
        var proxyOnly = await cli.RunAsync("costs", "--source", "proxy", "--by", "alias", "--since", "1d", "--json");
        var table = await cli.RunAsync("costs", "--source", "both", "--since", "1d");

        Assert.True(both.ExitCode == 0, both.Error);
        var rows = both.Json().EnumerateArray().ToDictionary(r => r.GetProperty("alias").GetString()!);
        Assert.Equal(2, rows.Count);
        Assert.False(rows["claude-fast"].GetProperty("flagged").GetBoolean());
        Assert.Equal(0.004m, rows["claude-fast"].GetProperty("localUsd").GetDecimal());
        Assert.Equal(0.004m, rows["claude-fast"].GetProperty("proxyUsd").GetDecimal());
        Assert.True(rows["openai-fast"].GetProperty("flagged").GetBoolean());
        Assert.Equal(0.05m, rows["openai-fast"].GetProperty("differenceUsd").GetDecimal());
        Assert.Contains("did not book", rows["openai-fast"].GetProperty("reason").GetString(), StringComparison.Ordinal);
        var proxyRows = proxyOnly.Json().EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!);
        Assert.Equal(0.052m, proxyRows["openai-fast"].GetProperty("costUsd").GetDecimal());
        Assert.Equal(2, proxyRows["openai-fast"].GetProperty("calls").GetInt64());
        Assert.Contains("differs", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_pull_writes_the_proxys_aliases_without_keys_and_check_fails_once_the_proxy_adds_one()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.MasterKey = MasterKey;
        proxy.Models.UnionWith(["claude-fast", "team-summarizer"]);
        proxy.ExtraModelParams["api_key"] = "sk-upstream-secret-000001";
        proxy.ExtraModelParams["api_base"] = "https://internal.example";
        using var cli = Cli(proxy);
        var file = Path.Combine(cli.WorkingDirectory, "config", "pulled.yaml");

        var pulled = await cli.RunAsync("config", "pull", "--out", file);
        var printed = await cli.RunAsync("config", "pull");
        var clean = await cli.RunAsync("config", "pull", "--check", file);
        proxy.Models.Add("new-alias");
        proxy.Models.Remove("claude-fast");
        var drifted = await cli.RunAsync("config", "pull", "--check", file);

        Assert.True(pulled.ExitCode == 0, pulled.Error);
        var text = await File.ReadAllTextAsync(file);
        Assert.Equal(text, printed.Out);
        Assert.Contains("model_name: \"team-summarizer\"", text, StringComparison.Ordinal);
        Assert.Contains("model: \"fake/team-summarizer\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-upstream-secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("api_key", text, StringComparison.Ordinal);
        Assert.DoesNotContain("internal.example", text, StringComparison.Ordinal);
        Assert.True(clean.ExitCode == 0, clean.Error);
        Assert.Equal(1, drifted.ExitCode);
        Assert.Contains("added on the proxy: new-alias", drifted.Error, StringComparison.Ordinal);
        Assert.Contains("removed from the proxy: claude-fast", drifted.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model", "os.environ/ANTHROPIC_API_KEY")]
    [InlineData("model", "OS.ENVIRON/OPENAI_API_KEY")]
    public async Task Config_pull_refuses_an_environment_reference_that_litellm_would_replace_with_a_secret(string field, string value)
    {
        // LiteLLM reads any litellm_params value starting with os.environ/ from the environment: started on the pulled
        // file, a proxy would take the key as the model name, into its logs and error replies.
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.MasterKey = MasterKey;
        proxy.Models.Add("claude-fast");
        proxy.ExtraModelParams[field] = value;
        using var cli = Cli(proxy);
        var file = Path.Combine(cli.WorkingDirectory, "pulled.yaml");

        var run = await cli.RunAsync("config", "pull", "--out", file);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("os.environ/", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task Config_pull_refuses_a_proxy_name_with_control_characters_and_writes_nothing()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.MasterKey = MasterKey;
        proxy.Models.UnionWith(["ok-alias", "evil\"\n  - model_name: injected"]);
        using var cli = Cli(proxy);
        var file = Path.Combine(cli.WorkingDirectory, "pulled.yaml");

        var run = await cli.RunAsync("config", "pull", "--out", file);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("control or invisible characters", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
    }
}
