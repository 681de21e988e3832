using Kait.Sdk.Testing;
using YamlDotNet.RepresentationModel;

namespace Kait.Sdk.Tests;

/// <summary>Replays the recorded Anthropic exchanges of the shared fixtures byte for byte.</summary>
public sealed class RecordedExchangeTests
{
    private static string RecordedBody(string file)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(SharedFiles.Path("fixtures/provider-responses/" + file)))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var interaction = (YamlMappingNode)((YamlSequenceNode)root["interactions"])[0];
        var response = (YamlMappingNode)interaction["response"];
        return ((YamlScalarNode)((YamlMappingNode)response["body"])["string"]).Value!;
    }

    /// <summary>The recorded response's <c>anthropic-*</c> headers (the rate-limit state), first value of each.</summary>
    private static Dictionary<string, string> RecordedHeaders(string file)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(SharedFiles.Path("fixtures/provider-responses/" + file)))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var response = (YamlMappingNode)((YamlMappingNode)((YamlSequenceNode)root["interactions"])[0])["response"];
        return ((YamlMappingNode)response["headers"]).Children
            .Where(h => ((YamlScalarNode)h.Key).Value!.StartsWith("anthropic-", StringComparison.Ordinal))
            .ToDictionary(h => ((YamlScalarNode)h.Key).Value!, h => ((YamlScalarNode)((YamlSequenceNode)h.Value)[0]).Value!);
    }

    [Fact]
    public async Task The_recorded_rate_limit_headers_are_on_the_result()
    {
        const string File = "tests__llm_translation__cassettes__anthropic_basic_completion.yaml";
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        anthropic.Enqueue(new FakeReply { RawBody = RecordedBody(File), Headers = RecordedHeaders(File) });
        using var harness = Harness.Create(TestData.DirectEnv(anthropic));

        var result = await harness.Gateway.ChatAsync(Models.ClaudeDefault, TestData.Hello);

        Assert.Equal(new LlmRateLimits { LimitRequests = 4000, RemainingRequests = 3999 }, result.RateLimits);
    }

    [Fact]
    public async Task The_recorded_plain_reply_reads_as_text_usage_and_stop_reason()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        anthropic.Enqueue(new FakeReply { RawBody = RecordedBody("tests__llm_translation__cassettes__anthropic_basic_completion.yaml") });
        using var harness = Harness.Create(TestData.DirectEnv(anthropic));

        var result = await harness.Gateway.ChatAsync(Models.ClaudeDefault, TestData.Hello);

        Assert.Equal("Hello! How can I help you today?", result.Text);
        Assert.Equal(new LlmUsage(12, 0, 11), result.Usage);
        Assert.Equal("stop", result.FinishReason);
        Assert.Equal("claude-sonnet-4-5-20250929", result.ProviderModel);
        Assert.Equal("msg_01ABCDEFGHIJKLMNOPQRSTUV", result.ResponseId);
    }

    [Fact]
    public async Task The_recorded_stream_yields_its_three_deltas_and_final_usage()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        var body = RecordedBody("tests__llm_translation__cassettes__anthropic_streaming_completion.yaml");
        Assert.StartsWith("event: message_start", body, StringComparison.Ordinal);
        anthropic.Enqueue(new FakeReply { RawBody = body });
        using var harness = Harness.Create(TestData.DirectEnv(anthropic));
        var deltas = new List<LlmDelta>();

        var text = await TestData.ConcatAsync(harness.Gateway.StreamChatAsync(Models.ClaudeDefault, TestData.Hello), deltas);

        Assert.Equal("Hello from LiteLLM!", text);
        Assert.Equal(["Hello", " from", " LiteLLM!", string.Empty], deltas.Select(d => d.Text));
        var final = deltas[^1].Result!;
        Assert.Equal(new LlmUsage(14, 0, 5), final.Usage);
        Assert.Equal("stop", final.FinishReason);
        Assert.Equal("msg_01STREAMABCDEFGH", final.ResponseId);
    }

    [Fact]
    public async Task An_error_event_inside_an_anthropic_stream_is_raised_as_provider_unavailable()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        anthropic.Enqueue(new FakeReply
        {
            RawBody = "event: message_start\ndata: {\"type\": \"message_start\", \"message\": {\"id\": \"msg_1\", \"model\": \"m\", \"usage\": {\"input_tokens\": 1, \"output_tokens\": 1}}}\n\n"
                + "event: content_block_delta\ndata: {\"type\": \"content_block_delta\", \"index\": 0, \"delta\": {\"type\": \"text_delta\", \"text\": \"Par\"}}\n\n"
                + "event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n",
        });
        using var harness = Harness.Create(TestData.DirectEnv(anthropic));
        var deltas = new List<LlmDelta>();

        var error = await Assert.ThrowsAsync<ProviderUnavailableException>(() => TestData.ConcatAsync(harness.Gateway.StreamChatAsync(Models.ClaudeDefault, TestData.Hello), deltas));

        Assert.Equal(529, error.StatusCode);
        Assert.Equal("Overloaded", error.ServerMessage);
        Assert.Equal("Par", Assert.Single(deltas).Text);
    }
}
