using System.Globalization;
using System.Text.Json;
using Kait.Sdk.Testing;

namespace Kait.Sdk.Tests;

/// <summary>Raw request fields, unknown response fields, spend tags and the rate-limit and deployment headers, on each
/// route.</summary>
public sealed class RawFieldsTagsAndHeadersTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Theory]
    [MemberData(nameof(ReasoningTests.RoutesAndModes), MemberType = typeof(ReasoningTests))]
    public async Task Raw_fields_are_merged_last_and_win_over_kaits_own(string routeName, bool stream)
    {
        await using var route = await RichRoute.StartAsync(routeName);
        var limit = routeName == "openai" ? "max_completion_tokens" : "max_tokens"; // each wire's own name for MaxTokens
        var options = new LlmCallOptions
        {
            MaxTokens = 100,
            ExtraBody = new Dictionary<string, JsonElement>
            {
                ["fallbacks"] = Json("""["openai-fast"]"""),
                [limit] = Json("200"),
                ["mock_testing"] = Json("""{"a":[1,2]}"""),
            },
        };

        await ReasoningTests.CallAsync(route, TestData.Hello, options, stream);

        var body = Assert.Single(route.Fake.Requests).Json();
        Assert.Equal("openai-fast", body.GetProperty("fallbacks")[0].GetString());
        Assert.Equal(200, body.GetProperty(limit).GetInt32());
        Assert.Equal("""{"a":[1,2]}""", body.GetProperty("mock_testing").GetRawText());
        Assert.Equal(stream, body.TryGetProperty("stream", out _));
    }

    [Theory]
    [InlineData("model")]
    [InlineData("messages")]
    [InlineData("stream")]
    [InlineData("stream_options")]
    public async Task Raw_fields_may_not_set_what_kait_decides(string field)
    {
        await using var route = await RichRoute.StartAsync("proxy");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => route.Gateway.ChatAsync(route.Alias, TestData.Hello, new LlmCallOptions
        {
            ExtraBody = new Dictionary<string, JsonElement> { [field] = Json("\"x\"") },
        }));

        Assert.Contains($"may not set '{field}'", error.Message, StringComparison.Ordinal);
        Assert.Empty(route.Fake.Requests);
    }

    [Theory]
    [InlineData("proxy")]
    [InlineData("openai")]
    public async Task Raw_fields_reach_an_embeddings_request_and_may_not_replace_its_input(string routeName)
    {
        await using var route = await RichRoute.StartAsync(routeName);

        await route.Gateway.EmbedAsync(Models.OpenaiFast, ["alpha"], new LlmCallOptions { ExtraBody = new Dictionary<string, JsonElement> { ["dimensions"] = Json("256") } });
        await Assert.ThrowsAsync<ArgumentException>(() => route.Gateway.EmbedAsync(Models.OpenaiFast, ["alpha"], new LlmCallOptions { ExtraBody = new Dictionary<string, JsonElement> { ["input"] = Json("[\"beta\"]") } }));

        var body = Assert.Single(route.Fake.Requests).Json();
        Assert.Equal(256, body.GetProperty("dimensions").GetInt32());
        Assert.Equal("alpha", body.GetProperty("input")[0].GetString());
    }

    [Fact]
    public async Task A_raw_field_nested_too_deep_is_an_argument_error_naming_it_before_anything_is_sent()
    {
        await using var route = await RichRoute.StartAsync("proxy");
        var deep = new string('[', 200) + new string(']', 200);
        var options = new LlmCallOptions { ExtraBody = new Dictionary<string, JsonElement> { ["deep_field"] = JsonDocument.Parse(deep, new JsonDocumentOptions { MaxDepth = 256 }).RootElement.Clone() } };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => route.Gateway.ChatAsync(route.Alias, TestData.Hello, options));

        Assert.Contains("deep_field", error.Message, StringComparison.Ordinal);
        Assert.Empty(route.Fake.Requests);
    }

    [Theory]
    [InlineData("""{"team":"x"}""")]
    [InlineData("""{"tags":["other"]}""")]
    [InlineData("null")]
    public async Task Raw_metadata_may_not_replace_the_spend_tags_the_ledger_books(string metadata)
    {
        await using var route = await RichRoute.StartAsync("proxy");
        var options = new LlmCallOptions { Tags = ["team:search"], ExtraBody = new Dictionary<string, JsonElement> { ["metadata"] = Json(metadata) } };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => route.Gateway.ChatAsync(route.Alias, TestData.Hello, options));

        Assert.Contains("metadata", error.Message, StringComparison.Ordinal);
        Assert.Empty(route.Fake.Requests);

        // Without tags the raw metadata is sent as given.
        await route.Gateway.ChatAsync(route.Alias, TestData.Hello, options with { Tags = null });
        Assert.Equal(metadata, Assert.Single(route.Fake.Requests).Json().GetProperty("metadata").GetRawText());
    }

    [Fact]
    public async Task Raw_fields_are_part_of_the_response_cache_key()
    {
        await using var route = await RichRoute.StartAsync("claude");
        static LlmCallOptions With(string value) => new() { ExtraBody = new Dictionary<string, JsonElement> { ["top_k"] = Json(value) } };

        await route.Gateway.ChatAsync(route.Alias, TestData.Hello, With("5"));
        var same = await route.Gateway.ChatAsync(route.Alias, TestData.Hello, With("5"));
        var other = await route.Gateway.ChatAsync(route.Alias, TestData.Hello, With("6"));

        Assert.True(same.Cached);
        Assert.False(other.Cached);
        Assert.Equal(2, route.Fake.Requests.Count);
    }

    [Theory]
    [InlineData("proxy")]
    [InlineData("claude")]
    public async Task Unknown_response_fields_are_on_the_result(string routeName)
    {
        await using var route = await RichRoute.StartAsync(routeName);
        route.Fake.Enqueue(new FakeReply
        {
            RawBody = route.IsAnthropic
                ? """{"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5-20251001","content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","usage":{"input_tokens":5,"output_tokens":3},"container":{"id":"c1"}}"""
                : """{"id":"c1","object":"chat.completion","created":1764072000,"model":"claude-fast","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8},"system_fingerprint":"fp_1","service_tier":"default"}""",
        });

        var result = await route.Gateway.ChatAsync(route.Alias, TestData.Hello);

        if (route.IsAnthropic)
        {
            Assert.Equal("c1", result.AdditionalFields["container"].GetProperty("id").GetString());
            Assert.DoesNotContain("content", result.AdditionalFields.Keys);
        }
        else
        {
            Assert.Equal("fp_1", result.AdditionalFields["system_fingerprint"].GetString());
            Assert.Equal("default", result.AdditionalFields["service_tier"].GetString());
            Assert.DoesNotContain("choices", result.AdditionalFields.Keys);
            Assert.DoesNotContain("object", result.AdditionalFields.Keys); // OpenAI's envelope: known, not "unknown"
            Assert.DoesNotContain("created", result.AdditionalFields.Keys);
        }
    }

    [Theory]
    [MemberData(nameof(ReasoningTests.RoutesAndModes), MemberType = typeof(ReasoningTests))]
    public async Task Tags_go_to_the_proxy_as_a_metadata_list_and_to_no_bridge(string routeName, bool stream)
    {
        await using var route = await RichRoute.StartAsync(routeName);

        await ReasoningTests.CallAsync(route, TestData.Hello, new LlmCallOptions { Tags = ["jobID:214590", "team:search"], Metadata = new Dictionary<string, string> { ["trace"] = "t-1" } }, stream);

        var body = Assert.Single(route.Fake.Requests).Json();
        if (route.Name == "proxy")
        {
            var metadata = body.GetProperty("metadata");
            Assert.Equal("""["jobID:214590","team:search"]""", metadata.GetProperty("tags").GetRawText());
            Assert.Equal("t-1", metadata.GetProperty("trace").GetString());
        }
        else
        {
            Assert.DoesNotContain("jobID", body.GetRawText(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("openai", "")]
    [InlineData("claude", "bad\ntag")]
    [InlineData("proxy", "   ")]
    public async Task A_bad_tag_is_refused_before_sending(string routeName, string tag)
    {
        await using var route = await RichRoute.StartAsync(routeName);

        await Assert.ThrowsAsync<ArgumentException>(() => route.Gateway.ChatAsync(route.Alias, TestData.Hello, new LlmCallOptions { Tags = [tag] }));

        Assert.Empty(route.Fake.Requests);
    }

    [Theory]
    [MemberData(nameof(ReasoningTests.RoutesAndModes), MemberType = typeof(ReasoningTests))]
    public async Task Rate_limit_headers_are_on_the_result_of_each_route(string routeName, bool stream)
    {
        await using var route = await RichRoute.StartAsync(routeName);

        var result = await ReasoningTests.CallAsync(route, TestData.Hello, LlmCallOptions.None, stream);

        var limits = result.RateLimits ?? throw new Xunit.Sdk.XunitException("no rate limits");
        switch (route.Name)
        {
            case "proxy":
                Assert.Equal(new LlmRateLimits { LimitRequests = 4000, RemainingRequests = 3999, LimitTokens = 400000, RemainingTokens = 399000 }, limits);
                Assert.Equal(new LlmServedBy { ModelId = "id-claude-fast", ModelGroup = "claude-fast", ApiBase = "https://api.anthropic.com/v1/messages", ResponseDuration = TimeSpan.FromMilliseconds(12.5) }, result.ServedBy);
                break;
            case "openai":
                Assert.Equal(new LlmRateLimits { LimitRequests = 10000, RemainingRequests = 9999, ResetRequests = TimeSpan.FromMilliseconds(6), LimitTokens = 200000, RemainingTokens = 199000, ResetTokens = TimeSpan.FromSeconds(60.3) }, limits);
                Assert.Null(result.ServedBy);
                break;
            default:
                Assert.Equal(50, limits.LimitRequests);
                Assert.Equal(49, limits.RemainingRequests);
                Assert.InRange(limits.ResetRequests!.Value, TimeSpan.Zero, TimeSpan.FromSeconds(2));
                Assert.Equal(39000, limits.RemainingTokens);
                Assert.Null(result.ServedBy);
                break;
        }
    }

    [Fact]
    public async Task Hostile_rate_limit_and_deployment_headers_are_left_out_never_an_error()
    {
        await using var route = await RichRoute.StartAsync("proxy");
        route.Fake.Enqueue(new FakeReply
        {
            Headers = new Dictionary<string, string>
            {
                ["x-ratelimit-remaining-requests"] = "-5",
                ["x-ratelimit-limit-requests"] = "99999999999999999999999",
                ["x-ratelimit-reset-tokens"] = "9999999999h",
                ["x-ratelimit-remaining-tokens"] = "abc",
                ["x-ratelimit-limit-tokens"] = "",
                ["x-litellm-model-api-base"] = "https://user:sk-secret@api.example.test/v1?key=sk-secret#x",
                ["x-litellm-response-duration-ms"] = "NaN",
            },
        });

        var result = await route.Gateway.ChatAsync(route.Alias, TestData.Hello);

        Assert.Null(result.RateLimits?.RemainingRequests);
        Assert.Null(result.RateLimits?.LimitRequests);
        Assert.Null(result.RateLimits?.ResetTokens);
        Assert.Null(result.RateLimits?.RemainingTokens);
        Assert.Equal("https://api.example.test/v1", result.ServedBy!.ApiBase);
        Assert.Null(result.ServedBy.ResponseDuration);
    }

    [Theory]
    [InlineData("1s", 1.0)]
    [InlineData("6m0s", 360.0)]
    [InlineData("1m30.5s", 90.5)]
    [InlineData("20ms", 0.02)]
    [InlineData("1h2m", 3720.0)]
    [InlineData("12", 12.0)]
    public void Reset_durations_parse_as_openai_writes_them(string value, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Kait.Sdk.Transport.RateLimitHeaders.ParseDuration(value));

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("1x")]
    [InlineData("-1s")]
    [InlineData("1s2")]
    public void Bad_durations_do_not_parse(string value) => Assert.Null(Kait.Sdk.Transport.RateLimitHeaders.ParseDuration(value));

    [Fact]
    public async Task A_429_without_retry_after_waits_for_the_reset_of_the_exhausted_window()
    {
        var now = DateTimeOffset.Parse("2026-11-25T12:00:00Z", CultureInfo.InvariantCulture);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now);
        await using var openAI = await FakeOpenAIApi.StartAsync();
        openAI.Enqueue(new FakeReply
        {
            Status = 429,
            ErrorMessage = "Rate limit reached for requests",
            Headers = new Dictionary<string, string>
            {
                ["x-ratelimit-remaining-requests"] = "0",
                ["x-ratelimit-reset-requests"] = "7s",
                ["x-ratelimit-remaining-tokens"] = "1000",
                ["x-ratelimit-reset-tokens"] = "30s", // not exhausted: not waited for
            },
        });
        using var harness = Harness.Create(TestData.DirectEnv(openAI: openAI), time: time);

        var result = await ResilienceTests.Drive(time, harness.Gateway.ChatAsync(Models.OpenaiFast, TestData.Hello));

        Assert.Equal(2, result.Attempts);
        var retry = harness.Logs.Entries.First(e => e.Message.StartsWith("Retrying", StringComparison.Ordinal)).Message;
        Assert.Contains("in 7 s", retry, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_on_the_claude_bridge_reports_its_rate_limits_and_waits_for_the_anthropic_reset()
    {
        var now = DateTimeOffset.Parse("2026-11-25T12:00:00Z", CultureInfo.InvariantCulture);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now);
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        var limited = new FakeReply
        {
            Status = 429,
            ErrorMessage = "Number of request tokens has exceeded your per-minute rate limit",
            Headers = new Dictionary<string, string>
            {
                ["anthropic-ratelimit-tokens-remaining"] = "0",
                ["anthropic-ratelimit-tokens-reset"] = now.AddSeconds(12).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            },
        };
        anthropic.Enqueue(limited, limited, limited, limited);
        using var harness = Harness.Create(TestData.DirectEnv(anthropic), new Dictionary<string, string?> { ["Kait:Resilience:Retries"] = "0" }, time: time);

        var error = await Assert.ThrowsAsync<RateLimitException>(() => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello));

        Assert.Equal(TimeSpan.FromSeconds(12), error.RetryAfter);
        Assert.Equal(0, error.RateLimits!.RemainingTokens);
    }
}
