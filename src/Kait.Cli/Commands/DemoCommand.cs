using System.CommandLine;
using System.Globalization;
using Kait.Cli.Output;
using Kait.Sdk;
using Kait.Sdk.Costs;
using Kait.Sdk.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Kait.Cli.Commands;

/// <summary>
/// <c>kait demo</c>: the whole SDK offline. It starts the loopback fakes of the LiteLLM proxy and of Anthropic's API and
/// runs the real stack against them: typed aliases, the proxy route, a direct route, a cache hit, a retried 429, a budget
/// stop, and the cost table read back from the real SQLite ledger, always in a temporary <c>KAIT_HOME</c> of its own (the
/// user's <c>KAIT_HOME</c>, set or not, is never touched), removed at the end. It runs on the default config that ships
/// inside kait (the repo's <c>config/litellm_config.yaml</c>), never the user's.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("demo", "A tour of Kait against local fakes: no keys, no network");
        command.SetAction(async (parse, ct) =>
        {
            var console = Consoles.For(context.Out);
            // Always a home of its own (0700), even when KAIT_HOME is set: the demo's fake rows never reach the real ledger.
            var home = Directory.CreateTempSubdirectory("kait-demo-").FullName;
            try
            {
                await using var proxy = await FakeLiteLlmProxy.StartAsync(ct).ConfigureAwait(false);
                await using var anthropic = await FakeAnthropicApi.StartAsync(ct).ConfigureAwait(false);
                anthropic.ApiKey = "sk-ant-demo";
                var steps = 0;
                void Step(string title) => console.MarkupLine($"\n[bold]{++steps}. {Markup.Escape(title)}[/]");

                Step("Typed aliases from config/litellm_config.yaml");
                // The tour is of the default aliases: their config ships inside kait, so the demo runs wherever the tool is
                // installed, beside no config or a config of the user's own.
                var config = Path.Combine(home, "litellm_config.yaml");
                await using (var resource = typeof(DemoCommand).Assembly.GetManifestResourceStream("Kait.Cli.default_litellm_config.yaml")
                    ?? throw new InvalidOperationException("kait was built without its default config."))
                await using (var file = File.Create(config))
                {
                    await resource.CopyToAsync(file, ct).ConfigureAwait(false);
                }

                var baseEnv = new Dictionary<string, string?>(StringComparer.Ordinal) { ["HOME"] = context.Environment.Get("HOME"), ["KAIT_HOME"] = home, ["KAIT_CONFIG"] = config };
                await using (var services = Build(context, baseEnv))
                {
                    var catalog = services.GetRequiredService<IModelCatalog>();
                    foreach (var alias in catalog.Aliases)
                    {
                        console.MarkupLine($"   Models.{Markup.Escape(Kait.Sdk.Config.AliasIdentifiers.ToIdentifier(alias.Name))} → {Markup.Escape(alias.Deployments[0].Model)}");
                    }

                    console.MarkupLine("   (a misspelt member does not compile; a misspelt string gets KAIT100 at build time)");
                }

                var proxyEnv = new Dictionary<string, string?>(baseEnv) { ["KAIT_LITELLM_ENABLED"] = "true", ["KAIT_LITELLM_URL"] = proxy.BaseUrl.ToString() };
                Step("The LiteLLM proxy route (KAIT_LITELLM_ENABLED=true)");
                proxy.Enqueue(new FakeReply { Text = "Hello from the proxy!", CostHeader = "0.00042", CallId = "demo-call-1" });
                await ChatAsync(console, context, proxyEnv, DefaultAliases.ClaudeFast, "Say hello", ct).ConfigureAwait(false);

                Step("The same request again: served from Kait's response cache");
                await ChatAsync(console, context, proxyEnv, DefaultAliases.ClaudeFast, "Say hello", ct).ConfigureAwait(false);

                var directEnv = new Dictionary<string, string?>(baseEnv) { ["ANTHROPIC_BASE_URL"] = anthropic.BaseUrl.ToString(), ["ANTHROPIC_API_KEY"] = "sk-ant-demo" };
                Step("The direct Claude bridge (proxy disabled), priced with built-in prices");
                anthropic.Enqueue(new FakeReply { Text = "Hello straight from Claude!", InputTokens = 1200, OutputTokens = 80 });
                await ChatAsync(console, context, directEnv, DefaultAliases.ClaudeStrong, "Say hello directly", ct).ConfigureAwait(false);

                Step("A 429 with Retry-After is retried (2 retries by default)");
                anthropic.Enqueue(new FakeReply { Status = 429, ErrorMessage = "rate limited", ErrorType = "rate_limit_error", RetryAfter = TimeSpan.FromSeconds(1) }, new FakeReply { Text = "Second time lucky." });
                await ChatAsync(console, context, directEnv, DefaultAliases.ClaudeFast, "Try me", ct).ConfigureAwait(false);

                Step("A daily budget stops the next call before it is sent");
                var budgetEnv = new Dictionary<string, string?>(proxyEnv) { ["KAIT_BUDGET_DAILY_USD"] = "0.0001" };
                try
                {
                    await ChatAsync(console, context, budgetEnv, DefaultAliases.OpenaiDefault, "Spend more", ct).ConfigureAwait(false);
                    console.MarkupLine("   [red]the budget did not stop the call[/]");
                    return ExitCodes.Failure;
                }
                catch (BudgetExceededException ex)
                {
                    console.MarkupLine($"   [yellow]stopped:[/] {Markup.Escape(ex.Message)}");
                }

                Step($"The cost ledger ({KaitPaths.From(new KaitOptions { Home = home }, context.Environment).LedgerFile})");
                await using (var services = Build(context, baseEnv))
                {
                    var ledger = services.GetRequiredService<ICostLedger>();
                    var now = DateTimeOffset.UtcNow;
                    var rows = await ledger.GetTotalsAsync(CostGroupBy.Route, now.AddDays(-1), now.AddMinutes(1), ct).ConfigureAwait(false);
                    var table = new Table().AddColumns("route", "calls", "input tokens", "output tokens", "cost (USD)", "cache hits");
                    foreach (var r in rows)
                    {
                        table.AddRow(Markup.Escape(r.Key), r.Calls.ToString(CultureInfo.InvariantCulture), r.InputTokens.ToString(CultureInfo.InvariantCulture), r.OutputTokens.ToString(CultureInfo.InvariantCulture), r.CostUsd.ToString("0.######", CultureInfo.InvariantCulture), r.CacheHits.ToString(CultureInfo.InvariantCulture));
                    }

                    console.Write(table);
                }

                console.MarkupLine($"   (the demo's calls, cache and ledger rows went to its own temporary KAIT_HOME {Markup.Escape(home)}, removed when it ends; your KAIT_HOME is not touched)");
                console.MarkupLine("\n[green]Demo complete.[/] Real use: set ANTHROPIC_API_KEY / OPENAI_API_KEY, or KAIT_LITELLM_ENABLED=true with a running proxy (kait proxy start).");
                return ExitCodes.Success;
            }
            finally
            {
                try
                {
                    Directory.Delete(home, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        });
        return command;
    }

    private static async Task ChatAsync(IAnsiConsole console, CliContext context, Dictionary<string, string?> env, string alias, string prompt, CancellationToken ct)
    {
        await using var services = Build(context, env);
        var gateway = services.GetRequiredService<ILlmGateway>();
        var result = await gateway.ChatAsync(alias, [LlmMessage.User(prompt)], null, ct).ConfigureAwait(false);
        var cost = result.CostUsd is { } usd ? "$" + usd.ToString("0.######", CultureInfo.InvariantCulture) : "unknown";
        console.MarkupLine($"   [grey]{Markup.Escape(alias)} → {Markup.Escape(result.ProviderModel ?? "?")} via {result.Route.ToName()}[/]: {Markup.Escape(result.Text)}");
        console.MarkupLine($"   [grey]tokens {result.Usage.InputTokens} in / {result.Usage.OutputTokens} out · cost {cost} ({result.CostSource.ToName()}) · cached {result.Cached.ToString().ToLowerInvariant()} · attempts {result.Attempts}[/]");
    }

    private static ServiceProvider Build(CliContext context, Dictionary<string, string?> env)
    {
        var services = new ServiceCollection();
        services.AddSingleton(KaitEnvironment.FromDictionary(env, context.Environment.WorkingDirectory));
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Error).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddKaitSdk(new ConfigurationBuilder().Build());
        return services.BuildServiceProvider();
    }
}
