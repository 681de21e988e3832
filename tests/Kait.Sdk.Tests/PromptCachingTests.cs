using System.Text.Json;
using Kait.Sdk.Testing;

namespace Kait.Sdk.Tests;

/// <summary>Prompt-caching breakpoints in each route's shape, and cache writes and reads counted and priced from the
/// price map.</summary>
public sealed class PromptCachingTests
{
    private static readonly string LongSystem = "You are a careful assistant. " + string.Concat(Enumerable.Repeat("Follow the house style. ", 200));

    private static IReadOnlyList<LlmMessage> Chat(string question) => [LlmMessage.System(LongSystem), LlmMessage.User(question)];

    private static LlmCallOptions Options => new()
    {
        PromptCaching = LlmPromptCaching.SystemAndTools,
        Tools = [new LlmTool("get_weather", "The weather.", RichRoute.Schema("city")), new LlmTool("get_time", "The time.", RichRoute.Schema("zone"))],
    };

    [Theory]
    [MemberData(nameof(ReasoningTests.RoutesAndModes), MemberType = typeof(ReasoningTests))]
    public async Task Breakpoints_on_system_tools_and_a_marked_message_are_sent_in_each_route_shape(string routeName, bool stream)
    {
        await using var route = await RichRoute.StartAsync(routeName);
        IReadOnlyList<LlmMessage> messages = [LlmMessage.System(LongSystem), LlmMessage.User("A long document...") with { CacheBreakpoint = true }, LlmMessage.Assistant("Read."), LlmMessage.User("Summarise it.")];

        await ReasoningTests.CallAsync(route, messages, Options, stream);

        var body = Assert.Single(route.Fake.Requests).Json();
        var ephemeral = JsonDocument.Parse("""{"type":"ephemeral"}""").RootElement;
        var tools = body.GetProperty("tools");
        switch (route.Name)
        {
            case "claude":
                var system = Assert.Single(body.GetProperty("system").EnumerateArray());
                Assert.Equal(LongSystem, system.GetProperty("text").GetString());
                Assert.True(JsonElement.DeepEquals(ephemeral, system.GetProperty("cache_control")));
                Assert.False(tools[0].TryGetProperty("cache_control", out _));
                Assert.True(JsonElement.DeepEquals(ephemeral, tools[1].GetProperty("cache_control")));
                var marked = body.GetProperty("messages")[0].GetProperty("content");
                Assert.Equal("A long document...", marked[0].GetProperty("text").GetString());
                Assert.True(JsonElement.DeepEquals(ephemeral, marked[0].GetProperty("cache_control")));
                Assert.Equal(JsonValueKind.String, body.GetProperty("messages")[2].GetProperty("content").ValueKind); // unmarked: as before
                break;
            case "proxy":
                var shaped = body.GetProperty("messages");
                Assert.True(JsonElement.DeepEquals(ephemeral, shaped[0].GetProperty("content")[0].GetProperty("cache_control")));
                Assert.Equal(LongSystem, shaped[0].GetProperty("content")[0].GetProperty("text").GetString());
                Assert.True(JsonElement.DeepEquals(ephemeral, shaped[1].GetProperty("content")[0].GetProperty("cache_control")));
                Assert.Equal(JsonValueKind.String, shaped[3].GetProperty("content").ValueKind);
                Assert.False(tools[0].TryGetProperty("cache_control", out _));
                Assert.True(JsonElement.DeepEquals(ephemeral, tools[1].GetProperty("cache_control")));
                break;
            default:
                // OpenAI caches on its own and refuses cache_control (the fake answers 400 for it): nothing is sent.
                Assert.DoesNotContain("cache_control", body.GetRawText(), StringComparison.Ordinal);
                break;
        }
    }

    [Theory]
    [InlineData("claude")]
    [InlineData("proxy")]
    public async Task A_marked_system_message_is_a_breakpoint_without_prompt_caching_options(string routeName)
    {
        await using var route = await RichRoute.StartAsync(routeName);

        await route.Gateway.ChatAsync(route.Alias, [LlmMessage.System(LongSystem) with { CacheBreakpoint = true }, LlmMessage.User("Hi")]);

        var body = Assert.Single(route.Fake.Requests).Json();
        var system = route.IsAnthropic ? body.GetProperty("system")[0] : body.GetProperty("messages")[0].GetProperty("content")[0];
        Assert.Equal(LongSystem, system.GetProperty("text").GetString());
        Assert.Equal("ephemeral", system.GetProperty("cache_control").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("claude", false)]
    [InlineData("claude", true)]
    [InlineData("proxy", false)]
    [InlineData("proxy", true)]
    public async Task A_cached_prompts_second_call_books_cache_read_tokens_at_the_cache_read_price(string routeName, bool stream)
    {
        await using var route = await RichRoute.StartAsync(routeName, new Dictionary<string, string?> { ["KAIT_PRICE_MAP"] = SharedFiles.Path("data/litellm_model_prices.json") });

        var first = await ReasoningTests.CallAsync(route, Chat("First question?"), Options, stream);
        var second = await ReasoningTests.CallAsync(route, Chat("Second question?"), Options, stream);

        // claude-fast is claude-haiku-4-5-20251001 in the price map: input 1e-6, output 5e-6, cache write 1.25e-6,
        // cache read 1e-7 USD a token. The fake answers 12 uncached input and 5 output tokens.
        var prefix = first.Usage.CacheCreationInputTokens;
        Assert.True(prefix > 1000, "the system prompt and tools were not written to the cache: " + first.Usage);
        Assert.Equal(0, first.Usage.CachedInputTokens);
        Assert.Equal(12 + prefix, first.Usage.InputTokens);
        Assert.Equal((12 * 0.000001m) + (prefix * 0.00000125m) + (5 * 0.000005m), first.CostUsd);

        Assert.Equal(prefix, second.Usage.CachedInputTokens);
        Assert.Equal(0, second.Usage.CacheCreationInputTokens);
        Assert.Equal(12 + prefix, second.Usage.InputTokens);
        Assert.Equal((12 * 0.000001m) + (prefix * 0.0000001m) + (5 * 0.000005m), second.CostUsd);
        Assert.Equal(CostSource.PriceMap, second.CostSource);

        var rows = await route.Harness.RowsAsync();
        Assert.Equal(2, rows.Count);
        Assert.Equal(prefix, rows[0].Usage.CacheCreationInputTokens);
        Assert.Equal(prefix, rows[1].Usage.CachedInputTokens);
        Assert.Equal(second.CostUsd, rows[1].CostUsd);
    }

    [Fact]
    public async Task On_the_openai_bridge_cached_reads_are_counted_and_priced_without_breakpoints()
    {
        await using var route = await RichRoute.StartAsync("openai", new Dictionary<string, string?> { ["KAIT_PRICE_MAP"] = SharedFiles.Path("data/litellm_model_prices.json") });
        route.Fake.DefaultReply = new FakeReply { InputTokens = 100, CachedInputTokens = 2048, OutputTokens = 10 };

        var result = await route.Gateway.ChatAsync(route.Alias, Chat("Question?"), Options);

        // gpt-4o-mini: input 1.5e-7, cache read 7.5e-8, output 6e-7.
        Assert.Equal(2048, result.Usage.CachedInputTokens);
        Assert.Equal((100 * 0.00000015m) + (2048 * 0.000000075m) + (10 * 0.0000006m), result.CostUsd);
    }
}
