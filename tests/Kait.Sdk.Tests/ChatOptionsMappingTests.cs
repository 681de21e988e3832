using System.Text.Json;
using Kait.Sdk.Testing;
using Microsoft.Extensions.AI;

namespace Kait.Sdk.Tests;

/// <summary>M.E.AI 10.11 through <see cref="KaitChatClient"/>: <see cref="ChatOptions.RawRepresentationFactory"/>,
/// <see cref="ChatOptions.AdditionalProperties"/>, <see cref="ChatOptions.Instructions"/>, <see cref="ChatOptions.TopK"/>,
/// the penalties, <see cref="ChatOptions.Reasoning"/>, <see cref="ChatOptions.ConversationId"/>; on the response side
/// <see cref="TextReasoningContent"/>, the reasoning and cached token counts, and a thinking tool loop.</summary>
public sealed class ChatOptionsMappingTests
{
    private const string Thought = "I should look up the weather first.";

    [Fact]
    public async Task Raw_representation_factory_options_reach_the_proxy_and_win_over_chat_options()
    {
        await using var route = await RichRoute.StartAsync("proxy", new Dictionary<string, string?>());
        ((FakeLiteLlmProxy)route.Fake).VirtualKeys.Add("sk-virtual-7");
        using var client = route.Gateway.AsChatClient(route.Alias);
        IChatClient? seen = null;
        var options = new ChatOptions
        {
            Temperature = 0.2f,
            MaxOutputTokens = 300,
            RawRepresentationFactory = c =>
            {
                seen = c;
                return new LlmCallOptions { VirtualKey = "sk-virtual-7", Tags = ["team:search"], Metadata = new Dictionary<string, string> { ["trace"] = "t-9" }, Temperature = 0.7 };
            },
        };

        await client.GetResponseAsync("Hi", options);

        var request = Assert.Single(route.Fake.Requests);
        var body = request.Json();
        Assert.Same(client, seen);
        Assert.Equal("Bearer sk-virtual-7", request.Header("Authorization"));
        Assert.Equal("""["team:search"]""", body.GetProperty("metadata").GetProperty("tags").GetRawText());
        Assert.Equal("t-9", body.GetProperty("metadata").GetProperty("trace").GetString());
        Assert.Equal(0.7, body.GetProperty("temperature").GetDouble()); // the raw options win
        Assert.Equal(300, body.GetProperty("max_tokens").GetInt32()); // ChatOptions fill in what they leave unset
        var row = Assert.Single(await route.Harness.RowsAsync());
        Assert.Equal(["team:search"], row.Tags!);
    }

    [Fact]
    public async Task A_factory_returning_something_else_is_a_clear_error()
    {
        await using var route = await RichRoute.StartAsync("proxy");
        using var client = route.Gateway.AsChatClient(route.Alias);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync("Hi", new ChatOptions { RawRepresentationFactory = _ => "not options" }));

        Assert.Contains("returned a String: Kait takes an LlmCallOptions", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ReasoningTests.RoutesAndModes), MemberType = typeof(ReasoningTests))]
    public async Task Instructions_top_k_penalties_and_additional_properties_are_sent(string routeName, bool stream)
    {
        await using var route = await RichRoute.StartAsync(routeName);
        using var client = route.Gateway.AsChatClient(route.Alias);
        var options = new ChatOptions
        {
            Instructions = "Answer in French.",
            TopK = 40,
            FrequencyPenalty = 0.5f,
            PresencePenalty = 0.25f,
            AdditionalProperties = new AdditionalPropertiesDictionary { ["mock_response"] = "Bonjour", ["guardrails"] = new[] { "pii" } },
        };

        if (stream)
        {
            await client.GetStreamingResponseAsync("Hi", options).ToChatResponseAsync();
        }
        else
        {
            await client.GetResponseAsync([new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, "Hi")], options);
        }

        var body = Assert.Single(route.Fake.Requests).Json();
        Assert.Equal(40, body.GetProperty("top_k").GetInt32());
        Assert.Equal(0.5, body.GetProperty("frequency_penalty").GetDouble());
        Assert.Equal(0.25, body.GetProperty("presence_penalty").GetDouble());
        Assert.Equal("Bonjour", body.GetProperty("mock_response").GetString());
        Assert.Equal("pii", body.GetProperty("guardrails")[0].GetString());
        var system = route.IsAnthropic ? body.GetProperty("system").GetString() : body.GetProperty("messages")[0].GetProperty("content").GetString();
        Assert.StartsWith("Answer in French.", system, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("proxy")]
    [InlineData("openai")]
    public async Task The_strict_additional_property_makes_the_schema_strict_and_is_not_sent_as_a_field(string routeName)
    {
        await using var route = await RichRoute.StartAsync(routeName);
        using var client = route.Gateway.AsChatClient(route.Alias);
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}""").RootElement;

        await client.GetResponseAsync("Where?", new ChatOptions
        {
            ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "place"),
            AdditionalProperties = new AdditionalPropertiesDictionary { ["strict"] = true, ["mock_response"] = "{}" },
        });

        // M.E.AI's OpenAI adapter reads "strict" as the schema's strictness and never sends it; OpenAI refuses unknown fields.
        var body = Assert.Single(route.Fake.Requests).Json();
        Assert.True(body.GetProperty("response_format").GetProperty("json_schema").GetProperty("strict").GetBoolean());
        Assert.False(body.TryGetProperty("strict", out _), body.GetRawText());
        Assert.Equal("{}", body.GetProperty("mock_response").GetString()); // other additional properties are still raw fields
    }

    [Fact]
    public async Task Conversation_id_and_continuation_token_are_refused_clearly()
    {
        await using var route = await RichRoute.StartAsync("openai");
        using var client = route.Gateway.AsChatClient(route.Alias);

        var conversation = await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync("Hi", new ChatOptions { ConversationId = "conv_1" }));

        Assert.Contains("ConversationId is not supported", conversation.Message, StringComparison.Ordinal);
        Assert.Empty(route.Fake.Requests);
    }

    [Theory]
    [MemberData(nameof(ReasoningTests.RoutesAndModes), MemberType = typeof(ReasoningTests))]
    public async Task Reasoning_maps_both_ways(string routeName, bool stream)
    {
        await using var route = await RichRoute.StartAsync(routeName);
        route.Fake.DefaultReply = new FakeReply { Text = "Hello!", Reasoning = Thought, ReasoningTokens = 6, OutputTokens = 20, CachedInputTokens = 4 };
        using var client = route.Gateway.AsChatClient(route.Alias);
        var options = new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High } };

        var response = stream ? await client.GetStreamingResponseAsync("Hi", options).ToChatResponseAsync() : await client.GetResponseAsync("Hi", options);

        var body = Assert.Single(route.Fake.Requests).Json();
        if (route.IsAnthropic)
        {
            Assert.Equal(4096, body.GetProperty("thinking").GetProperty("budget_tokens").GetInt32());
        }
        else
        {
            Assert.Equal("high", body.GetProperty("reasoning_effort").GetString());
        }

        Assert.Equal("Hello!", response.Text);
        Assert.Equal(4, response.Usage!.CachedInputTokenCount);
        Assert.IsType<LlmRateLimits>(response.AdditionalProperties!["kait.rate_limits"]);
        var reasoning = response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().ToArray();
        if (route.Name == "openai")
        {
            Assert.Empty(reasoning);
            Assert.Equal(6, response.Usage.ReasoningTokenCount);
            return;
        }

        var content = Assert.Single(reasoning);
        Assert.Equal(Thought, content.Text);
        Assert.Equal(new FakeReply().ReasoningSignature, content.ProtectedData);
        Assert.Equal(route.IsAnthropic ? 0 : 6, response.Usage.ReasoningTokenCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_thinking_tool_loop_through_function_invocation_sends_the_signed_block_back_on_the_claude_bridge(bool stream)
    {
        await using var route = await RichRoute.StartAsync("claude");
        route.Fake.Enqueue(
            new FakeReply { Text = string.Empty, Reasoning = Thought, ToolCalls = [new FakeToolCall("toolu_9", "get_weather", """{"city":"Rome"}""")] },
            new FakeReply { Text = "Rome is warm." });
        using var client = new ChatClientBuilder(route.Gateway.AsChatClient(route.Alias)).UseFunctionInvocation().Build();
        var options = new ChatOptions
        {
            Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low },
            Tools = [AIFunctionFactory.Create((string city) => "warm", "get_weather", "The weather.")],
        };

        var response = stream ? await client.GetStreamingResponseAsync("Weather in Rome?", options).ToChatResponseAsync() : await client.GetResponseAsync("Weather in Rome?", options);

        Assert.Equal("Rome is warm.", response.Text);
        var sent = route.Fake.Requests[1].Json().GetProperty("messages")[1].GetProperty("content");
        Assert.Equal("thinking", sent[0].GetProperty("type").GetString());
        Assert.Equal(Thought, sent[0].GetProperty("thinking").GetString());
        Assert.Equal(new FakeReply().ReasoningSignature, sent[0].GetProperty("signature").GetString());
        Assert.Equal("tool_use", sent[1].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Cache_write_tokens_and_unknown_fields_are_on_the_response()
    {
        await using var route = await RichRoute.StartAsync("claude");
        route.Fake.Enqueue(new FakeReply
        {
            RawBody = """{"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5-20251001","content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","usage":{"input_tokens":5,"cache_creation_input_tokens":2000,"output_tokens":3},"container":{"id":"c1"}}""",
        });
        using var client = route.Gateway.AsChatClient(route.Alias);

        var response = await client.GetResponseAsync("Hi");

        Assert.Equal(2000, response.Usage!.AdditionalCounts!["cache_creation_input_tokens"]);
        Assert.Equal(2005, response.Usage.InputTokenCount);
        Assert.Equal("c1", ((JsonElement)response.AdditionalProperties!["container"]!).GetProperty("id").GetString());
    }
}
