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

    public static async Task<RichRoute> StartAsync(string name)
    {
        switch (name)
        {
            case "proxy":
                var proxy = await FakeLiteLlmProxy.StartAsync();
                return new RichRoute(name, proxy, Harness.Create(TestData.ProxyEnv(proxy)), Models.ClaudeFast);
            case "claude":
                var anthropic = await FakeAnthropicApi.StartAsync();
                return new RichRoute(name, anthropic, Harness.Create(TestData.DirectEnv(anthropic)), Models.ClaudeFast);
            default:
                var openAI = await FakeOpenAIApi.StartAsync();
                return new RichRoute(name, openAI, Harness.Create(TestData.DirectEnv(openAI: openAI)), Models.OpenaiFast);
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
