using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Kait.Sdk.Proxy.Tests;

/// <summary>The guide's promise: with <c>KAIT_LITELLM_ENABLED=true</c> and the master key in <c>.env</c>, a host that
/// adds Kait with its one line gets the proxy started, on the port the gateway calls, with that key.</summary>
public sealed class ProxyFromSettingsTests
{
    [Fact]
    public async Task The_one_line_host_setup_starts_the_proxy_from_dotenv_with_its_key()
    {
        using var temp = new TempHome();
        var port = Net.FreePort();
        const string Key = "sk-dotenv-master-0123456789";
        await File.WriteAllTextAsync(temp.File(".env"), $"""
            KAIT_LITELLM_ENABLED=true
            KAIT_LITELLM_PORT={port}
            KAIT_LITELLM_MASTER_KEY={Key}
            """);
        var dump = temp.File("env.json");
        var variables = new Dictionary<string, string?> { ["HOME"] = temp.Path, ["KAIT_HOME"] = "~/kait" };

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(KaitEnvironment.FromDictionary(variables, temp.Path));

        // The host's one line; the stand-in replaces only the program that `python -m litellm` would run.
        builder.Services.AddKaitSdk(builder.Configuration).AddLiteLlmProxy(o =>
        {
            o.Executable = StandIn.Python;
            o.Arguments = StandIn.Command(o.Port, "--env-dump", dump);
            o.ReadinessTimeout = TimeSpan.FromSeconds(15);
            o.HealthPollInterval = TimeSpan.FromMilliseconds(50);
            o.StopGracePeriod = TimeSpan.FromSeconds(5);
        });
        using var host = builder.Build();

        await host.StartAsync();
        try
        {
            var service = host.Services.GetRequiredService<LiteLlmProxyService>();
            Assert.Equal(LiteLlmProxyState.Running, service.State);
            Assert.True(await Net.AnswersAsync(port));
            Assert.Equal(port, host.Services.GetRequiredService<IOptions<KaitOptions>>().Value.Proxy.BaseUrl.Port);
            using var env = JsonDocument.Parse(await File.ReadAllTextAsync(dump));
            Assert.Equal(Key, env.RootElement.GetProperty("LITELLM_MASTER_KEY").GetString());
            Assert.Equal(Path.Combine(temp.Path, "kait", "logs", "litellm.log"), service.Options.LogFilePath);
            Assert.True(File.Exists(service.Options.LogFilePath));
            Assert.DoesNotContain(Key, await File.ReadAllTextAsync(service.Options.LogFilePath), StringComparison.Ordinal);
        }
        finally
        {
            await host.StopAsync();
        }

        Assert.False(await Net.AnswersAsync(port));
    }
}
