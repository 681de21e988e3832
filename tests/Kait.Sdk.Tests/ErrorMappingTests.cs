using Kait.Sdk.Testing;

namespace Kait.Sdk.Tests;

public sealed class ErrorMappingTests
{
    private static async Task<KaitException> ProxyFailure(FakeReply reply, LlmCallOptions? options = null, Action<FakeLiteLlmProxy>? setup = null)
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        setup?.Invoke(proxy);
        proxy.Enqueue(reply);

        // The mapping of one reply: retries (ResilienceTests) off.
        var env = TestData.ProxyEnv(proxy);
        env["KAIT_RETRIES"] = "0";
        using var harness = Harness.Create(env);
        return await Assert.ThrowsAnyAsync<KaitException>(() => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello, options));
    }

    [Fact]
    public async Task Invalid_model_name_400_is_its_own_bad_request()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Models.Add("claude-default");
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));

        var error = await Assert.ThrowsAsync<InvalidModelNameException>(() => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello));

        Assert.IsAssignableFrom<BadRequestException>(error);
        Assert.Equal(400, error.StatusCode);
        Assert.StartsWith("/chat/completions: Invalid model name passed in model=claude-fast", error.ServerMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_wrong_master_key_is_an_authentication_error()
    {
        var error = await ProxyFailure(new FakeReply(), setup: p => p.MasterKey = "sk-the-real-one-123456");

        var auth = Assert.IsType<AuthenticationFailedException>(error);
        Assert.Equal(401, auth.StatusCode);
        Assert.Contains("Invalid proxy server token", auth.ServerMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rate_limit_carries_retry_after()
    {
        var error = await ProxyFailure(new FakeReply { Status = 429, ErrorMessage = "No deployments available for selected model, Try again in 60 seconds", RetryAfter = TimeSpan.FromSeconds(7) });

        var limited = Assert.IsType<RateLimitException>(error);
        Assert.Equal(TimeSpan.FromSeconds(7), limited.RetryAfter);
        Assert.Equal(429, limited.StatusCode);
        Assert.StartsWith("No deployments available", limited.ServerMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Budget_exceeded_carries_spend_and_limit()
    {
        var error = await ProxyFailure(FakeReply.Error(400, "Budget has been exceeded! Current cost: 0.52, Max budget: 0.5", "budget_exceeded"));

        var budget = Assert.IsType<BudgetExceededException>(error);
        Assert.Equal(0.52m, budget.SpentUsd);
        Assert.Equal(0.5m, budget.LimitUsd);
        Assert.Equal(400, budget.StatusCode);
    }

    [Theory]
    [InlineData(500, typeof(ProviderUnavailableException))]
    [InlineData(503, typeof(ProviderUnavailableException))]
    [InlineData(529, typeof(ProviderUnavailableException))]
    [InlineData(504, typeof(LlmTimeoutException))]
    [InlineData(408, typeof(LlmTimeoutException))]
    [InlineData(403, typeof(AuthenticationFailedException))]
    [InlineData(422, typeof(BadRequestException))]
    public async Task Each_status_maps_to_its_kind(int status, Type expected)
    {
        var error = await ProxyFailure(FakeReply.Error(status, "boom"));

        Assert.IsType(expected, error);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal("boom", error.ServerMessage);
    }

    [Theory]
    [InlineData("""{"error":{"message":"plain shape","type":"invalid_request_error","param":"None","code":"400"}}""", "plain shape")]
    [InlineData("""{"error":{"message":"numeric code","type":"None","param":"None","code":400}}""", "numeric code")]
    [InlineData("""{"error":{"message":"{\"error\":{\"message\":\"nested inside a string\",\"type\":\"invalid_request_error\"}}","type":"None","param":"None","code":"400"}}""", "nested inside a string")]
    [InlineData("""{"error":"the error is a string"}""", "the error is a string")]
    [InlineData("""{"detail":"fastapi detail"}""", "fastapi detail")]
    [InlineData("""{"type":"error","error":{"type":"invalid_request_error","message":"anthropic shape"}}""", "anthropic shape")]
    [InlineData("Internal Server Error (not JSON)", "Internal Server Error (not JSON)")]
    public async Task Every_error_body_shape_yields_the_server_message(string body, string message)
    {
        var error = await ProxyFailure(new FakeReply { Status = 400, ErrorBody = body });

        Assert.IsAssignableFrom<BadRequestException>(error);
        Assert.Equal(message, error.ServerMessage);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_call_id_of_a_failed_call_is_kept()
    {
        var error = await ProxyFailure(new FakeReply { Status = 500, ErrorMessage = "x", Headers = new Dictionary<string, string> { ["x-litellm-call-id"] = "failed-call-1" } });

        Assert.Equal("failed-call-1", error.CallId);
    }

    [Fact]
    public async Task Malformed_json_is_reported_not_swallowed()
    {
        var error = await ProxyFailure(new FakeReply { MalformedJson = true });

        Assert.IsType<ProviderUnavailableException>(error);
        Assert.Contains("not the JSON expected", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_in_a_stream_is_reported()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Enqueue(new FakeReply { MalformedJson = true });
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));

        await Assert.ThrowsAsync<ProviderUnavailableException>(() => TestData.ConcatAsync(harness.Gateway.StreamChatAsync(Models.ClaudeFast, TestData.Hello)));
    }

    [Fact]
    public async Task An_error_chunk_inside_a_proxy_stream_maps_by_its_code()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Enqueue(new FakeReply
        {
            RawBody = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hal\"}}]}\n\n"
                + "data: {\"error\":{\"message\":\"litellm.RateLimitError: AnthropicException - rate limited\",\"type\":\"None\",\"param\":\"None\",\"code\":\"429\"}}\n\n",
        });
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));
        var deltas = new List<LlmDelta>();

        var error = await Assert.ThrowsAsync<RateLimitException>(() => TestData.ConcatAsync(harness.Gateway.StreamChatAsync(Models.ClaudeFast, TestData.Hello), deltas));

        Assert.Equal("Hal", Assert.Single(deltas).Text);
        Assert.Equal(429, error.StatusCode);
        Assert.StartsWith("litellm.RateLimitError", error.ServerMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_per_call_timeout_raises_a_timeout_error()
    {
        var error = await ProxyFailure(new FakeReply { Delay = TimeSpan.FromSeconds(10) }, new LlmCallOptions { Timeout = TimeSpan.FromMilliseconds(300) });

        Assert.IsType<LlmTimeoutException>(error);
        Assert.Contains("claude-fast", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_cancellation_stays_a_cancellation()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Enqueue(new FakeReply { Delay = TimeSpan.FromSeconds(10) });
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello, null, cts.Token));
    }

    [Fact]
    public async Task Anthropic_errors_map_the_same_way()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        anthropic.Enqueue(new FakeReply { Status = 429, ErrorMessage = "Number of request tokens has exceeded your per-minute rate limit", RetryAfter = TimeSpan.FromSeconds(3) }, FakeReply.Error(529, "Overloaded"));
        var env = TestData.DirectEnv(anthropic);
        env["KAIT_RETRIES"] = "0";
        using var harness = Harness.Create(env);

        var limited = await Assert.ThrowsAsync<RateLimitException>(() => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello));
        var overloaded = await Assert.ThrowsAsync<ProviderUnavailableException>(() => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello));

        Assert.Equal(TimeSpan.FromSeconds(3), limited.RetryAfter);
        Assert.StartsWith("Number of request tokens", limited.ServerMessage, StringComparison.Ordinal);
        Assert.Equal(529, overloaded.StatusCode);
        Assert.Equal("Overloaded", overloaded.ServerMessage);
    }
}
