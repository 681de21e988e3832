using System.Text.Json;
using Kait.Sdk.Testing;

namespace Kait.Sdk.Tests;

/// <summary>Reasoning on each route: the request shape (<c>reasoning_effort</c>, Anthropic's <c>thinking</c>), the
/// reasoning text, blocks and tokens returned (chat and stream), and the signed thinking block sent back on the next
/// turn.</summary>
public sealed class ReasoningTests
{
    private const string Thought = "The user greets me. A short greeting back is right.";

    public static TheoryData<string, bool> RoutesAndModes => new()
    {
        { "proxy", false }, { "proxy", true }, { "claude", false }, { "claude", true }, { "openai", false }, { "openai", true },
    };

    [Theory]
    [MemberData(nameof(RoutesAndModes))]
    public async Task The_effort_is_sent_in_each_route_shape(string routeName, bool stream)
    {
        await using var route = await RichRoute.StartAsync(routeName);
        var options = new LlmCallOptions { Reasoning = LlmReasoning.Medium };

        await CallAsync(route, TestData.Hello, options, stream);

        var body = Assert.Single(route.Fake.Requests).Json();
        if (route.IsAnthropic)
        {
            Assert.False(body.TryGetProperty("reasoning_effort", out _));
            Assert.Equal("enabled", body.GetProperty("thinking").GetProperty("type").GetString());
            Assert.Equal(2048, body.GetProperty("thinking").GetProperty("budget_tokens").GetInt32());
            Assert.Equal(2048 + 4096, body.GetProperty("max_tokens").GetInt32()); // the default answer allowance on top
        }
        else
        {
            Assert.Equal("medium", body.GetProperty("reasoning_effort").GetString());
            Assert.False(body.TryGetProperty("thinking", out _));
        }
    }

    [Fact]
    public async Task An_explicit_budget_is_sent_as_thinking_through_the_proxy_and_the_claude_bridge()
    {
        foreach (var name in (string[])["proxy", "claude"])
        {
            await using var route = await RichRoute.StartAsync(name);
            await route.Gateway.ChatAsync(route.Alias, TestData.Hello, new LlmCallOptions { Reasoning = LlmReasoning.High with { BudgetTokens = 3000 }, MaxTokens = 5000 });

            var body = Assert.Single(route.Fake.Requests).Json();
            Assert.Equal(3000, body.GetProperty("thinking").GetProperty("budget_tokens").GetInt32());
            Assert.Equal(5000, body.GetProperty("max_tokens").GetInt32());
        }
    }

    [Fact]
    public async Task On_the_claude_bridge_max_tokens_not_above_the_budget_or_a_budget_below_1024_is_refused_before_sending()
    {
        await using var route = await RichRoute.StartAsync("claude");

        var low = await Assert.ThrowsAsync<ArgumentException>(() => route.Gateway.ChatAsync(route.Alias, TestData.Hello, new LlmCallOptions { Reasoning = LlmReasoning.Medium, MaxTokens = 2048 }));
        Assert.Contains("MaxTokens (2048) must be above the thinking budget (2048", low.Message, StringComparison.Ordinal);
        var tiny = await Assert.ThrowsAsync<ArgumentException>(() => route.Gateway.ChatAsync(route.Alias, TestData.Hello, new LlmCallOptions { Reasoning = LlmReasoning.Low with { BudgetTokens = 500 } }));
        Assert.Contains("at least 1024", tiny.Message, StringComparison.Ordinal);
        Assert.Empty(route.Fake.Requests);
    }

    [Theory]
    [MemberData(nameof(RoutesAndModes))]
    public async Task Reasoning_text_blocks_and_tokens_come_back_on_each_route(string routeName, bool stream)
    {
        await using var route = await RichRoute.StartAsync(routeName);
        route.Fake.DefaultReply = new FakeReply { Text = "Hello to you!", Reasoning = Thought, ReasoningTokens = 11, OutputTokens = 30 };
        var deltas = new List<LlmDelta>();

        var result = await CallAsync(route, TestData.Hello, new LlmCallOptions { Reasoning = LlmReasoning.Low }, stream, deltas);

        Assert.Equal("Hello to you!", result.Text);
        Assert.Equal(30, result.Usage.OutputTokens);
        if (route.Name == "openai")
        {
            // OpenAI's chat completions return no reasoning text, only its count.
            Assert.Null(result.Reasoning);
            Assert.Empty(result.ReasoningBlocks);
            Assert.Equal(11, result.Usage.ReasoningTokens);
            return;
        }

        Assert.Equal(Thought, result.Reasoning);
        var block = Assert.Single(result.ReasoningBlocks);
        Assert.Equal(Thought, block.Text);
        Assert.Equal(new FakeReply().ReasoningSignature, block.Signature);
        Assert.Equal(route.IsAnthropic ? 0 : 11, result.Usage.ReasoningTokens); // Anthropic does not count thinking apart
        if (stream)
        {
            Assert.Equal(Thought, string.Concat(deltas.Select(d => d.Reasoning)));
            Assert.True(deltas.Count(d => d.Reasoning.Length > 0) > 1, "the reasoning was not streamed in pieces");
            Assert.Equal(block, deltas.Single(d => d.ReasoningBlock is not null).ReasoningBlock); // signed as soon as it ends
            Assert.Equal("Hello to you!", string.Concat(deltas.Select(d => d.Text)));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_reasoning_turn_with_a_tool_call_passes_the_signed_thinking_block_back_on_the_claude_bridge(bool stream)
    {
        await using var route = await RichRoute.StartAsync("claude");
        route.Fake.Enqueue(new FakeReply { Text = string.Empty, Reasoning = Thought, ToolCalls = [new FakeToolCall("toolu_1", "get_weather", """{"city":"Paris"}""")] });
        route.Fake.Enqueue(new FakeReply { Text = "It is sunny in Paris." });
        var options = new LlmCallOptions { Reasoning = LlmReasoning.Low, Tools = [new LlmTool("get_weather", "The weather.", RichRoute.Schema("city"))] };
        List<LlmMessage> chat = [LlmMessage.User("Weather in Paris?")];

        var first = await CallAsync(route, chat, options, stream);
        chat.Add(first.ToAssistantMessage());
        chat.Add(LlmMessage.ToolResult("toolu_1", "sunny"));
        var second = await CallAsync(route, chat, options, stream);

        Assert.Equal("It is sunny in Paris.", second.Text);
        var sent = route.Fake.Requests[1].Json().GetProperty("messages")[1].GetProperty("content");
        Assert.Equal("thinking", sent[0].GetProperty("type").GetString());
        Assert.Equal(Thought, sent[0].GetProperty("thinking").GetString());
        Assert.Equal(new FakeReply().ReasoningSignature, sent[0].GetProperty("signature").GetString());
        Assert.Equal("tool_use", sent[1].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Without_its_thinking_block_the_tool_turn_is_refused_as_anthropic_does()
    {
        // The fake enforces Anthropic's rule: this is what the test above would meet if the block were dropped.
        await using var route = await RichRoute.StartAsync("claude");
        route.Fake.Enqueue(new FakeReply { Text = string.Empty, Reasoning = Thought, ToolCalls = [new FakeToolCall("toolu_1", "get_weather", """{"city":"Paris"}""")] });
        var options = new LlmCallOptions { Reasoning = LlmReasoning.Low, Tools = [new LlmTool("get_weather", "The weather.", RichRoute.Schema("city"))] };
        var first = await route.Gateway.ChatAsync(route.Alias, [LlmMessage.User("Weather in Paris?")], options);

        var error = await Assert.ThrowsAsync<BadRequestException>(() => route.Gateway.ChatAsync(
            route.Alias,
            [LlmMessage.User("Weather in Paris?"), LlmMessage.AssistantToolCalls(first.ToolCalls), LlmMessage.ToolResult("toolu_1", "sunny")],
            options));
        Assert.Contains("Expected `thinking` or `redacted_thinking`", error.ServerMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Through_the_proxy_the_thinking_blocks_go_back_as_litellm_thinking_blocks()
    {
        await using var route = await RichRoute.StartAsync("proxy");
        route.Fake.Enqueue(new FakeReply { Text = string.Empty, Reasoning = Thought, ToolCalls = [new FakeToolCall("call_1", "get_weather", """{"city":"Paris"}""")] });
        var options = new LlmCallOptions { Reasoning = LlmReasoning.Low, Tools = [new LlmTool("get_weather", "The weather.", RichRoute.Schema("city"))] };
        List<LlmMessage> chat = [LlmMessage.User("Weather in Paris?")];

        var first = await route.Gateway.ChatAsync(route.Alias, chat, options);
        await route.Gateway.ChatAsync(route.Alias, [.. chat, first.ToAssistantMessage(), LlmMessage.ToolResult("call_1", "sunny")], options);

        var assistant = route.Fake.Requests[1].Json().GetProperty("messages")[1];
        var block = Assert.Single(assistant.GetProperty("thinking_blocks").EnumerateArray());
        Assert.Equal("thinking", block.GetProperty("type").GetString());
        Assert.Equal(Thought, block.GetProperty("thinking").GetString());
        Assert.Equal(new FakeReply().ReasoningSignature, block.GetProperty("signature").GetString());
        Assert.Equal("call_1", assistant.GetProperty("tool_calls")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_redacted_thinking_block_is_returned_and_sent_back_as_its_opaque_data()
    {
        await using var route = await RichRoute.StartAsync("claude");
        route.Fake.Enqueue(new FakeReply
        {
            RawBody = """{"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5-20251001","content":[{"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix"},{"type":"text","text":"Hi"}],"stop_reason":"end_turn","usage":{"input_tokens":5,"output_tokens":3}}""",
        });

        var result = await route.Gateway.ChatAsync(route.Alias, TestData.Hello, new LlmCallOptions { Reasoning = LlmReasoning.Low });
        await route.Gateway.ChatAsync(route.Alias, [.. TestData.Hello, result.ToAssistantMessage(), LlmMessage.User("Go on")]);

        Assert.Equal("EmwKAhgBEgy3va3pzix", Assert.Single(result.ReasoningBlocks).RedactedData);
        Assert.Null(result.Reasoning);
        var sent = route.Fake.Requests[1].Json().GetProperty("messages")[1].GetProperty("content");
        Assert.Equal("""{"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix"}""", sent[0].GetRawText());
        Assert.Equal("Hi", sent[1].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_cache_hit_replays_the_reasoning_too()
    {
        await using var route = await RichRoute.StartAsync("claude");
        route.Fake.DefaultReply = new FakeReply { Text = "Hello!", Reasoning = Thought };
        var options = new LlmCallOptions { Reasoning = LlmReasoning.Low };

        await route.Gateway.ChatAsync(route.Alias, TestData.Hello, options);
        var deltas = new List<LlmDelta>();
        await TestData.ConcatAsync(route.Gateway.StreamChatAsync(route.Alias, TestData.Hello, options), deltas);

        var hit = deltas[^1].Result!;
        Assert.True(hit.Cached);
        Assert.Equal(Thought, hit.Reasoning);
        Assert.Equal(new FakeReply().ReasoningSignature, Assert.Single(hit.ReasoningBlocks).Signature);
        Assert.Equal(Thought, string.Concat(deltas.Select(d => d.Reasoning)));
        Assert.Single(route.Fake.Requests);
    }

    [Fact]
    public async Task The_estimate_of_a_reasoning_call_leaves_room_for_the_thinking_budget()
    {
        // A request that may have been billed (the connection dropped after sending) is booked at the call's estimate:
        // 1 prompt token ("Hello!" / 4) at 1e-6 and 1,024 default output tokens plus the 4,096-token high thinking
        // budget at 5e-6 USD (claude-haiku-4-5's built-in prices).
        await using var route = await RichRoute.StartAsync("claude");
        route.Fake.DefaultReply = new FakeReply { ResetAfterEvents = 0 };
        var retries = Harness.Create(TestData.DirectEnv((FakeAnthropicApi)route.Fake), new Dictionary<string, string?> { ["Kait:Resilience:Retries"] = "0" });
        using (retries)
        {
            await Assert.ThrowsAnyAsync<KaitException>(() => retries.Gateway.ChatAsync(route.Alias, TestData.Hello, new LlmCallOptions { Reasoning = LlmReasoning.High }));

            var row = Assert.Single(await retries.RowsAsync());
            Assert.Equal(Kait.Sdk.Costs.LlmCallStatus.PossiblyBilled, row.Status);
            Assert.Equal((1 * 0.000001m) + ((1024 + 4096) * 0.000005m), row.CostUsd);
        }
    }

    internal static async Task<LlmResult> CallAsync(RichRoute route, IReadOnlyList<LlmMessage> messages, LlmCallOptions options, bool stream, List<LlmDelta>? deltas = null)
    {
        if (!stream)
        {
            return await route.Gateway.ChatAsync(route.Alias, messages, options);
        }

        deltas ??= [];
        await TestData.ConcatAsync(route.Gateway.StreamChatAsync(route.Alias, messages, options), deltas);
        return deltas[^1].Result!;
    }
}
