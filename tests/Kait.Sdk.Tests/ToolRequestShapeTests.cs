using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Kait.Sdk.Tests;

public sealed class ToolRequestShapeTests
{
    public static TheoryData<string, string, string> Choices => new()
    {
        { "proxy", "auto", "\"auto\"" },
        { "proxy", "required", "\"required\"" },
        { "proxy", "none", "\"none\"" },
        { "proxy", "named", """{"type":"function","function":{"name":"get_weather"}}""" },
        { "openai", "required", "\"required\"" },
        { "openai", "named", """{"type":"function","function":{"name":"get_weather"}}""" },
        { "claude", "auto", """{"type":"auto","disable_parallel_tool_use":true}""" },
        { "claude", "required", """{"type":"any","disable_parallel_tool_use":true}""" },
        { "claude", "none", """{"type":"none"}""" },
        { "claude", "named", """{"type":"tool","name":"get_weather","disable_parallel_tool_use":true}""" },
    };

    [Theory]
    [MemberData(nameof(Choices))]
    public async Task Tools_tool_choice_and_parallel_calls_are_sent_in_each_route_shape(string routeName, string choice, string expected)
    {
        await using var route = await RichRoute.StartAsync(routeName);
        var options = new LlmCallOptions
        {
            Tools = [new LlmTool("get_weather", "The weather.", RichRoute.Schema("city")), new LlmTool("get_time", null, RichRoute.Schema("zone"))],
            ToolChoice = choice switch
            {
                "required" => LlmToolChoice.Required,
                "none" => LlmToolChoice.None,
                "named" => LlmToolChoice.Named("get_weather"),
                _ => LlmToolChoice.Auto,
            },
            ParallelToolCalls = false,
        };

        await route.Gateway.ChatAsync(route.Alias, TestData.Hello, options);

        var body = Assert.Single(route.Fake.Requests).Json();
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(expected).RootElement, body.GetProperty("tool_choice")), body.GetProperty("tool_choice").GetRawText());
        var tools = body.GetProperty("tools");
        Assert.Equal(2, tools.GetArrayLength());
        if (route.IsAnthropic)
        {
            Assert.Equal("get_time", tools[1].GetProperty("name").GetString());
            Assert.False(tools[1].TryGetProperty("description", out _));
            Assert.Equal("zone", tools[1].GetProperty("input_schema").GetProperty("required")[0].GetString());
            Assert.False(body.TryGetProperty("parallel_tool_calls", out _));
        }
        else
        {
            Assert.Equal("get_time", tools[1].GetProperty("function").GetProperty("name").GetString());
            Assert.Equal("zone", tools[1].GetProperty("function").GetProperty("parameters").GetProperty("required")[0].GetString());
            Assert.False(body.GetProperty("parallel_tool_calls").GetBoolean());
        }
    }

    [Theory]
    [MemberData(nameof(RichRoute.Names), MemberType = typeof(RichRoute))]
    public async Task Without_tools_nothing_tool_related_is_sent(string routeName)
    {
        await using var route = await RichRoute.StartAsync(routeName);

        await route.Gateway.ChatAsync(route.Alias, TestData.Hello, new LlmCallOptions { ToolChoice = LlmToolChoice.Required, ParallelToolCalls = true });

        var body = Assert.Single(route.Fake.Requests).Json();
        foreach (var name in (string[])["tools", "tool_choice", "parallel_tool_calls", "response_format"])
        {
            Assert.False(body.TryGetProperty(name, out _), name);
        }
    }

    [Theory]
    [MemberData(nameof(RichRoute.Names), MemberType = typeof(RichRoute))]
    public async Task ChatOptions_map_tools_tool_mode_format_sampling_stop_and_seed(string routeName)
    {
        await using var route = await RichRoute.StartAsync(routeName);
        using var client = route.Gateway.AsChatClient(route.Alias);
        var options = new ChatOptions
        {
            Tools = [AIFunctionFactory.Create((string city) => "sunny", "get_weather", "The weather.")],
            ToolMode = ChatToolMode.RequireSpecific("get_weather"),
            AllowMultipleToolCalls = false,
            // Anthropic's default API version (2026-10-21) has no sampling; Claude takes temperature or top_p, not both.
            Temperature = route.IsAnthropic ? null : 0.25f,
            TopP = routeName == "openai" ? 0.5f : null,
            MaxOutputTokens = 77,
            StopSequences = ["END"],
            Seed = 42,
        };

        await client.GetResponseAsync("Hi", options);

        var body = Assert.Single(route.Fake.Requests).Json();
        Assert.Equal(route.IsAnthropic ? null : (double?)0.25, body.TryGetProperty("temperature", out var temperature) ? temperature.GetDouble() : null);
        Assert.Equal(routeName == "openai" ? (double?)0.5 : null, body.TryGetProperty("top_p", out var topP) ? topP.GetDouble() : null);
        Assert.Equal(77, body.GetProperty(routeName == "openai" ? "max_completion_tokens" : "max_tokens").GetInt32());
        if (route.IsAnthropic)
        {
            Assert.Equal("END", body.GetProperty("stop_sequences")[0].GetString());
            Assert.Equal("get_weather", body.GetProperty("tools")[0].GetProperty("name").GetString());
            Assert.Equal("tool", body.GetProperty("tool_choice").GetProperty("type").GetString());
            Assert.True(body.GetProperty("tool_choice").GetProperty("disable_parallel_tool_use").GetBoolean());
        }
        else
        {
            Assert.Equal("END", body.GetProperty("stop")[0].GetString());
            Assert.Equal(42, body.GetProperty("seed").GetInt64());
            Assert.Equal("get_weather", body.GetProperty("tool_choice").GetProperty("function").GetProperty("name").GetString());
            Assert.False(body.GetProperty("parallel_tool_calls").GetBoolean());
        }
    }

    [Fact]
    public async Task A_tool_call_response_maps_to_FunctionCallContent_and_the_ToolCalls_finish_reason()
    {
        await using var route = await RichRoute.StartAsync("claude");
        route.Fake.Enqueue(new Testing.FakeReply { Text = string.Empty, ToolCalls = [new Testing.FakeToolCall("toolu_1", "get_weather", """{"city":"Paris"}""")] });
        using var client = route.Gateway.AsChatClient(route.Alias);

        var response = await client.GetResponseAsync("Weather?");

        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(response.Messages.Single().Contents));
        Assert.Equal("toolu_1", call.CallId);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Paris", ((JsonElement)call.Arguments!["city"]!).GetString());
    }
}
