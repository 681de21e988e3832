using Kait.Sdk;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kait.Cli;

/// <summary>Builds the SDK's services for one command: Kait's one settings model (<c>.env</c>, then <c>KAIT_*</c>; no
/// configuration file), <c>--config</c> over <c>KAIT_CONFIG</c>, the proxy supervisor's options derived from it, logs to stderr.</summary>
internal static class CliServices
{
    public static ServiceProvider Build(CliContext context, string? configFile, bool verbose)
    {
        var services = new ServiceCollection();
        services.AddSingleton(context.Environment);
        services.AddLogging(logging => logging
            .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning)
            .AddFilter("System.Net.Http", verbose ? LogLevel.Information : LogLevel.Warning)
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddKaitSdk(new ConfigurationBuilder().Build()).AddLiteLlmProxy();
        if (configFile is not null)
        {
            var full = Path.GetFullPath(configFile, context.Environment.WorkingDirectory);
            services.PostConfigure<KaitOptions>(o => o.ConfigFile = full);
        }

        return services.BuildServiceProvider();
    }
}
