using System.Diagnostics;
using Kait.Sdk.Costs;
using Kait.Sdk.Testing;

namespace Kait.Sdk.Tests;

/// <summary>Hostile or broken replies on every route: each ends in its documented outcome (a typed error, never an
/// empty success, never cached), in bounded time, with one ledger row per call and no key in any message or log.</summary>
public sealed class WireFaultTests
{
    private static readonly string[] Keys = [TestData.MasterKey, TestData.AnthropicKey, TestData.OpenAIKey];

    private static async Task<(FakeLlmServer Fake, Harness Harness, ModelAlias Alias)> StartAsync(string route, Dictionary<string, string?>? config = null)
    {
        switch (route)
        {
            case "proxy":
                var proxy = await FakeLiteLlmProxy.StartAsync();
                return (proxy, Harness.Create(TestData.ProxyEnv(proxy), config), Models.ClaudeFast);
            case "claude":
                var anthropic = await FakeAnthropicApi.StartAsync();
                return (anthropic, Harness.Create(TestData.DirectEnv(anthropic), config), Models.ClaudeFast);
            default:
                var openAI = await FakeOpenAIApi.StartAsync();
                return (openAI, Harness.Create(TestData.DirectEnv(openAI: openAI), config), Models.OpenaiFast);
        }
    }

    private static async Task<Exception> FailsAsync(Func<Task> call)
    {
        var error = await Record.ExceptionAsync(call);
        Assert.NotNull(error);
        return error;
    }

    private static async Task StreamAsync(LlmGateway gateway, ModelAlias alias, IReadOnlyList<LlmMessage>? messages = null)
    {
        await foreach (var _ in gateway.StreamChatAsync(alias, messages ?? TestData.Hello))
        {
        }
    }

    private static void NoKeyIn(Harness harness, Exception error)
    {
        foreach (var key in Keys)
        {
            Assert.DoesNotContain(key, error.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(harness.Logs.Entries, e => e.Message.Contains(key, StringComparison.Ordinal));
        }
    }

    public static TheoryData<string, string, string> NotAnAnswer => new()
    {
        { "proxy", """{"error":{"message":"Rate limit reached","type":"rate_limit_error","code":"429"}}""", nameof(RateLimitException) },
        { "openai", """{"error":{"message":"The server is overloaded","type":"server_error"}}""", nameof(ProviderUnavailableException) },
        { "claude", """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", nameof(ProviderUnavailableException) },
        { "proxy", "{}", nameof(ProviderUnavailableException) },
        { "openai", """{"id":"x","choices":[]}""", nameof(ProviderUnavailableException) },
        { "claude", """{"id":"msg_1","type":"message"}""", nameof(ProviderUnavailableException) },
    };

    [Theory]
    [MemberData(nameof(NotAnAnswer))]
    public async Task A_200_that_is_not_an_answer_is_a_typed_error_never_cached_and_booked_as_a_failure(string route, string body, string expected)
    {
        var (fake, harness, alias) = await StartAsync(route, new() { ["Kait:Resilience:Retries"] = "0" });
        await using var _ = fake;
        using var __ = harness;
        fake.Enqueue(new FakeReply { RawBody = body }, new FakeReply { RawBody = body });

        var first = await FailsAsync(() => harness.Gateway.ChatAsync(alias, TestData.Hello));
        var second = await FailsAsync(() => harness.Gateway.ChatAsync(alias, TestData.Hello));

        Assert.Equal(expected, first.GetType().Name);
        Assert.IsAssignableFrom<KaitException>(second);
        Assert.Equal(2, fake.Requests.Count); // the error was not cached as an (empty) answer
        var rows = await harness.RowsAsync();
        Assert.Equal(2, rows.Count);
        // A 200 reached the provider: unless its body says it was an error answer, the attempt may have been billed.
        var expectedStatus = body.Contains("\"error\"", StringComparison.Ordinal) ? LlmCallStatus.Error : LlmCallStatus.PossiblyBilled;
        Assert.All(rows, r => Assert.Equal(expectedStatus, r.Status));
        NoKeyIn(harness, first);
    }

    [Theory]
    [InlineData("proxy")]
    [InlineData("openai")]
    public async Task An_error_event_inside_a_stream_is_a_typed_error_and_the_partial_text_is_not_cached(string route)
    {
        var (fake, harness, alias) = await StartAsync(route, new() { ["Kait:Resilience:Retries"] = "0" });
        await using var _ = fake;
        using var __ = harness;
        const string Stream = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n"
            + "data: {\"error\":{\"message\":\"upstream overloaded\",\"type\":\"server_error\",\"code\":\"529\"}}\n\n";
        fake.Enqueue(new FakeReply { RawBody = Stream }, new FakeReply { Text = "Hello whole" });

        var error = await FailsAsync(() => StreamAsync(harness.Gateway, alias));
        var after = await harness.Gateway.ChatAsync(alias, TestData.Hello);

        Assert.IsAssignableFrom<KaitException>(error);
        Assert.Contains("upstream overloaded", error.Message, StringComparison.Ordinal);
        Assert.Equal("Hello whole", after.Text);
        Assert.False(after.Cached);
        var rows = await harness.RowsAsync();
        Assert.Equal([LlmCallStatus.Error, LlmCallStatus.Ok], rows.Select(r => r.Status));
        NoKeyIn(harness, error);
    }

    [Fact]
    public async Task A_raw_max_tokens_counts_in_the_cost_estimate_as_the_typed_one_does()
    {
        // The estimate is what the budget reserves and what a possibly billed failure books: a limit sent as a raw
        // field (which wins on the wire) must count as much as MaxTokens.
        var (fake, harness, alias) = await StartAsync("proxy", new() { ["Kait:Resilience:MaxResponseBytes"] = "4096", ["Kait:Resilience:Retries"] = "0" });
        await using var _ = fake;
        using var __ = harness;
        fake.DefaultReply = new FakeReply { Text = string.Join(' ', Enumerable.Repeat("word", 5_000)) };

        await FailsAsync(() => harness.Gateway.ChatAsync(alias, TestData.Hello, new LlmCallOptions { MaxTokens = 60_000 }));
        await FailsAsync(() => harness.Gateway.ChatAsync(alias, TestData.Hello, new LlmCallOptions
        {
            ExtraBody = new Dictionary<string, System.Text.Json.JsonElement> { ["max_tokens"] = System.Text.Json.JsonDocument.Parse("60000").RootElement.Clone() },
        }));

        var rows = await harness.RowsAsync();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(CostSource.Estimated, r.CostSource));
        Assert.Equal(rows[0].CostUsd, rows[1].CostUsd);
    }

    [Theory]
    [InlineData("proxy", false)]
    [InlineData("proxy", true)]
    [InlineData("claude", false)]
    [InlineData("claude", true)]
    [InlineData("openai", false)]
    [InlineData("openai", true)]
    public async Task A_reply_over_the_size_limit_is_refused_and_not_read_further(string route, bool stream)
    {
        var (fake, harness, alias) = await StartAsync(route, new() { ["Kait:Resilience:MaxResponseBytes"] = "4096", ["Kait:Resilience:Retries"] = "0" });
        await using var _ = fake;
        using var __ = harness;
        fake.DefaultReply = new FakeReply { Text = string.Join(' ', Enumerable.Repeat("word", 5_000)) };

        var error = await FailsAsync(() => stream ? StreamAsync(harness.Gateway, alias) : harness.Gateway.ChatAsync(alias, TestData.Hello));

        Assert.Contains("limit", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<KaitException>(error);
        var row = Assert.Single(await harness.RowsAsync());
        Assert.Equal((LlmCallStatus.PossiblyBilled, CostSource.Estimated), (row.Status, row.CostSource)); // it was answered, so maybe billed
        Assert.True(row.CostUsd > 0m);
        NoKeyIn(harness, error);
    }

    [Theory]
    [InlineData("proxy")]
    [InlineData("claude")]
    [InlineData("openai")]
    public async Task A_stream_that_goes_silent_ends_after_the_idle_timeout_with_what_was_received(string route)
    {
        var (fake, harness, alias) = await StartAsync(route, new() { ["Kait:Resilience:StreamIdleTimeout"] = "00:00:00.500" });
        await using var _ = fake;
        using var __ = harness;
        // Silent once some text has reached the caller (Anthropic's first two events carry none).
        fake.DefaultReply = new FakeReply { Text = "one two three four", SilentAfterEvents = route == "claude" ? 5 : 3 };
        var clock = Stopwatch.StartNew();

        var error = await FailsAsync(() => StreamAsync(harness.Gateway, alias));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        var interrupted = Assert.IsType<StreamInterruptedException>(error);
        Assert.Contains("sent nothing for 0.5 s", interrupted.Message, StringComparison.Ordinal);
        Assert.NotEmpty(interrupted.ReceivedText!);
        Assert.Single(fake.Requests); // part of the answer reached the caller: never retried
        Assert.Equal(LlmCallStatus.PossiblyBilled, Assert.Single(await harness.RowsAsync()).Status);
    }

    [Theory]
    [InlineData("proxy", 307)]
    [InlineData("claude", 308)]
    [InlineData("openai", 302)]
    public async Task A_redirect_to_another_host_is_not_followed_and_the_key_and_prompt_stay_home(string route, int status)
    {
        await using var elsewhere = await FakeOpenAIApi.StartAsync();
        var (fake, harness, alias) = await StartAsync(route, new() { ["Kait:Resilience:Retries"] = "0" });
        await using var _ = fake;
        using var __ = harness;
        fake.DefaultReply = new FakeReply
        {
            Status = status,
            ErrorMessage = "moved",
            Headers = new Dictionary<string, string> { ["Location"] = new Uri(elsewhere.BaseUrl, "/v1/messages").ToString() },
        };

        var error = await FailsAsync(() => harness.Gateway.ChatAsync(alias, [LlmMessage.User("a secret prompt")]));

        Assert.Empty(elsewhere.Requests);
        Assert.Single(fake.Requests);
        Assert.IsAssignableFrom<KaitException>(error);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Equal(LlmCallStatus.Error, Assert.Single(await harness.RowsAsync()).Status);
        NoKeyIn(harness, error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task A_call_timeout_of_zero_or_less_is_refused_not_taken_for_never(int seconds)
    {
        var (fake, harness, alias) = await StartAsync("openai");
        await using var _ = fake;
        using var __ = harness;
        var options = new LlmCallOptions { Timeout = TimeSpan.FromSeconds(seconds) };

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => harness.Gateway.ChatAsync(alias, TestData.Hello, options));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
        {
            await foreach (var delta in harness.Gateway.StreamChatAsync(alias, TestData.Hello, options))
            {
            }
        });
        Assert.Empty(fake.Requests);
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("NaN")]
    [InlineData("1e30")]
    public async Task A_proxy_cost_header_that_is_negative_or_absurd_is_no_price_even_without_a_deployment(string header)
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.DefaultReply = new FakeReply { CostHeader = header };
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));

        var result = await harness.Gateway.ChatAsync(new ModelAlias("not-in-the-config", []), TestData.Hello);

        Assert.Equal((null, CostSource.Unknown), (result.CostUsd, result.CostSource));
        var row = Assert.Single(await harness.RowsAsync());
        Assert.Null(row.CostUsd);
    }
}
