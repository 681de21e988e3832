using Kait.Sdk.Config;
using Kait.Sdk.Proxy;
using Kait.Sdk.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kait.Sdk.Generators.Tests;

/// <summary>A config pulled from a central proxy (<c>kait config pull</c>) is a config the generator reads: the file is
/// the contract between the proxy and the build (the generator does no I/O).</summary>
public sealed class ProxyConfigPullTests
{
    [Fact]
    public async Task A_consumer_builds_Models_members_for_every_alias_of_the_proxy_from_the_pulled_file()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Models.UnionWith(["claude-fast", "team-summarizer", "gpt-4.1-mini", "embed-small"]);
        proxy.ExtraModelParams["api_key"] = "sk-upstream-secret-000002";
        var home = Path.Combine(Path.GetTempPath(), "kait-pull-" + Guid.NewGuid().ToString("N"));
        var variables = new Dictionary<string, string?>
        {
            ["KAIT_HOME"] = home,
            ["KAIT_LITELLM_ENABLED"] = "true",
            ["KAIT_LITELLM_URL"] = proxy.BaseUrl.ToString(),
            ["KAIT_LITELLM_MASTER_KEY"] = "sk-master",
        };
        var services = new ServiceCollection();
        services.AddSingleton(new KaitEnvironment(name => variables.GetValueOrDefault(name), home));
        services.AddKaitSdk(new ConfigurationBuilder().Build());
        await using var provider = services.BuildServiceProvider();

        var text = ProxyConfigPull.Render(await ProxyConfigPull.PullAsync(provider.GetRequiredService<LiteLlmProxyClient>(), CancellationToken.None));
        var result = GeneratorHarness.RunOn(text, sources: """
            using Consumer;
            class C
            {
                static string[] All() => [Models.ClaudeFast, Models.TeamSummarizer, Models.Gpt41Mini, Models.EmbedSmall];
            }
            """);

        Assert.Empty(result.CompileErrors);
        Assert.Empty(result.GeneratorDiagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        Assert.DoesNotContain("sk-upstream-secret", text, StringComparison.Ordinal);
        var read = LiteLlmConfigReader.Read(text, "pulled.yaml");
        Assert.False(read.HasErrors);
        Assert.Equal(["claude-fast", "embed-small", "gpt-4.1-mini", "team-summarizer"], read.Config.Aliases.Select(a => a.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("quote\"in-name")]
    [InlineData("back\\slash")]
    [InlineData("colon: and # hash")]
    public void Names_with_yaml_syntax_stay_names(string name)
    {
        var text = ProxyConfigPull.Render([(name, "openai/" + name)]);
        var read = LiteLlmConfigReader.Read(text, "pulled.yaml");
        Assert.Equal(name, Assert.Single(read.Config.Aliases).Name);
    }
}
