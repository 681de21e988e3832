using Kait.Sdk.Testing;
using Microsoft.Extensions.AI;

namespace Kait.Sdk.Tests;

public sealed class ChatClientTests
{
    [Fact]
    public async Task The_gateway_as_an_IChatClient_works_inside_a_ChatClientBuilder_pipeline()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Enqueue(new FakeReply { Text = "via IChatClient", InputTokens = 8, CachedInputTokens = 2, OutputTokens = 3, CostUsd = 0.002m, CallId = "ai-1" });
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));
        var seen = new List<int>();
        using var client = new ChatClientBuilder(harness.Gateway.AsChatClient(Models.ClaudeFast))
            .Use(async (messages, options, next, cancellationToken) =>
            {
                seen.Add(messages.Count());
                await next(messages, options, cancellationToken);
            })
            .Build();

        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, "Hi")],
            new ChatOptions { Temperature = 0.1f, MaxOutputTokens = 50, StopSequences = ["STOP"] });

        Assert.Equal("via IChatClient", response.Text);
        Assert.Equal([2], seen);
        Assert.Equal(10, response.Usage!.InputTokenCount);
        Assert.Equal(2, response.Usage.CachedInputTokenCount);
        Assert.Equal(3, response.Usage.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(0.002m, response.AdditionalProperties!["kait.cost_usd"]);
        Assert.Equal("proxy", response.AdditionalProperties["kait.route"]);
        Assert.Equal("ai-1", Assert.IsType<LlmResult>(response.RawRepresentation).CallId);
        var body = Assert.Single(proxy.Requests).Json();
        Assert.Equal("claude-fast", body.GetProperty("model").GetString());
        Assert.Equal(50, body.GetProperty("max_tokens").GetInt32());
        Assert.Equal("STOP", body.GetProperty("stop")[0].GetString());
    }

    [Fact]
    public async Task Streaming_through_the_IChatClient_yields_text_then_usage()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Enqueue(new FakeReply { Text = "streaming via the adapter", OutputTokens = 4 });
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));
        using var client = harness.Gateway.AsChatClient(Models.OpenaiFast);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")]))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        Assert.Equal("streaming via the adapter", response.Text);
        Assert.Equal(4, response.Usage!.OutputTokenCount);
        Assert.Equal("openai-fast", Assert.Single(proxy.Requests).Json().GetProperty("model").GetString());
    }

    [Fact]
    public async Task ModelId_in_the_options_picks_another_alias_and_is_checked()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));
        using var client = harness.Gateway.AsChatClient(Models.ClaudeFast);

        await client.GetResponseAsync("Hi", new ChatOptions { ModelId = "claude-strong" });
        await Assert.ThrowsAsync<UnknownModelAliasException>(() => client.GetResponseAsync("Hi", new ChatOptions { ModelId = "claude-strnog" }));

        Assert.Equal("claude-strong", Assert.Single(proxy.Requests).Json().GetProperty("model").GetString());
        Assert.Equal("claude-fast", client.GetService<ChatClientMetadata>()!.DefaultModelId);
    }
}
