using System.Collections.Concurrent;
using System.Diagnostics;
using Kait.Sdk.Testing;

namespace Kait.Sdk.Tests;

/// <summary>The call span carries the reasoning and cache token counts, the tags, the rate limits and the proxy's
/// deployment.</summary>
public sealed class ReasoningTelemetryTests
{
    [Fact]
    public async Task The_span_has_reasoning_and_cache_tokens_tags_rate_limits_and_deployment()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Kait.Sdk",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var route = await RichRoute.StartAsync("proxy");
        route.Fake.DefaultReply = new FakeReply { Reasoning = "Hmm.", ReasoningTokens = 7, OutputTokens = 20, CachedInputTokens = 30, CallId = "call-span-1" };

        await route.Gateway.ChatAsync(route.Alias, TestData.Hello, new LlmCallOptions { Tags = ["team:x"], Reasoning = LlmReasoning.Low });

        var span = stopped.Single(a => "call-span-1".Equals(a.GetTagItem("gen_ai.response.id")));
        Assert.Equal(7, span.GetTagItem("kait.usage.reasoning_tokens"));
        Assert.Equal(30, span.GetTagItem("kait.usage.cache_read_input_tokens"));
        Assert.Equal(["team:x"], (string[])span.GetTagItem("kait.tags")!);
        Assert.Equal(3999L, span.GetTagItem("kait.ratelimit.remaining_requests"));
        Assert.Equal("id-claude-fast", span.GetTagItem("kait.litellm.model_id"));
        Assert.Equal(12.5, span.GetTagItem("kait.litellm.response_duration_ms"));
    }
}
