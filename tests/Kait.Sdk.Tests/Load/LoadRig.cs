using System.Globalization;
using System.Text.RegularExpressions;
using Kait.Sdk.Costs;
using Kait.Sdk.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kait.Sdk.Tests.Load;

/// <summary>
/// A gateway built as an app builds it (AddKaitSdk) over a temp KAIT_HOME, with the response cache (HybridCache; its
/// SQLite L2 only when asked, see <see cref="LoadTests"/>) and the SQLite cost ledger on, logging at Warning (a capturing provider: the hot path's Debug lines are not formatted).
/// Its alias <see cref="Alias"/> comes from a run-time config with known per-token prices, so a direct call's cost is
/// known exactly; on the proxy route the fake's <c>x-litellm-response-cost</c> wins.
/// </summary>
internal sealed partial class LoadRig : IAsyncDisposable
{
    public const string Alias = "load-claude";

    /// <summary>The config's prices (USD per token) of <see cref="Alias"/>.</summary>
    public const decimal InputPrice = 0.000001m;
    public const decimal OutputPrice = 0.000005m;

    private readonly ServiceProvider provider;

    private LoadRig(ServiceProvider provider, CapturingLoggerProvider logs, string home)
    {
        this.provider = provider;
        Logs = logs;
        Home = home;
    }

    public CapturingLoggerProvider Logs { get; }

    public string Home { get; }

    public ILlmGateway Gateway => provider.GetRequiredService<ILlmGateway>();

    public LlmCostTracker Tracker => provider.GetRequiredService<LlmCostTracker>();

    public ICostLedger Ledger => provider.GetRequiredService<ICostLedger>();

    /// <summary>The proxy at <paramref name="proxy"/>; with <paramref name="anthropic"/>, the direct bridge the fallback takes.
    /// <paramref name="sqliteL2"/> false keeps the response cache in memory (<c>KAIT_CACHE_L2=off</c>).</summary>
    public static LoadRig Create(FakeLiteLlmProxy proxy, FakeAnthropicApi? anthropic = null, IDictionary<string, string?>? config = null, bool sqliteL2 = false)
    {
        var dir = TempDirectory.Create();
        var home = Path.Combine(dir, "kait-home");
        var configFile = Path.Combine(dir, "load.yaml");
        File.WriteAllText(configFile, $"""
            model_list:
              - model_name: {Alias}
                litellm_params:
                  model: anthropic/claude-haiku-4-5-20251001
                  api_key: os.environ/ANTHROPIC_API_KEY
                model_info:
                  input_cost_per_token: {InputPrice.ToString(CultureInfo.InvariantCulture)}
                  output_cost_per_token: {OutputPrice.ToString(CultureInfo.InvariantCulture)}

            """);
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["KAIT_LITELLM_ENABLED"] = "true",
            ["KAIT_LITELLM_URL"] = proxy.BaseUrl.ToString(),
            ["KAIT_LITELLM_MASTER_KEY"] = TestData.MasterKey,
            ["KAIT_LITELLM_FALLBACK"] = anthropic is null ? "false" : "true",
            ["KAIT_HOME"] = home,
            ["KAIT_CONFIG"] = configFile,
            ["ANTHROPIC_API_KEY"] = TestData.AnthropicKey,
            ["ANTHROPIC_BASE_URL"] = anthropic?.BaseUrl.ToString(),
            ["KAIT_CACHE_L2"] = sqliteL2 ? null : "off",
        };

        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddProvider(logs));
        services.AddSingleton(new KaitEnvironment(name => variables.GetValueOrDefault(name), dir));
        services.AddKaitSdk(new ConfigurationBuilder().AddInMemoryCollection(config ?? new Dictionary<string, string?>()).Build());
        return new LoadRig(services.BuildServiceProvider(), logs, home);
    }

    public ValueTask DisposeAsync() => provider.DisposeAsync();

    /// <summary>The prompt of call plan entry <paramref name="prompt"/>.</summary>
    public static IReadOnlyList<LlmMessage> Prompt(int prompt) => [LlmMessage.User("load-prompt #" + prompt.ToString(CultureInfo.InvariantCulture))];

    /// <summary>The prompt number in a recorded request's body (whatever the API's shape).</summary>
    public static int PromptOf(RecordedRequest request)
    {
        var match = PromptNumber().Match(request.Body);
        Assert.True(match.Success, "no prompt number in " + request.Body);
        return int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
    }

    /// <summary>The proxy's cost header for a prompt: it varies per prompt, down to the pico-USD the ledger keeps.</summary>
    public static decimal ProxyCost(int prompt) => (0.000001m * (1 + (prompt % 1000))) + (0.000000000001m * prompt);

    public static int InputTokens(int prompt) => 10 + (prompt % 50);

    public static int OutputTokens(int prompt) => 1 + (prompt % 17);

    /// <summary>A direct call's cost at the config's prices.</summary>
    public static decimal DirectCost(int prompt) => (InputTokens(prompt) * InputPrice) + (OutputTokens(prompt) * OutputPrice);

    public static string ProxyText(int prompt) => "proxy answer #" + prompt.ToString(CultureInfo.InvariantCulture);

    public static string DirectText(int prompt) => "direct answer #" + prompt.ToString(CultureInfo.InvariantCulture);

    /// <summary>The proxy's reply to a request: text, usage and cost header derived from its prompt.</summary>
    public static FakeReply ProxyReply(RecordedRequest request)
    {
        var prompt = PromptOf(request);
        return new FakeReply { Text = ProxyText(prompt), InputTokens = InputTokens(prompt), OutputTokens = OutputTokens(prompt), CostUsd = ProxyCost(prompt) };
    }

    /// <summary>Anthropic's reply to a request: text and usage derived from its prompt (no cost header: priced from the config).</summary>
    public static FakeReply DirectReply(RecordedRequest request)
    {
        var prompt = PromptOf(request);
        return new FakeReply { Text = DirectText(prompt), InputTokens = InputTokens(prompt), OutputTokens = OutputTokens(prompt) };
    }

    /// <summary>
    /// The order of <paramref name="calls"/> calls: mostly new prompts, and every 5th and 5th+2 call a repeat of an earlier
    /// prompt (spread over all of them). Returns the prompt per call and how many distinct prompts there are.
    /// </summary>
    public static (int[] Prompts, int Distinct) Plan(int calls)
    {
        var prompts = new int[calls];
        var distinct = 0;
        for (var i = 0; i < calls; i++)
        {
            prompts[i] = (i % 5 is 2 or 4) && distinct > 0 ? (int)((i * 7919L) % distinct) : distinct++;
        }

        return (prompts, distinct);
    }

    /// <summary>True for the chat requests a fake received (not health checks).</summary>
    public static bool IsChat(RecordedRequest request) => request.Path.EndsWith("/chat/completions", StringComparison.Ordinal) || request.Path == "/v1/messages";

    [GeneratedRegex(@"load-prompt #(\d+)")]
    private static partial Regex PromptNumber();
}
