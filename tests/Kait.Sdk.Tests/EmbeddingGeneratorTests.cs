using Kait.Sdk.Testing;
using Microsoft.Extensions.AI;

namespace Kait.Sdk.Tests;

public sealed class EmbeddingGeneratorTests
{
    [Fact]
    public async Task Embeddings_through_the_proxy_carry_usage_and_the_proxy_cost()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Enqueue(new FakeReply { InputTokens = 7, CostUsd = 0.00002m, CallId = "emb-1" });
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));
        using var generator = harness.Gateway.AsEmbeddingGenerator(Models.OpenaiFast);

        var embeddings = await generator.GenerateAsync(["alpha", "beta"]);

        Assert.Equal(2, embeddings.Count);
        Assert.Equal([0.1f, 0.2f, -0.3f], embeddings[0].Vector.ToArray());
        Assert.Equal(0.2f, embeddings[1].Vector.Span[0], 5);
        Assert.Equal(7, embeddings.Usage!.InputTokenCount);
        Assert.Equal(0.00002m, embeddings.AdditionalProperties!["kait.cost_usd"]);
        Assert.Equal("proxy-header", embeddings.AdditionalProperties["kait.cost_source"]);
        Assert.Equal("proxy", embeddings.AdditionalProperties["kait.route"]);
        Assert.Equal("emb-1", embeddings.AdditionalProperties["kait.call_id"]);
        var request = Assert.Single(proxy.Requests);
        Assert.Equal("/v1/embeddings", request.Path);
        Assert.Equal("Bearer " + TestData.MasterKey, request.Header("Authorization"));
        Assert.Equal("openai-fast", request.Json().GetProperty("model").GetString());
        Assert.Equal(2, request.Json().GetProperty("input").GetArrayLength());
    }

    [Fact]
    public async Task Embeddings_through_the_OpenAI_bridge_carry_usage()
    {
        await using var openAI = await FakeOpenAIApi.StartAsync();
        openAI.ApiKey = TestData.OpenAIKey;
        openAI.Enqueue(new FakeReply { InputTokens = 4 });
        using var harness = Harness.Create(TestData.DirectEnv(openAI: openAI));

        var result = await harness.Gateway.EmbedAsync(Models.OpenaiFast, ["alpha"]);
        using var generator = harness.Gateway.AsEmbeddingGenerator("openai-fast");
        var embeddings = await generator.GenerateAsync(["one", "two", "three"]);

        Assert.Equal(LlmRoute.Direct, result.Route);
        Assert.Equal(4, result.InputTokens);
        Assert.Single(result.Vectors);
        // Priced like any direct call: the alias's model (gpt-4o-mini) at 1.5e-7 per input token.
        Assert.Equal(4 * 0.00000015m, result.CostUsd);
        Assert.Equal(3, embeddings.Count);
        Assert.Equal(12, embeddings.Usage!.InputTokenCount);
        Assert.Equal("direct", embeddings.AdditionalProperties!["kait.route"]);
        var request = openAI.Requests[0];
        Assert.Equal("/v1/embeddings", request.Path);
        Assert.Equal("gpt-4o-mini", request.Json().GetProperty("model").GetString());
    }

    [Fact]
    public async Task Embeddings_fall_back_to_the_OpenAI_bridge_when_the_proxy_cannot_be_reached()
    {
        await using var openAI = await FakeOpenAIApi.StartAsync();
        openAI.Enqueue(new FakeReply { InputTokens = 3 });
        using var harness = Harness.Create(new Dictionary<string, string?>
        {
            ["KAIT_LITELLM_ENABLED"] = "true",
            ["KAIT_LITELLM_PORT"] = TestData.ClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OPENAI_API_KEY"] = TestData.OpenAIKey,
            ["OPENAI_BASE_URL"] = openAI.ApiBaseUrl.ToString(),
        });

        var result = await harness.Gateway.EmbedAsync(Models.OpenaiFast, ["alpha"]);

        Assert.Equal(LlmRoute.Direct, result.Route);
        Assert.Equal(3, result.InputTokens);
        Assert.Equal("Bearer " + TestData.OpenAIKey, Assert.Single(openAI.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task Embeddings_of_a_Claude_alias_without_the_proxy_have_no_route()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        using var harness = Harness.Create(TestData.DirectEnv(anthropic));

        await Assert.ThrowsAsync<NoDirectRouteException>(() => harness.Gateway.EmbedAsync(Models.ClaudeFast, ["alpha"]));
    }
}
