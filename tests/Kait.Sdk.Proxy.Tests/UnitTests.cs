using Kait.Sdk.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Kait.Sdk.Proxy.Tests;

public sealed class UnitTests
{
    [Fact]
    public void Restart_policy_doubles_up_to_the_cap_and_bounds_restarts_in_the_window()
    {
        var time = new FakeTimeProvider();
        var policy = new RestartPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), maxRestarts: 4, TimeSpan.FromMinutes(10), time);

        var delays = new List<TimeSpan>();
        while (policy.TryNext(out var delay))
        {
            delays.Add(delay);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5)], delays);
        Assert.Equal(4, policy.RestartsInWindow);

        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, policy.RestartsInWindow);
        Assert.True(policy.TryNext(out var again));
        Assert.Equal(TimeSpan.FromSeconds(1), again);
    }

    [Fact]
    public void Rotating_log_keeps_the_configured_number_of_backups_each_under_the_limit()
    {
        using var home = new TempHome();
        var path = Path.Combine(home.Path, "logs", "litellm.log");
        using (var log = new RotatingLogWriter(path, 2048, 3))
        {
            for (var i = 0; i < 200; i++)
            {
                log.WriteLine($"line {i:000} " + new string('y', 40));
            }
        }

        Assert.All(new[] { path, path + ".1", path + ".2", path + ".3" }, f => Assert.InRange(new FileInfo(f).Length, 1, 2048));
        Assert.False(File.Exists(path + ".4"));
        Assert.EndsWith("line 199 " + new string('y', 40), LogTail.ReadLastLines(path, 1)[0]);
    }

    [Fact]
    public void Rotating_log_masks_the_key()
    {
        using var home = new TempHome();
        var path = home.File("x.log");
        using (var log = new RotatingLogWriter(path, 1 << 20, 1, s => s.Replace("sk-abc", "***")))
        {
            log.WriteLine("key is sk-abc");
        }

        Assert.Equal("key is ***", File.ReadAllText(path).TrimEnd());
    }

    [Fact]
    public void Log_tail_reads_the_last_lines_across_blocks()
    {
        using var home = new TempHome();
        var path = home.File("big.log");
        File.WriteAllLines(path, Enumerable.Range(0, 5000).Select(i => $"entry {i} " + new string('z', 30)));

        var tail = LogTail.ReadLastLines(path, 3);

        Assert.Equal(3, tail.Count);
        Assert.StartsWith("entry 4997 ", tail[0]);
        Assert.StartsWith("entry 4999 ", tail[2]);
        Assert.Equal(5000, LogTail.ReadLastLines(path, 100000).Count);
        Assert.Empty(LogTail.ReadLastLines(home.File("missing.log"), 5));
    }

    // The supervisor's options as AddLiteLlmProxy() and kait proxy derive them: the one reader, then KaitPaths.
    private static LiteLlmProxyOptions Derive(Dictionary<string, string?> env, string workingDirectory)
    {
        var environment = KaitEnvironment.FromDictionary(env, workingDirectory);
        var settings = KaitOptionsLoader.Load(null, environment);
        return LiteLlmProxyOptions.From(settings, KaitPaths.From(settings, environment));
    }

    [Fact]
    public void Options_from_environment_use_the_documented_defaults()
    {
        using var temp = new TempHome();
        var user = temp.File("u");
        var app = temp.File("app");
        Directory.CreateDirectory(app);
        var options = Derive(new Dictionary<string, string?> { ["HOME"] = user }, app);

        Assert.False(options.Enabled);
        Assert.Equal(4000, options.Port);
        Assert.Equal($"{user}/.kait", options.KaitHome);
        Assert.Equal($"{user}/.kait/litellm_config.yaml", options.ConfigPath);
        Assert.Equal("python3", options.PythonExecutable);
        Assert.Null(options.MasterKey);
        Assert.Equal($"{user}/.kait/logs/litellm.log", options.LogFilePath);
        Assert.Equal($"{user}/.kait/run/litellm.json", options.RunRecordPath);
        Assert.Equal("python3", options.GetEffectiveExecutable());
        Assert.Equal(["-m", "litellm", "--config", $"{user}/.kait/litellm_config.yaml", "--port", "4000"], options.GetEffectiveArguments());
    }

    [Fact]
    public void Options_from_environment_read_the_kait_variables_in_order()
    {
        using var temp = new TempHome();
        var app = temp.File("app");
        var kait = temp.File("kait");
        Directory.CreateDirectory(Path.Combine(app, "config"));
        File.WriteAllText(Path.Combine(app, "config", "litellm_config.yaml"), "model_list: []\n");
        Directory.CreateDirectory(Path.Combine(kait, "venv", "bin"));
        File.WriteAllText(Path.Combine(kait, "venv", "bin", "python"), string.Empty);
        var env = new Dictionary<string, string?>
        {
            ["KAIT_LITELLM_ENABLED"] = "True",
            ["KAIT_LITELLM_PORT"] = "4111",
            ["KAIT_LITELLM_MASTER_KEY"] = "sk-1",
            ["KAIT_HOME"] = kait,
        };

        var options = Derive(env, app);

        Assert.True(options.Enabled);
        Assert.Equal(4111, options.Port);
        Assert.Equal("sk-1", options.MasterKey);
        Assert.Equal(Path.Combine(app, "config", "litellm_config.yaml"), options.ConfigPath);
        Assert.Equal(Path.Combine(kait, "venv", "bin", "python"), options.PythonExecutable);

        var explicitConfig = temp.File("litellm.yaml");
        File.WriteAllText(explicitConfig, "model_list: []\n");
        env["KAIT_CONFIG"] = explicitConfig;
        env["KAIT_PYTHON"] = "/opt/py/bin/python";
        options = Derive(env, app);
        Assert.Equal(explicitConfig, options.ConfigPath);
        Assert.Equal("/opt/py/bin/python", options.PythonExecutable);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("70000")]
    public void A_bad_port_is_a_clear_error(string port)
    {
        using var temp = new TempHome();
        var env = new Dictionary<string, string?> { ["KAIT_LITELLM_PORT"] = port, ["KAIT_HOME"] = "/k" };
        var ex = Assert.Throws<KaitConfigurationException>(() => Derive(env, temp.Path));
        Assert.Contains("KAIT_LITELLM_PORT", ex.Message);
    }

    [Fact]
    public void Result_exit_codes()
    {
        Assert.Equal(0, new ProxyCommandResult(ProxyOutcome.Ok, "").ExitCode);
        Assert.Equal(0, new ProxyCommandResult(ProxyOutcome.AlreadyRunning, "").ExitCode);
        Assert.Equal(1, new ProxyCommandResult(ProxyOutcome.Failed, "").ExitCode);
        Assert.Equal(1, new ProxyCommandResult(ProxyOutcome.Unhealthy, "").ExitCode);
        Assert.Equal(2, new ProxyCommandResult(ProxyOutcome.TimedOut, "").ExitCode);
        Assert.Equal(3, new ProxyCommandResult(ProxyOutcome.NotRunning, "").ExitCode);
    }
}
