using System.Text.Json;
using Kait.Sdk.Testing;

namespace Kait.Sdk.Tests;

/// <summary>One route of the gateway against its fake: <c>proxy</c> (LiteLLM), <c>claude</c> (Anthropic bridge) or
/// <c>openai</c> (OpenAI bridge), with the alias to call on it.</summary>
internal sealed class RichRoute : IAsyncDisposable
{
    private RichRoute(string name, FakeLlmServer fake, Harness harness, ModelAlias alias)
    {
        Name = name;
        Fake = fake;
        Harness = harness;
        Alias = alias;
    }

    public static TheoryData<string> Names => ["proxy", "claude", "openai"];

    public string Name { get; }

    public FakeLlmServer Fake { get; }

    public Harness Harness { get; }

    public ModelAlias Alias { get; }

    public bool IsAnthropic => Name == "claude";

    public LlmGateway Gateway => Harness.Gateway;

    /// <summary>Starts the route; <paramref name="env"/> adds to (or overrides) its environment.</summary>
    public static async Task<RichRoute> StartAsync(string name, IDictionary<string, string?>? env = null)
    {
        Dictionary<string, string?> With(Dictionary<string, string?> basis)
        {
            foreach (var (key, value) in env ?? new Dictionary<string, string?>())
            {
                basis[key] = value;
            }

            return basis;
        }

        switch (name)
        {
            case "proxy":
                var proxy = await FakeLiteLlmProxy.StartAsync();
                return new RichRoute(name, proxy, Harness.Create(With(TestData.ProxyEnv(proxy))), Models.ClaudeFast);
            case "claude":
                var anthropic = await FakeAnthropicApi.StartAsync();
                return new RichRoute(name, anthropic, Harness.Create(With(TestData.DirectEnv(anthropic))), Models.ClaudeFast);
            default:
                var openAI = await FakeOpenAIApi.StartAsync();
                return new RichRoute(name, openAI, Harness.Create(With(TestData.DirectEnv(openAI: openAI))), Models.OpenaiFast);
        }
    }

    /// <summary>The JSON schema of an object with one required string property.</summary>
    public static JsonElement Schema(string property) => JsonDocument.Parse(
        "{\"type\":\"object\",\"properties\":{\"" + property + "\":{\"type\":\"string\"}},\"required\":[\"" + property + "\"]}").RootElement.Clone();

    public async ValueTask DisposeAsync()
    {
        Harness.Dispose();
        await Fake.DisposeAsync();
    }
}
