using Kait.Sdk.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Kait.Sdk.Tests;

public sealed class EnvironmentTests
{
    private static KaitOptions Load(IDictionary<string, string?> env, IDictionary<string, string?>? config = null, string? workingDirectory = null)
    {
        var copy = new Dictionary<string, string?>(env);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(config ?? new Dictionary<string, string?>()).Build();
        return KaitOptionsLoader.Load(configuration, new KaitEnvironment(name => copy.GetValueOrDefault(name), workingDirectory ?? TempDirectory.Create()));
    }

    private static KaitPaths Paths(KaitOptions options) => KaitPaths.From(options, new KaitEnvironment(_ => null, TempDirectory.Create()));

    [Fact]
    public void With_nothing_set_the_documented_defaults_apply()
    {
        var options = Load(new Dictionary<string, string?>());

        Assert.False(options.Proxy.Enabled);
        Assert.Equal(4000, options.Proxy.Port);
        Assert.Equal(new Uri("http://127.0.0.1:4000"), options.Proxy.BaseUrl);
        Assert.Null(options.Proxy.MasterKey);
        Assert.True(options.Proxy.Fallback);
        Assert.Equal("claude-default", options.EffectiveClaudeModel);
        Assert.Equal("openai-default", options.EffectiveOpenAIModel);
        Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kait"), Paths(options).Home);
    }

    [Fact]
    public void Every_variable_is_read()
    {
        var options = Load(new Dictionary<string, string?>
        {
            ["KAIT_LITELLM_ENABLED"] = "TRUE",
            ["KAIT_LITELLM_PORT"] = "4111",
            ["KAIT_LITELLM_MASTER_KEY"] = "sk-m-123456",
            ["KAIT_LITELLM_FALLBACK"] = "false",
            ["KAIT_LITELLM_CLAUDE_MODEL"] = "claude-fast",
            ["KAIT_LITELLM_OPENAI_MODEL"] = "openai-fast",
            ["KAIT_HOME"] = "/srv/kait-home",
            ["KAIT_CONFIG"] = "/etc/kait/litellm.yaml",
        });

        Assert.True(options.Proxy.Enabled);
        Assert.Equal(new Uri("http://127.0.0.1:4111"), options.Proxy.BaseUrl);
        Assert.Equal("sk-m-123456", options.Proxy.MasterKey);
        Assert.False(options.Proxy.Fallback);
        Assert.Equal("claude-fast", options.EffectiveClaudeModel);
        Assert.Equal("openai-fast", options.EffectiveOpenAIModel);
        Assert.Equal(Path.GetFullPath("/srv/kait-home"), Paths(options).Home);
        Assert.Equal(Path.Combine(Path.GetFullPath("/srv/kait-home"), "llm_costs.db"), Paths(options).LedgerFile);
        Assert.Equal("/etc/kait/litellm.yaml", options.ConfigFile);
    }

    [Fact]
    public void KAIT_LITELLM_URL_overrides_the_port()
    {
        var options = Load(new Dictionary<string, string?> { ["KAIT_LITELLM_PORT"] = "4111", ["KAIT_LITELLM_URL"] = "https://llm.example.test:8443/" });

        Assert.Equal(new Uri("https://llm.example.test:8443"), options.Proxy.BaseUrl);
    }

    [Fact]
    public void Variables_override_the_Kait_configuration_section()
    {
        var config = new Dictionary<string, string?>
        {
            ["Kait:Proxy:Enabled"] = "true",
            ["Kait:Proxy:Port"] = "5000",
            ["Kait:ClaudeModel"] = "claude-strong",
            ["Kait:AnthropicDefaultMaxTokens"] = "1024",
        };

        var fromConfig = Load(new Dictionary<string, string?>(), config);
        var overridden = Load(new Dictionary<string, string?> { ["KAIT_LITELLM_ENABLED"] = "false", ["KAIT_LITELLM_PORT"] = "5001" }, config);

        Assert.True(fromConfig.Proxy.Enabled);
        Assert.Equal(5000, fromConfig.Proxy.Port);
        Assert.Equal("claude-strong", fromConfig.EffectiveClaudeModel);
        Assert.Equal(1024, fromConfig.AnthropicDefaultMaxTokens);
        Assert.False(overridden.Proxy.Enabled);
        Assert.Equal(5001, overridden.Proxy.Port);
        Assert.Equal("claude-strong", overridden.EffectiveClaudeModel);
    }

    [Theory]
    [InlineData("KAIT_LITELLM_ENABLED", "maybe")]
    [InlineData("KAIT_LITELLM_FALLBACK", "sometimes")]
    [InlineData("KAIT_LITELLM_PORT", "four thousand")]
    [InlineData("KAIT_LITELLM_PORT", "70000")]
    [InlineData("KAIT_LITELLM_URL", "127.0.0.1:4000")]
    [InlineData("KAIT_RETRIES", "-1")]
    [InlineData("KAIT_RETRIES", "many")]
    [InlineData("KAIT_TIMEOUT", "0")]
    [InlineData("KAIT_ATTEMPT_TIMEOUT", "soon")]
    [InlineData("KAIT_CACHE_TTL", "-5")]
    [InlineData("KAIT_CACHE_L2", "sqlite")]
    public void A_malformed_value_fails_naming_its_variable(string variable, string value)
    {
        var error = Assert.Throws<KaitConfigurationException>(() => Load(new Dictionary<string, string?> { [variable] = value }));

        Assert.Equal(variable, error.Variable);
        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KAIT_LITELLM_PORT_routes_calls_to_that_local_port()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        using var harness = Harness.Create(new Dictionary<string, string?>
        {
            ["KAIT_LITELLM_ENABLED"] = "1",
            ["KAIT_LITELLM_PORT"] = proxy.BaseUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        var result = await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);

        Assert.Equal(LlmRoute.Proxy, result.Route);
        Assert.Single(proxy.Requests);
    }

    [Fact]
    public async Task A_dotenv_file_in_the_working_directory_is_read_and_the_real_environment_wins()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        await using var other = await FakeLiteLlmProxy.StartAsync();
        var dir = TempDirectory.Create();
        await File.WriteAllTextAsync(Path.Combine(dir, ".env"), $"""
            # Kait settings
            KAIT_LITELLM_ENABLED=true
            KAIT_LITELLM_URL={other.BaseUrl}
            KAIT_LITELLM_MASTER_KEY="sk-from-dotenv-123456"
            """);

        using (var fromFile = Harness.Create(new Dictionary<string, string?>(), workingDirectory: dir))
        {
            await fromFile.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);
        }

        using (var realWins = Harness.Create(new Dictionary<string, string?> { ["KAIT_LITELLM_URL"] = proxy.BaseUrl.ToString() }, workingDirectory: dir))
        {
            await realWins.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);
        }

        Assert.Equal("Bearer sk-from-dotenv-123456", Assert.Single(other.Requests).Header("Authorization"));
        Assert.Equal("Bearer sk-from-dotenv-123456", Assert.Single(proxy.Requests).Header("Authorization"));
        Assert.Null(Environment.GetEnvironmentVariable("KAIT_LITELLM_MASTER_KEY"));
    }

    [Fact]
    public void The_claude_and_openai_aliases_follow_their_variables()
    {
        using var defaults = Harness.Create(new Dictionary<string, string?>());
        using var chosen = Harness.Create(new Dictionary<string, string?> { ["KAIT_LITELLM_CLAUDE_MODEL"] = "claude-fast", ["KAIT_LITELLM_OPENAI_MODEL"] = "openai-fast" });

        Assert.Equal(Models.ClaudeDefault, defaults.Gateway.Claude);
        Assert.Equal(Models.OpenaiDefault, defaults.Gateway.OpenAI);
        Assert.Equal(Models.ClaudeFast, chosen.Gateway.Claude);
        Assert.Equal(Models.OpenaiFast, chosen.Gateway.OpenAI);
    }

    [Fact]
    public void An_unknown_alias_in_KAIT_LITELLM_CLAUDE_MODEL_fails_when_the_gateway_is_built()
    {
        using var harness = Harness.Create(new Dictionary<string, string?> { ["KAIT_LITELLM_CLAUDE_MODEL"] = "claude-fsat" });

        var error = Assert.Throws<KaitConfigurationException>(() => harness.Gateway);

        Assert.Equal("KAIT_LITELLM_CLAUDE_MODEL", error.Variable);
        Assert.Contains("Did you mean 'claude-fast'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_typo_in_KAIT_LITELLM_OPENAI_MODEL_fails_naming_the_variable_and_the_nearest_alias()
    {
        var dir = TempDirectory.Create();
        var config = Path.Combine(dir, "openai-only.yaml");
        File.WriteAllText(config, "model_list:\n  - model_name: openai-default\n    litellm_params:\n      model: openai/gpt-4o\n");
        using var harness = Harness.Create(new Dictionary<string, string?> { ["KAIT_CONFIG"] = config, ["KAIT_LITELLM_OPENAI_MODEL"] = "openai-defualt" }, workingDirectory: dir);

        var error = Assert.Throws<KaitConfigurationException>(() => harness.Gateway);

        Assert.Equal("KAIT_LITELLM_OPENAI_MODEL", error.Variable);
        Assert.Contains("openai-default", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_runtime_config_is_KAIT_CONFIG_else_the_working_directory_else_KAIT_HOME()
    {
        var dir = TempDirectory.Create();
        var home = Path.Combine(dir, "home");
        Directory.CreateDirectory(home);
        File.WriteAllText(Path.Combine(home, "litellm_config.yaml"), "model_list:\n  - model_name: from-home\n    litellm_params:\n      model: anthropic/claude-x\n");
        var explicitFile = Path.Combine(dir, "explicit.yaml");
        File.WriteAllText(explicitFile, "model_list:\n  - model_name: from-kait-config\n    litellm_params:\n      model: anthropic/claude-y\n");

        using (var fromHome = Harness.Create(new Dictionary<string, string?> { ["KAIT_HOME"] = home }, workingDirectory: dir))
        {
            Assert.True(fromHome.Get<IModelCatalog>().TryResolve("from-home", out _));
            Assert.Equal(Path.GetFullPath(home), fromHome.Get<KaitPaths>().Home);
        }

        Directory.CreateDirectory(Path.Combine(dir, "config"));
        File.WriteAllText(Path.Combine(dir, "config", "litellm_config.yaml"), "model_list:\n  - model_name: from-cwd\n    litellm_params:\n      model: anthropic/claude-z\n");
        using (var fromCwd = Harness.Create(new Dictionary<string, string?> { ["KAIT_HOME"] = home }, workingDirectory: dir))
        {
            Assert.True(fromCwd.Get<IModelCatalog>().TryResolve("from-cwd", out _));
            Assert.False(fromCwd.Get<IModelCatalog>().TryResolve("from-home", out _));
        }

        using (var fromVariable = Harness.Create(new Dictionary<string, string?> { ["KAIT_HOME"] = home, ["KAIT_CONFIG"] = "explicit.yaml" }, workingDirectory: dir))
        {
            var catalog = fromVariable.Get<IModelCatalog>();
            Assert.True(catalog.TryResolve("from-kait-config", out _));
            Assert.False(catalog.TryResolve("from-cwd", out _));
            Assert.True(catalog.TryResolve("claude-fast", out _), "generated aliases stay");
        }

        using var missing = Harness.Create(new Dictionary<string, string?> { ["KAIT_CONFIG"] = "nope.yaml" }, workingDirectory: dir);
        var error = Assert.Throws<KaitConfigurationException>(() => missing.Get<IModelCatalog>());
        Assert.Equal("KAIT_CONFIG", error.Variable);
    }

    [Fact]
    public void Options_resolved_from_DI_carry_the_environment_over_configuration()
    {
        using var harness = Harness.Create(
            new Dictionary<string, string?> { ["KAIT_LITELLM_MASTER_KEY"] = "sk-env-123456" },
            new Dictionary<string, string?> { ["Kait:Proxy:MasterKey"] = "sk-config-123456", ["Kait:Proxy:Fallback"] = "false" });

        var options = harness.Get<IOptions<KaitOptions>>().Value;

        Assert.Equal("sk-env-123456", options.Proxy.MasterKey);
        Assert.False(options.Proxy.Fallback);
    }

    [Fact]
    public void Reading_the_same_config_at_run_time_as_at_build_time_logs_no_duplicate_warning()
    {
        using var harness = Harness.Create(new Dictionary<string, string?> { ["KAIT_CONFIG"] = RepoFile("config/litellm_config.yaml") });

        var catalog = harness.Get<IModelCatalog>();

        Assert.True(catalog.TryResolve("claude-fast", out _));
        Assert.DoesNotContain(harness.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Fact]
    public void A_runtime_alias_that_differs_from_the_generated_one_is_logged()
    {
        var dir = TempDirectory.Create();
        var config = Path.Combine(dir, "other.yaml");
        File.WriteAllText(config, "model_list:\n  - model_name: claude-fast\n    litellm_params:\n      model: anthropic/claude-3-5-haiku-20241022\n");
        using var harness = Harness.Create(new Dictionary<string, string?> { ["KAIT_CONFIG"] = config }, workingDirectory: dir);

        Assert.True(harness.Get<IModelCatalog>().TryResolve("claude-fast", out var alias));

        Assert.Equal("claude-3-5-haiku-20241022", alias.Deployments[0].ProviderModel);
        Assert.Contains(harness.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("claude-fast", StringComparison.Ordinal));
    }

    private static string RepoFile(string relative) => Path.GetFullPath(Path.Combine(SharedFiles.RepoRoot(), relative));
}
