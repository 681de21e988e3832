using Kait.Sdk.Caching;
using Kait.Sdk.Costs;
using Kait.Sdk.Hosting;
using Kait.Sdk.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kait.Sdk.Tests;

/// <summary>The one settings model: one reader (configuration, then <c>.env</c>, then the environment), one set of
/// parsers, one <see cref="KaitPaths"/> for every file, read alike by AddKaitSdk, AddLiteLlmProxy and the cost tracker.</summary>
public sealed class SettingsTests
{
    private static KaitOptions Load(IDictionary<string, string?> env, IDictionary<string, string?>? config = null, string? workingDirectory = null)
    {
        var copy = new Dictionary<string, string?>(env, StringComparer.Ordinal);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(config ?? new Dictionary<string, string?>()).Build();
        return KaitOptionsLoader.Load(configuration, new KaitEnvironment(name => copy.GetValueOrDefault(name), workingDirectory ?? TempDirectory.Create()));
    }

    private static ServiceProvider Container(IDictionary<string, string?> env, string workingDirectory, Action<IServiceCollection> register)
    {
        var copy = new Dictionary<string, string?>(env, StringComparer.Ordinal);
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(new KaitEnvironment(name => copy.GetValueOrDefault(name), workingDirectory));
        register(services);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task KAIT_HOME_with_a_tilde_puts_every_file_under_HOME()
    {
        var root = TempDirectory.Create();
        var user = Directory.CreateDirectory(Path.Combine(root, "user")).FullName;
        var app = Directory.CreateDirectory(Path.Combine(root, "app")).FullName;
        var expected = Path.Combine(user, "x");
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        var env = new Dictionary<string, string?>
        {
            ["HOME"] = user,
            ["USERPROFILE"] = user,
            ["KAIT_HOME"] = "~/x",
            ["KAIT_LITELLM_ENABLED"] = "true",
            ["KAIT_LITELLM_URL"] = proxy.BaseUrl.ToString(),
        };

        string ledger, logFile, runRecord;
        await using (var provider = Container(env, app, s => s.AddKaitSdk(new ConfigurationBuilder().Build()).AddLiteLlmProxy()))
        {
            // A real call: it is booked in the ledger and stored in the response cache.
            await provider.GetRequiredService<LlmGateway>().ChatAsync(Models.ClaudeFast, TestData.Hello);
            Assert.Equal(expected, provider.GetRequiredService<KaitPaths>().Home);
            ledger = provider.GetRequiredService<IOptions<KaitCostOptions>>().Value.ResolveDatabasePath();
            var service = provider.GetRequiredService<LiteLlmProxyService>();
            logFile = service.Options.LogFilePath;
            runRecord = service.Options.RunRecordPath;
            Assert.Equal(expected, service.Options.KaitHome);
            _ = provider.GetRequiredService<ResponseCache>();
        }

        Assert.Equal(Path.Combine(expected, "llm_costs.db"), ledger);
        Assert.Equal(Path.Combine(expected, "logs", "litellm.log"), logFile);
        Assert.Equal(Path.Combine(expected, "run", "litellm.json"), runRecord);
        Assert.True(File.Exists(ledger), "the ledger is written under $HOME/x");
        Assert.True(File.Exists(Path.Combine(expected, "cache.salt")), "the cache salt is written under $HOME/x");
        Assert.True(File.Exists(Path.Combine(expected, "response_cache.db")), "the cache store is written under $HOME/x");
        Assert.False(Directory.Exists(Path.Combine(app, "~")), "nothing lands in ./~");
    }

    [Fact]
    public void AddLiteLlmProxy_reads_dotenv_and_the_real_environment_wins()
    {
        var dir = TempDirectory.Create();
        File.WriteAllText(Path.Combine(dir, ".env"), """
            KAIT_LITELLM_ENABLED=true
            KAIT_LITELLM_PORT=4123
            KAIT_LITELLM_MASTER_KEY=sk-from-dotenv-123456
            """);
        var env = new Dictionary<string, string?> { ["HOME"] = dir, ["KAIT_HOME"] = Path.Combine(dir, "home") };

        using (var fromFile = Container(env, dir, s => s.AddLiteLlmProxy()))
        {
            var service = fromFile.GetRequiredService<LiteLlmProxyService>();
            Assert.True(service.Options.Enabled);
            Assert.Equal(4123, service.Options.Port);
            Assert.Equal("sk-from-dotenv-123456", service.Options.MasterKey);
            Assert.Contains(service, fromFile.GetServices<IHostedService>());
        }

        env["KAIT_LITELLM_MASTER_KEY"] = "sk-real-env-654321";
        env["KAIT_LITELLM_ENABLED"] = "false";
        using var realWins = Container(env, dir, s => s.AddLiteLlmProxy());
        var options = realWins.GetRequiredService<LiteLlmProxyService>().Options;
        Assert.False(options.Enabled);
        Assert.Equal("sk-real-env-654321", options.MasterKey);
        Assert.Equal(4123, options.Port);
        Assert.Null(Environment.GetEnvironmentVariable("KAIT_LITELLM_MASTER_KEY"));
    }

    [Fact]
    public void The_gateway_and_the_supervised_proxy_read_the_same_settings()
    {
        var dir = TempDirectory.Create();
        var env = new Dictionary<string, string?> { ["HOME"] = dir, ["KAIT_LITELLM_ENABLED"] = "on" };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kait:Proxy:Port"] = "4555",
            ["Kait:Proxy:MasterKey"] = "sk-config-123456",
            ["Kait:Home"] = "kait-home",
            ["Kait:Supervisor:ReadinessTimeout"] = "00:00:20",
        }).Build();

        using var provider = Container(env, dir, s => s.AddKaitSdk(configuration).AddLiteLlmProxy());
        var settings = provider.GetRequiredService<IOptions<KaitOptions>>().Value;
        var supervised = provider.GetRequiredService<LiteLlmProxyService>().Options;

        Assert.True(settings.Proxy.Enabled);
        Assert.True(supervised.Enabled);
        Assert.Equal(settings.Proxy.BaseUrl.Port, supervised.Port);
        Assert.Equal(4555, supervised.Port);
        Assert.Equal(settings.Proxy.MasterKey, supervised.MasterKey);
        Assert.Equal(TimeSpan.FromSeconds(20), supervised.ReadinessTimeout);
        Assert.Equal(Path.Combine(dir, "kait-home"), supervised.KaitHome); // relative to the working directory
    }

    [Fact]
    public void AddLiteLlmProxy_alone_reads_the_hosts_configuration()
    {
        var dir = TempDirectory.Create();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Kait:Proxy:Enabled"] = "true" }).Build();

        using var provider = Container(new Dictionary<string, string?> { ["HOME"] = dir }, dir, s => s.AddSingleton<IConfiguration>(configuration).AddLiteLlmProxy());

        Assert.True(provider.GetRequiredService<LiteLlmProxyService>().Options.Enabled);
    }

    [Fact]
    public void A_proxy_URL_on_another_machine_is_called_but_not_started_here()
    {
        var dir = TempDirectory.Create();
        var env = new Dictionary<string, string?> { ["HOME"] = dir, ["KAIT_LITELLM_ENABLED"] = "true", ["KAIT_LITELLM_URL"] = "https://llm.example.test:8443" };

        using var remote = Container(env, dir, s => s.AddLiteLlmProxy());
        env["KAIT_LITELLM_URL"] = "http://127.0.0.1:4777/";
        using var local = Container(env, dir, s => s.AddLiteLlmProxy());

        Assert.False(remote.GetRequiredService<LiteLlmProxyService>().Options.Enabled);
        Assert.True(local.GetRequiredService<LiteLlmProxyService>().Options.Enabled);
        Assert.Equal(4777, local.GetRequiredService<LiteLlmProxyService>().Options.Port);
    }

    [Fact]
    public void A_KAIT_CONFIG_naming_a_missing_file_fails_the_catalog_but_not_the_proxy_commands()
    {
        var dir = TempDirectory.Create();
        var env = new Dictionary<string, string?> { ["HOME"] = dir, ["KAIT_CONFIG"] = "missing.yaml" };

        using var provider = Container(env, dir, s => s.AddKaitSdk(new ConfigurationBuilder().Build()).AddLiteLlmProxy());

        Assert.Equal(Path.Combine(dir, "missing.yaml"), provider.GetRequiredService<LiteLlmProxyService>().Options.ConfigPath);
        Assert.Equal("KAIT_CONFIG", Assert.Throws<KaitConfigurationException>(() => provider.GetRequiredService<IModelCatalog>()).Variable);
    }

    [Fact]
    public void Configuration_then_dotenv_then_the_environment()
    {
        var dir = TempDirectory.Create();
        var config = new Dictionary<string, string?> { ["Kait:Proxy:Port"] = "5000", ["Kait:Resilience:Retries"] = "1", ["Kait:Cache:Ttl"] = "60" };

        var fromConfig = Load(new Dictionary<string, string?>(), config, dir);
        File.WriteAllText(Path.Combine(dir, ".env"), "KAIT_LITELLM_PORT=5001\nKAIT_RETRIES=3\n");
        var fromDotEnv = Load(new Dictionary<string, string?>(), config, dir);
        var fromEnvironment = Load(new Dictionary<string, string?> { ["KAIT_LITELLM_PORT"] = "5002" }, config, dir);

        Assert.Equal((5000, 1), (fromConfig.Proxy.Port, fromConfig.Resilience.Retries));
        Assert.Equal((5001, 3), (fromDotEnv.Proxy.Port, fromDotEnv.Resilience.Retries));
        Assert.Equal((5002, 3), (fromEnvironment.Proxy.Port, fromEnvironment.Resilience.Retries));
        Assert.Equal(TimeSpan.FromSeconds(60), fromEnvironment.Cache.Ttl);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData(" On ", true)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("No", false)]
    [InlineData("off", false)]
    public void Every_boolean_reads_the_same_words_from_the_environment_and_the_configuration(string text, bool expected)
    {
        var fromEnv = Load(new Dictionary<string, string?> { ["KAIT_LITELLM_ENABLED"] = text, ["KAIT_LITELLM_FALLBACK"] = text, ["KAIT_CACHE_L2"] = text });
        var fromConfig = Load(new Dictionary<string, string?>(), new Dictionary<string, string?>
        {
            ["Kait:Proxy:Enabled"] = text,
            ["Kait:Proxy:Fallback"] = text,
            ["Kait:Cache:L2"] = text,
        });

        foreach (var options in new[] { fromEnv, fromConfig })
        {
            Assert.Equal(expected, options.Proxy.Enabled);
            Assert.Equal(expected, options.Proxy.Fallback);
            Assert.Equal(expected, options.Cache.L2);
        }
    }

    [Theory]
    [InlineData("90", 90)]
    [InlineData("2.5", 2.5)]
    [InlineData("00:01:30", 90)]
    [InlineData("1.00:00:00", 86400)]
    public void A_duration_is_seconds_or_hh_mm_ss_in_either_source(string text, double seconds)
    {
        var fromEnv = Load(new Dictionary<string, string?> { ["KAIT_TIMEOUT"] = text });
        var fromConfig = Load(new Dictionary<string, string?>(), new Dictionary<string, string?> { ["Kait:Resilience:RequestTimeout"] = text });

        Assert.Equal(TimeSpan.FromSeconds(seconds), fromEnv.Resilience.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(seconds), fromConfig.Resilience.RequestTimeout);
    }

    [Theory]
    [InlineData("Kait:Resilience:RequestTimeout", "00:00:00")]
    [InlineData("Kait:Resilience:RequestTimeout", "-00:00:05")]
    [InlineData("Kait:Resilience:AttemptTimeout", "0")]
    [InlineData("Kait:Resilience:AttemptTimeout", "3650.00:00:00")]
    [InlineData("Kait:Proxy:ConnectTimeout", "0")]
    [InlineData("Kait:Cache:Ttl", "-1")]
    [InlineData("Kait:Supervisor:ReadinessTimeout", "00:00:00")]
    [InlineData("Kait:Costs:FlushInterval", "0")]
    [InlineData("Kait:Resilience:CircuitBreakDuration", "0.1")]
    [InlineData("Kait:Proxy:Enabled", "maybe")]
    [InlineData("Kait:Proxy:Port", "0")]
    [InlineData("Kait:Resilience:Retries", "11")]
    [InlineData("Kait:Costs:DailyBudgetUsd", "-1")]
    [InlineData("Kait:AnthropicDefaultMaxTokens", "0")]
    [InlineData("Kait:AnthropicVersion", "latest")]
    public void A_bad_configuration_value_fails_naming_its_key(string key, string value)
    {
        var error = Assert.Throws<KaitConfigurationException>(() => Load(new Dictionary<string, string?>(), new Dictionary<string, string?> { [key] = value }));

        Assert.Equal(key, error.Variable);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("KAIT_TIMEOUT", "-1")]
    [InlineData("KAIT_TIMEOUT", "1e400")]
    [InlineData("KAIT_TIMEOUT", "NaN")]
    [InlineData("KAIT_TIMEOUT", "999999999")]
    [InlineData("KAIT_ATTEMPT_TIMEOUT", "0.0")]
    [InlineData("KAIT_CACHE_TTL", "soon")]
    [InlineData("KAIT_HOME", "~bob/kait")]
    [InlineData("KAIT_BUDGET_MONTHLY_USD", "lots")]
    [InlineData("KAIT_RETRIES", "1.5")]
    [InlineData("KAIT_ANTHROPIC_VERSION", "2023-6-1")]
    [InlineData("KAIT_ANTHROPIC_VERSION", "2023-06-01\r\nX-Evil: 1")]
    public void A_bad_variable_fails_naming_it(string variable, string value)
    {
        var error = Assert.Throws<KaitConfigurationException>(() => Load(new Dictionary<string, string?> { [variable] = value }));

        Assert.Equal(variable, error.Variable);
        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_of_the_old_flat_shape_or_a_typo_is_an_error_not_ignored()
    {
        var flat = Assert.Throws<KaitConfigurationException>(() => Load(new Dictionary<string, string?>(), new Dictionary<string, string?> { ["Kait:LiteLlmEnabled"] = "true" }));
        var typo = Assert.Throws<KaitConfigurationException>(() => Load(new Dictionary<string, string?>(), new Dictionary<string, string?> { ["Kait:Resilience:Retires"] = "3" }));
        var moved = Assert.Throws<KaitConfigurationException>(() => Load(new Dictionary<string, string?>(), new Dictionary<string, string?> { ["Kait:CacheTtl"] = "10" }));

        Assert.Equal("Kait:LiteLlmEnabled", flat.Variable);
        Assert.Contains("Did you mean 'Kait:Proxy:Enabled'?", flat.Message, StringComparison.Ordinal);
        Assert.Equal("Kait:Resilience:Retires", typo.Variable);
        Assert.Contains("Did you mean 'Kait:Cache:Ttl'?", moved.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hostile_value_is_echoed_bounded_and_a_URL_with_credentials_not_at_all()
    {
        var huge = Assert.Throws<KaitConfigurationException>(() => Load(new Dictionary<string, string?> { ["KAIT_LITELLM_PORT"] = "\u001b[31m" + new string('9', 100_000) }));
        var url = Assert.Throws<KaitConfigurationException>(() => Load(new Dictionary<string, string?> { ["KAIT_LITELLM_URL"] = "http://admin:hunter2-secret@127.0.0.1:4000" }));

        Assert.True(huge.Message.Length < 300, huge.Message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain('\u001b', huge.Message);
        Assert.Equal("KAIT_LITELLM_URL", url.Variable);
        Assert.DoesNotContain("hunter2", url.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("KAIT_LITELLM_ENABLED=true\nKAIT_LITELLM_MASTER_KEY=sk-secret-in-dotenv oops \"\n", "Line 2")]
    [InlineData("KAIT_LITELLM_MASTER_KEY='sk-secret-in-dotenv\nKAIT_RETRIES=3\n", "Line 3")]
    public void A_malformed_dotenv_fails_naming_the_file_and_line_without_its_content(string text, string line)
    {
        var dir = TempDirectory.Create();
        File.WriteAllText(Path.Combine(dir, ".env"), text);

        var error = Assert.Throws<KaitConfigurationException>(() => new KaitEnvironment(_ => null, dir));

        Assert.Contains(Path.Combine(dir, ".env"), error.Message, StringComparison.Ordinal);
        Assert.Contains(line, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_file_and_path_setting_has_tilde_expanded_and_is_absolute()
    {
        var dir = TempDirectory.Create();
        var env = KaitEnvironment.FromDictionary(
            new Dictionary<string, string?> { ["HOME"] = "/home/someone", ["KAIT_HOME"] = "~", ["KAIT_PRICE_MAP"] = "~/prices.json", ["KAIT_CONFIG"] = "conf/l.yaml" }, dir);
        var settings = KaitOptionsLoader.Load(null, env);
        var paths = KaitPaths.From(settings, env);

        using var provider = Container(new Dictionary<string, string?> { ["HOME"] = "/home/someone", ["KAIT_PRICE_MAP"] = "~/prices.json" }, dir, s => s.AddKaitCostTracking());

        Assert.Equal("/home/someone", paths.Home);
        Assert.Equal("/home/someone/llm_costs.db", paths.LedgerFile);
        Assert.Equal("/home/someone/cache.salt", paths.CacheSaltFile);
        Assert.Equal("/home/someone/response_cache.db", paths.CacheDbFile);
        Assert.Equal("/home/someone/logs/litellm.log", paths.ProxyLogFile);
        Assert.Equal("/home/someone/run/litellm.json", paths.RunRecordFile);
        Assert.Equal("/home/someone/venv/bin/python", paths.VenvPython);
        Assert.Equal("/home/someone/litellm_config.yaml", paths.ConfigFallback);
        Assert.Equal(Path.Combine(dir, "conf", "l.yaml"), paths.ConfigFile);
        Assert.Equal(Path.Combine(dir, "config", "litellm_config.yaml"), paths.LocalConfigFile);
        Assert.Equal("/home/someone/prices.json", provider.GetRequiredService<IOptions<KaitCostOptions>>().Value.PriceMapPath);
        Assert.Equal("/home/someone/.kait/llm_costs.db", provider.GetRequiredService<IOptions<KaitCostOptions>>().Value.ResolveDatabasePath());
    }
}
