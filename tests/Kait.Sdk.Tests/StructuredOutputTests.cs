using System.Text.Json;
using Kait.Sdk.Testing;
using Microsoft.Extensions.AI;

namespace Kait.Sdk.Tests;

public sealed class StructuredOutputTests
{
    private const string Answer = """{"city":"Paris","summary":"sunny","celsius":21}""";

    private static readonly JsonElement WeatherSchema = JsonDocument.Parse("""
        {"type":"object","properties":{"city":{"type":"string"},"summary":{"type":"string"},"celsius":{"type":"integer"}},
         "required":["city","summary","celsius"],"additionalProperties":false}
        """).RootElement.Clone();

    public static TheoryData<string, bool> RoutesAndModes => new()
    {
        { "proxy", false }, { "proxy", true }, { "claude", false }, { "claude", true }, { "openai", false }, { "openai", true },
    };

    [Theory]
    [MemberData(nameof(RoutesAndModes))]
    public async Task A_json_schema_answer_round_trips_into_a_record(string routeName, bool streaming)
    {
        await using var route = await RichRoute.StartAsync(routeName);
        route.Fake.Enqueue(new FakeReply { StructuredJson = Answer });
        var options = new LlmCallOptions { ResponseFormat = LlmResponseFormat.ForJsonSchema(WeatherSchema, "weather", "A weather report.") };

        string text;
        LlmResult result;
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

        var report = JsonSerializer.Deserialize<WeatherReport>(text, JsonSerializerOptions.Web);
        Assert.Equal(new WeatherReport("Paris", "sunny", 21), report);
        Assert.Equal("stop", result.FinishReason);
        Assert.Empty(result.ToolCalls);

        var body = Assert.Single(route.Fake.Requests).Json();
        if (route.IsAnthropic)
        {
            // Anthropic's documented way: one tool whose input_schema is the schema, forced by tool_choice.
            var tool = Assert.Single(body.GetProperty("tools").EnumerateArray());
            Assert.Equal("weather", tool.GetProperty("name").GetString());
            Assert.Equal("A weather report.", tool.GetProperty("description").GetString());
            Assert.Equal("integer", tool.GetProperty("input_schema").GetProperty("properties").GetProperty("celsius").GetProperty("type").GetString());
            Assert.Equal("tool", body.GetProperty("tool_choice").GetProperty("type").GetString());
            Assert.Equal("weather", body.GetProperty("tool_choice").GetProperty("name").GetString());
            Assert.False(body.TryGetProperty("response_format", out _));
        }
        else
        {
            var format = body.GetProperty("response_format");
            Assert.Equal("json_schema", format.GetProperty("type").GetString());
            Assert.Equal("weather", format.GetProperty("json_schema").GetProperty("name").GetString());
            Assert.Equal("A weather report.", format.GetProperty("json_schema").GetProperty("description").GetString());
            Assert.Equal("object", format.GetProperty("json_schema").GetProperty("schema").GetProperty("type").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(RichRoute.Names), MemberType = typeof(RichRoute))]
    public async Task JSON_mode_is_json_object_or_a_forced_object_tool(string routeName)
    {
        await using var route = await RichRoute.StartAsync(routeName);
        route.Fake.Enqueue(new FakeReply { StructuredJson = """{"ok":true}""" });

        var result = await route.Gateway.ChatAsync(route.Alias, TestData.Hello, new LlmCallOptions { ResponseFormat = LlmResponseFormat.Json });

        Assert.True(JsonDocument.Parse(result.Text).RootElement.GetProperty("ok").GetBoolean());
        var body = Assert.Single(route.Fake.Requests).Json();
        if (route.IsAnthropic)
        {
            Assert.Equal("json_response", body.GetProperty("tool_choice").GetProperty("name").GetString());
            Assert.Equal("object", body.GetProperty("tools")[0].GetProperty("input_schema").GetProperty("type").GetString());
        }
        else
        {
            Assert.Equal("json_object", body.GetProperty("response_format").GetProperty("type").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(RichRoute.Names), MemberType = typeof(RichRoute))]
    public async Task IChatClient_GetResponseAsync_of_T_deserializes_the_answer(string routeName)
    {
        await using var route = await RichRoute.StartAsync(routeName);
        route.Fake.Enqueue(new FakeReply { StructuredJson = Answer });
        using var client = route.Gateway.AsChatClient(route.Alias);

        var response = await client.GetResponseAsync<WeatherReport>("Weather in Paris?", JsonSerializerOptions.Web);

        Assert.Equal(new WeatherReport("Paris", "sunny", 21), response.Result);
        var body = Assert.Single(route.Fake.Requests).Json();
        Assert.True(body.TryGetProperty(route.IsAnthropic ? "tool_choice" : "response_format", out _));
    }

    public sealed record WeatherReport(string City, string Summary, int Celsius);
}
