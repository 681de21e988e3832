using System.Diagnostics;
using System.Text;
using Kait.Sdk.Config;
using Xunit.Abstractions;

namespace Kait.Sdk.Generators.Tests;

/// <summary>The run-time reader behind the catalogue, <c>kait models</c> and <c>kait doctor</c>: hostile configs and
/// includes end in bounded time with a <see cref="KaitConfigurationException"/> that names the file and the line.</summary>
public sealed class RuntimeHostileConfigTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task The_alias_bomb_is_refused_with_KAIT014_naming_the_file_and_line()
    {
        using var harness = new RuntimeConfigHarness().WithConfig(HostileYaml.AliasBomb());
        var error = await RefusedAsync(harness);
        Assert.Contains("KAIT014", error.Message, StringComparison.Ordinal);
        Assert.Contains(harness.ConfigFile + "(" + HostileYaml.LineOf(HostileYaml.AliasBomb(), "  l5:") + ",", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_alias_with_a_line_separator_is_refused_with_KAIT016()
    {
        using var harness = new RuntimeConfigHarness().WithConfig("model_list:\n  - model_name: \"evil\\L" + HostileYaml.Injection + "\"\n    litellm_params: {model: openai/gpt-4o}\n");
        var error = await RefusedAsync(harness);
        Assert.Contains("KAIT016", error.Message, StringComparison.Ordinal);
        Assert.Contains("(2,", error.Message, StringComparison.Ordinal);
        Assert.Contains("evil\\u2028public", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\u2028', error.Message);
    }

    [Theory]
    [InlineData("/dev/zero", "an absolute path")]
    [InlineData("../secret.yaml", "it leaves the config's directory")]
    public async Task An_include_by_absolute_path_or_dot_dot_is_refused_at_its_line(string include, string reason)
    {
        using var harness = new RuntimeConfigHarness().WithConfig($"model_list: []\ninclude:\n  - {include}\n");
        harness.WithFile("../secret.yaml", Encoding.UTF8.GetBytes("model_list:\n  - model_name: stolen\n    litellm_params: {model: openai/gpt-4o}\n"));
        var error = await RefusedAsync(harness);
        Assert.Contains("KAIT015", error.Message, StringComparison.Ordinal);
        Assert.Contains(harness.ConfigFile + "(3,", error.Message, StringComparison.Ordinal);
        Assert.Contains("'" + include + "' is refused: " + reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_include_that_links_to_a_device_is_refused()
    {
        using var harness = new RuntimeConfigHarness().WithConfig("model_list: []\ninclude: [zero.yaml]\n");
        File.CreateSymbolicLink(Path.Combine(harness.ConfigDirectory, "zero.yaml"), "/dev/zero");
        var error = await RefusedAsync(harness);
        Assert.Contains("'zero.yaml' is refused: it resolves to '/dev/zero', outside the config's directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_include_through_a_linked_directory_that_leads_out_is_refused()
    {
        using var harness = new RuntimeConfigHarness().WithConfig("model_list: []\ninclude: [up/secret.yaml]\n");
        harness.WithFile("../secret.yaml", Encoding.UTF8.GetBytes("model_list: []\n"));
        Directory.CreateSymbolicLink(Path.Combine(harness.ConfigDirectory, "up"), "..");
        var error = await RefusedAsync(harness);
        Assert.Contains("'up/secret.yaml' is refused: it resolves to", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pipe_in_the_configs_directory_is_refused_without_waiting_for_a_writer()
    {
        using var harness = new RuntimeConfigHarness().WithConfig("model_list: []\ninclude: [pipe.yaml]\n");
        MakeFifo(Path.Combine(harness.ConfigDirectory, "pipe.yaml"));
        var error = await RefusedAsync(harness);
        Assert.Contains("'pipe.yaml' is refused: not a regular file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_include_over_1_MiB_is_refused_before_it_is_read()
    {
        using var harness = new RuntimeConfigHarness().WithConfig("model_list: []\ninclude: [big.yaml]\n");
        harness.WithFile("big.yaml", new byte[LiteLlmConfigReader.MaxFileBytes + 1]);
        var error = await RefusedAsync(harness);
        Assert.Contains("'big.yaml' is refused: 1,048,577 bytes, over the 1 MiB limit", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("fifo")]
    public async Task KAIT_CONFIG_naming_a_device_or_a_pipe_is_refused(string target)
    {
        using var harness = new RuntimeConfigHarness();
        var file = target;
        if (target == "fifo")
        {
            file = Path.Combine(harness.ConfigDirectory, "fifo.yaml");
            MakeFifo(file);
        }

        var error = await RefusedAsync(harness, file);
        Assert.Contains("KAIT015", error.Message, StringComparison.Ordinal);
        Assert.Contains("not a regular file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Includes_below_the_configs_directory_and_invalid_UTF8_still_load()
    {
        using var harness = new RuntimeConfigHarness().WithConfig("model_list:\n  - model_name: main\n    litellm_params: {model: openai/gpt-4o}\ninclude: [more/models.yaml]\n");
        harness.WithFile("more/models.yaml", [.. "model_list:\n  - model_name: extra\n    litellm_params: {model: openai/gpt-4o, api_base: \"http://h/"u8, 0xC3, 0x28, 0xFF, .. "\"}\n"u8]);
        var (catalog, error) = await LoadAsync(harness);
        Assert.Null(error);
        // (Other tests load generated Models whose aliases the catalogue merges in: look only at this config's.)
        Assert.Equal(["main", "extra"], catalog!.Aliases.Select(a => a.Name).Where(n => n is "main" or "extra"));
        Assert.Equal("http://h/\uFFFD(\uFFFD", catalog.Aliases.Single(a => a.Name == "extra").Deployments[0].ApiBase);
    }

    [Fact]
    public async Task Every_hostile_config_loads_or_is_refused_at_run_time_in_bounded_time()
    {
        var cases = HostileConfigCorpus.Generate(HostileConfigFuzzTests.Cases, HostileConfigFuzzTests.Seed).ToArray();
        using (var warm = new RuntimeConfigHarness().WithConfig("model_list: []\n"))
        {
            warm.Load(); // time the configs, not the JIT
        }

        var slowest = (Name: string.Empty, Time: TimeSpan.Zero);
        var total = Stopwatch.StartNew();
        var refused = 0;
        foreach (var c in cases)
        {
            using var harness = new RuntimeConfigHarness().WithFile("litellm_config.yaml", c.Bytes);
            File.WriteAllText(Path.Combine(harness.Directory, "outside.yaml"), HostileConfigFuzzTests.Outside);
            foreach (var file in c.Files)
            {
                var path = Path.Combine(harness.ConfigDirectory, file.Name);
                if (file.Bytes is not null)
                {
                    harness.WithFile(file.Name, file.Bytes);
                }
                else if (file.Directory)
                {
                    Directory.CreateDirectory(path);
                }
                else if (file.Fifo)
                {
                    using var mkfifo = Process.Start("mkfifo", [path]);
                    await mkfifo.WaitForExitAsync();
                }
                else if (file.LinkTo == "..")
                {
                    Directory.CreateSymbolicLink(path, file.LinkTo);
                }
                else
                {
                    File.CreateSymbolicLink(path, file.LinkTo!);
                }
            }

            var watch = Stopwatch.StartNew();
            var (catalog, error) = await Task.Run(() => harness.Load()).WaitAsync(HostileConfigFuzzTests.CaseBound);
            watch.Stop();
            if (watch.Elapsed > slowest.Time)
            {
                slowest = (c.Name, watch.Elapsed);
            }

            if (error is not null)
            {
                var refusal = Assert.IsType<KaitConfigurationException>(error);
                Assert.Contains(harness.ConfigDirectory, refusal.Message, StringComparison.Ordinal);
                Assert.Equal(-1, UnsafeText.IndexOfUnsafe(refusal.Message));
                refused++;
                continue;
            }

            foreach (var alias in catalog!.Aliases)
            {
                Assert.True(UnsafeText.IndexOfUnsafe(alias.Name) < 0, c.Name + ": alias " + HostileConfigCorpus.Escape(alias.Name));
                Assert.NotEqual("stolen", alias.Name);
            }
        }

        output.WriteLine($"run time: {cases.Length} hostile configs in {total.Elapsed.TotalSeconds:F1} s, {refused} refused; slowest {slowest.Time.TotalMilliseconds:F0} ms ({slowest.Name})");
    }

    private static async Task<KaitConfigurationException> RefusedAsync(RuntimeConfigHarness harness, string? configFile = null)
    {
        var (_, error) = await LoadAsync(harness, configFile);
        return Assert.IsType<KaitConfigurationException>(error);
    }

    private static async Task<(IModelCatalog? Catalog, Exception? Error)> LoadAsync(RuntimeConfigHarness harness, string? configFile = null)
    {
        // A load that hangs (a pipe without a writer, /dev/zero read to the end) fails the test instead of the run.
        var watch = Stopwatch.StartNew();
        var load = Task.Run(() => harness.Load(configFile));
        var result = await load.WaitAsync(Bound);
        Assert.True(watch.Elapsed < Bound);
        return result;
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
