using System.Text.Json;
using Kait.Sdk.Testing;
using Microsoft.Extensions.AI;

namespace Kait.Sdk.Tests;

public sealed class FunctionInvocationTests
{
    private static readonly FakeReply ToolTurn = new()
    {
        Text = string.Empty,
        ToolCalls = [new FakeToolCall("call_1", "get_weather", """{"city":"Paris"}"""), new FakeToolCall("call_2", "get_weather", """{"city":"Oslo"}""")],
    };

    private static readonly FakeReply FinalTurn = new() { Text = "Paris is sunny and Oslo is snowy.", OutputTokens = 9 };

    public static TheoryData<string, bool> RoutesAndModes => new()
    {
        { "proxy", false }, { "proxy", true }, { "claude", false }, { "claude", true }, { "openai", false }, { "openai", true },
    };

    [Theory]
    [MemberData(nameof(RoutesAndModes))]
    public async Task UseFunctionInvocation_runs_the_whole_tool_loop_over_Kait(string routeName, bool streaming)
    {
        await using var route = await RichRoute.StartAsync(routeName);
        route.Fake.Enqueue(ToolTurn, FinalTurn);
        var invoked = new List<string>();
        var weather = AIFunctionFactory.Create(
            (string city) =>
            {
                invoked.Add(city);
                return city == "Paris" ? "sunny" : "snowy";
            },
            "get_weather",
            "The weather in a city.");
        using var client = new ChatClientBuilder(route.Gateway.AsChatClient(route.Alias)).UseFunctionInvocation().Build();
        var options = new ChatOptions { Tools = [weather] };
        List<ChatMessage> messages = [new(ChatRole.User, "Weather in Paris and Oslo?")];

        ChatResponse response;
        if (streaming)
        {
            var updates = new List<ChatResponseUpdate>();
            await foreach (var update in client.GetStreamingResponseAsync(messages, options))
            {
                updates.Add(update);
            }

            response = updates.ToChatResponse();
        }
        else
        {
            response = await client.GetResponseAsync(messages, options);
        }

        Assert.Equal("Paris is sunny and Oslo is snowy.", response.Text);
        Assert.Equal(["Paris", "Oslo"], invoked);
        Assert.Equal(2, route.Fake.Requests.Count);
        var first = route.Fake.Requests[0].Json();
        var second = route.Fake.Requests[1].Json();
        if (route.IsAnthropic)
        {
            Assert.Equal("get_weather", first.GetProperty("tools")[0].GetProperty("name").GetString());
            Assert.Equal("object", first.GetProperty("tools")[0].GetProperty("input_schema").GetProperty("type").GetString());
            var sent = second.GetProperty("messages");
            Assert.Equal(3, sent.GetArrayLength());
            var toolUse = sent[1].GetProperty("content");
            Assert.Equal("assistant", sent[1].GetProperty("role").GetString());
            Assert.Equal("tool_use", toolUse[0].GetProperty("type").GetString());
            Assert.Equal("call_1", toolUse[0].GetProperty("id").GetString());
            Assert.Equal("Paris", toolUse[0].GetProperty("input").GetProperty("city").GetString());
            Assert.Equal("call_2", toolUse[1].GetProperty("id").GetString());

            // Both results go back in one user message.
            var results = sent[2].GetProperty("content");
            Assert.Equal("user", sent[2].GetProperty("role").GetString());
            Assert.Equal("tool_result", results[0].GetProperty("type").GetString());
            Assert.Equal("call_1", results[0].GetProperty("tool_use_id").GetString());
            Assert.Equal("sunny", results[0].GetProperty("content").GetString());
            Assert.Equal("call_2", results[1].GetProperty("tool_use_id").GetString());
            Assert.Equal("snowy", results[1].GetProperty("content").GetString());
        }
        else
        {
            var tool = first.GetProperty("tools")[0];
            Assert.Equal("function", tool.GetProperty("type").GetString());
            Assert.Equal("get_weather", tool.GetProperty("function").GetProperty("name").GetString());
            Assert.Equal("The weather in a city.", tool.GetProperty("function").GetProperty("description").GetString());
            Assert.Equal("object", tool.GetProperty("function").GetProperty("parameters").GetProperty("type").GetString());
            var sent = second.GetProperty("messages");
            Assert.Equal(4, sent.GetArrayLength());
            var calls = sent[1].GetProperty("tool_calls");
            Assert.Equal("assistant", sent[1].GetProperty("role").GetString());
            Assert.Equal("call_1", calls[0].GetProperty("id").GetString());
            Assert.Equal("get_weather", calls[0].GetProperty("function").GetProperty("name").GetString());
            Assert.Equal("Paris", JsonDocument.Parse(calls[0].GetProperty("function").GetProperty("arguments").GetString()!).RootElement.GetProperty("city").GetString());
            Assert.Equal("tool", sent[2].GetProperty("role").GetString());
            Assert.Equal("call_1", sent[2].GetProperty("tool_call_id").GetString());
            Assert.Equal("sunny", sent[2].GetProperty("content").GetString());
            Assert.Equal("call_2", sent[3].GetProperty("tool_call_id").GetString());
            Assert.Equal("snowy", sent[3].GetProperty("content").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(RoutesAndModes))]
    public async Task The_gateway_returns_parallel_tool_calls_whole_plain_and_streamed(string routeName, bool streaming)
    {
        await using var route = await RichRoute.StartAsync(routeName);
        route.Fake.Enqueue(ToolTurn with { Text = "Let me check." });
        var options = new LlmCallOptions { Tools = [new LlmTool("get_weather", "The weather.", RichRoute.Schema("city"))] };

        LlmResult result;
        var text = string.Empty;
        if (streaming)
        {
            var deltas = new List<LlmDelta>();
            text = await TestData.ConcatAsync(route.Gateway.StreamChatAsync(route.Alias, TestData.Hello, options), deltas);
            result = deltas[^1].Result!;
        }
        else
        {
            result = await route.Gateway.ChatAsync(route.Alias, TestData.Hello, options);
            text = result.Text;
        }

        Assert.Equal("Let me check.", text);
        Assert.Equal("tool_calls", result.FinishReason);
        Assert.Equal(
            [new LlmToolCall("call_1", "get_weather", """{"city":"Paris"}"""), new LlmToolCall("call_2", "get_weather", """{"city":"Oslo"}""")],
            result.ToolCalls);
    }

    [Fact]
    public async Task A_failed_tool_reaches_Anthropic_as_an_is_error_tool_result()
    {
        await using var route = await RichRoute.StartAsync("claude");
        route.Fake.Enqueue(
            new FakeReply { Text = string.Empty, ToolCalls = [new FakeToolCall("toolu_x", "explode", "{}")] },
            new FakeReply { Text = "It failed." });
        var explode = AIFunctionFactory.Create(string () => throw new InvalidOperationException("boom"), "explode");
        using var client = new ChatClientBuilder(route.Gateway.AsChatClient(route.Alias)).UseFunctionInvocation().Build();

        var response = await client.GetResponseAsync("Go", new ChatOptions { Tools = [explode] });

        Assert.Equal("It failed.", response.Text);
        var result = route.Fake.Requests[1].Json().GetProperty("messages")[2].GetProperty("content")[0];
        Assert.Equal("toolu_x", result.GetProperty("tool_use_id").GetString());
        Assert.True(result.GetProperty("is_error").GetBoolean());
    }
}
