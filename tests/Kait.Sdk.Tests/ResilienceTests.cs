using System.Globalization;
using Kait.Sdk.Resilience;
using Kait.Sdk.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Kait.Sdk.Tests;

/// <summary>Retries, timeouts and the circuit breaker of each route, on a <see cref="FakeTimeProvider"/>: no test
/// sleeps through a backoff.</summary>
public sealed class ResilienceTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-25T12:00:00Z", CultureInfo.InvariantCulture);

    /// <summary>Moves the fake clock on until <paramref name="task"/> ends (backoffs and timeouts pass at once).</summary>
    internal static async Task<T> Drive<T>(FakeTimeProvider time, Task<T> task, double stepSeconds = 0.5, Slow? slow = null)
    {
        var seen = 0;
        for (var i = 0; i < 20000 && !task.IsCompleted; i++)
        {
            if (slow is not null && slow.Server.Requests.Count > seen)
            {
                // A request the fake holds reached it: only now let that attempt's timeout pass (no race with the wire).
                seen = slow.Server.Requests.Count;
                if (seen <= slow.Requests)
                {
                    time.Advance(slow.AttemptTimeout);
                    continue;
                }
            }

            await Task.Delay(1);
            time.Advance(TimeSpan.FromSeconds(stepSeconds));
        }

        return await task;
    }

    /// <summary>The first <paramref name="Requests"/> requests to <paramref name="Server"/> hang: <see cref="Drive"/>
    /// lets each one's attempt time out once it has arrived.</summary>
    internal sealed record Slow(FakeLlmServer Server, int Requests, TimeSpan AttemptTimeout);

    private static async Task<Exception> DriveFailure(FakeTimeProvider time, Func<Task> call, double stepSeconds = 0.5, Slow? slow = null)
    {
        try
        {
            await Drive(time, call().ContinueWith(t => t, TaskScheduler.Default).Unwrap().ContinueWith(t => { t.GetAwaiter().GetResult(); return 0; }, TaskScheduler.Default), stepSeconds, slow);
        }
        catch (Exception ex)
        {
            return ex;
        }

        throw new Xunit.Sdk.XunitException("The call did not fail.");
    }

    private static string? RetryLog(Harness harness) =>
        harness.Logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.StartsWith("Retrying", StringComparison.Ordinal)).Select(e => e.Message).FirstOrDefault();

    [Fact]
    public async Task A_429_with_retry_after_in_seconds_is_retried_after_that_wait_on_a_direct_route()
    {
        var time = new FakeTimeProvider(Now);
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        anthropic.Enqueue(new FakeReply { Status = 429, ErrorMessage = "slow down", RetryAfter = TimeSpan.FromSeconds(7) });
        using var harness = Harness.Create(TestData.DirectEnv(anthropic), time: time);

        var result = await Drive(time, harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello));

        Assert.Equal(2, result.Attempts);
        Assert.Equal(2, anthropic.Requests.Count);
        Assert.Contains("in 7 s", RetryLog(harness), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_with_retry_after_as_a_date_is_retried_after_that_wait_on_a_direct_route()
    {
        var time = new FakeTimeProvider(Now);
        await using var openAI = await FakeOpenAIApi.StartAsync();
        openAI.Enqueue(new FakeReply
        {
            Status = 429,
            ErrorMessage = "slow down",
            Headers = new Dictionary<string, string> { ["Retry-After"] = Now.AddSeconds(45).ToString("r", CultureInfo.InvariantCulture) },
        });
        using var harness = Harness.Create(TestData.DirectEnv(openAI: openAI), time: time);

        var result = await Drive(time, harness.Gateway.ChatAsync(Models.OpenaiFast, TestData.Hello));

        Assert.Equal(2, result.Attempts);

        // Measured on the fake clock, which the driver may have moved a step on before the reply was read.
        var wait = double.Parse(System.Text.RegularExpressions.Regex.Match(RetryLog(harness)!, @"in ([0-9.]+) s").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(wait, 40, 45);
    }

    [Fact]
    public async Task LiteLlms_try_again_in_n_seconds_is_honoured()
    {
        var time = new FakeTimeProvider(Now);
        await using var openAI = await FakeOpenAIApi.StartAsync();
        openAI.Enqueue(FakeReply.Error(429, "No deployments available for selected model, Try again in 12 seconds"));
        using var harness = Harness.Create(TestData.DirectEnv(openAI: openAI), time: time);

        var result = await Drive(time, harness.Gateway.ChatAsync(Models.OpenaiFast, TestData.Hello));

        Assert.Equal(2, result.Attempts);
        Assert.Contains("in 12 s", RetryLog(harness), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task A_transient_status_is_retried_on_a_direct_route(int status)
    {
        var time = new FakeTimeProvider(Now);
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        anthropic.Enqueue(FakeReply.Error(status, "transient"));
        using var harness = Harness.Create(TestData.DirectEnv(anthropic), time: time);

        var result = await Drive(time, harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello));

        Assert.Equal(2, result.Attempts);
        Assert.False(result.Cached);
        Assert.Equal(2, anthropic.Requests.Count);
    }

    [Theory]
    [InlineData(400, typeof(BadRequestException))]
    [InlineData(401, typeof(AuthenticationFailedException))]
    [InlineData(403, typeof(AuthenticationFailedException))]
    [InlineData(404, typeof(BadRequestException))]
    public async Task A_client_error_is_never_retried_on_a_direct_route(int status, Type expected)
    {
        var time = new FakeTimeProvider(Now);
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        anthropic.Enqueue(FakeReply.Error(status, "no"));
        using var harness = Harness.Create(TestData.DirectEnv(anthropic), time: time);

        var error = await DriveFailure(time, () => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello));

        Assert.IsType(expected, error);
        Assert.Single(anthropic.Requests);
    }

    [Fact]
    public async Task Retries_stop_after_KAIT_RETRIES_and_the_last_error_surfaces()
    {
        var time = new FakeTimeProvider(Now);
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        anthropic.Enqueue(FakeReply.Error(503, "down"), FakeReply.Error(503, "down"), FakeReply.Error(503, "down"), FakeReply.Error(503, "down"));
        var env = TestData.DirectEnv(anthropic);
        env["KAIT_RETRIES"] = "3";
        using var harness = Harness.Create(env, time: time);

        var error = await DriveFailure(time, () => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello));

        Assert.Equal(503, Assert.IsType<ProviderUnavailableException>(error).StatusCode);
        Assert.Equal(4, anthropic.Requests.Count);
        Assert.Equal(4, Assert.Single(await harness.RowsAsync()).Attempts); // attempts travel in the ledger row, not in Exception.Data
    }

    [Theory]
    [InlineData(429, 1)]
    [InlineData(500, 1)]
    [InlineData(408, 1)]
    [InlineData(502, 2)]
    [InlineData(503, 2)]
    [InlineData(504, 2)]
    public async Task The_proxy_route_retries_only_the_proxys_own_gateway_errors(int status, int requests)
    {
        var time = new FakeTimeProvider(Now);
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Enqueue(new FakeReply { Status = status, ErrorMessage = "x", RetryAfter = TimeSpan.FromSeconds(1) });
        using var harness = Harness.Create(TestData.ProxyEnv(proxy), time: time);

        var call = harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);
        if (requests == 1)
        {
            await DriveFailure(time, () => call);
        }
        else
        {
            Assert.Equal(2, (await Drive(time, call)).Attempts);
        }

        Assert.Equal(requests, proxy.Requests.Count);
    }

    [Fact]
    public async Task The_proxys_own_retries_are_reported_not_repeated()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Enqueue(new FakeReply { AttemptedRetries = 2 });
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));

        var result = await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);

        Assert.Equal(2, result.ProxyRetries);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task An_attempt_that_times_out_is_retried_then_the_call_succeeds()
    {
        var time = new FakeTimeProvider(Now);
        await using var openAI = await FakeOpenAIApi.StartAsync();
        openAI.Enqueue(new FakeReply { Delay = TimeSpan.FromMinutes(10) });
        var env = TestData.DirectEnv(openAI: openAI);
        env["KAIT_ATTEMPT_TIMEOUT"] = "20";
        using var harness = Harness.Create(env, time: time);

        var result = await Drive(time, harness.Gateway.ChatAsync(Models.OpenaiFast, TestData.Hello), 0.1, new Slow(openAI, 1, TimeSpan.FromSeconds(20)));

        Assert.Equal(2, result.Attempts);
        Assert.Equal(2, openAI.Requests.Count);
    }

    [Fact]
    public async Task Attempts_that_all_time_out_end_in_a_timeout_error()
    {
        var time = new FakeTimeProvider(Now);
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        var slow = new FakeReply { Delay = TimeSpan.FromMinutes(10) };
        proxy.Enqueue(slow, slow, slow);
        var env = TestData.ProxyEnv(proxy);
        env["KAIT_ATTEMPT_TIMEOUT"] = "10";
        using var harness = Harness.Create(env, time: time);

        var error = await DriveFailure(time, () => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello), 0.1, new Slow(proxy, 3, TimeSpan.FromSeconds(10)));

        Assert.IsType<LlmTimeoutException>(error);
        Assert.Contains("10 s", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, proxy.Requests.Count);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_then_reported_unreachable()
    {
        var time = new FakeTimeProvider(Now);
        var env = TestData.DirectEnv();
        env["OPENAI_BASE_URL"] = $"http://127.0.0.1:{TestData.ClosedPort()}/v1";
        using var harness = Harness.Create(env, time: time);

        var error = await DriveFailure(time, () => harness.Gateway.ChatAsync(Models.OpenaiFast, TestData.Hello));

        Assert.True(Assert.IsType<ProviderUnavailableException>(error).Unreachable);
        Assert.Equal(3, Assert.Single(await harness.RowsAsync()).Attempts);
    }

    [Fact]
    public async Task A_refused_proxy_is_retried_then_the_fallback_counts_every_attempt()
    {
        var time = new FakeTimeProvider(Now);
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        var env = TestData.DirectEnv(anthropic);
        env["KAIT_LITELLM_ENABLED"] = "true";
        env["KAIT_LITELLM_URL"] = $"http://127.0.0.1:{TestData.ClosedPort()}";
        using var harness = Harness.Create(env, time: time);

        var result = await Drive(time, harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello));

        Assert.Equal(LlmRoute.Direct, result.Route);
        Assert.Equal(4, result.Attempts);
    }

    [Fact]
    public async Task The_circuit_opens_after_consecutive_failures_and_then_fails_at_once()
    {
        var env = TestData.DirectEnv();
        env["OPENAI_BASE_URL"] = $"http://127.0.0.1:{TestData.ClosedPort()}/v1";
        env["KAIT_RETRIES"] = "0";
        using var harness = Harness.Create(env);
        for (var i = 0; i < 5; i++)
        {
            var refused = await Assert.ThrowsAsync<ProviderUnavailableException>(() => harness.Gateway.ChatAsync(Models.OpenaiFast, TestData.Hello));
            Assert.DoesNotContain("circuit", refused.Message, StringComparison.Ordinal);
        }

        var open = await Assert.ThrowsAsync<ProviderUnavailableException>(() => harness.Gateway.ChatAsync(Models.OpenaiFast, TestData.Hello));

        Assert.True(open.Unreachable);
        Assert.Contains("circuit breaker is open", open.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_is_not_retried()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        anthropic.Enqueue(new FakeReply { MalformedJson = true });
        using var harness = Harness.Create(TestData.DirectEnv(anthropic));

        await Assert.ThrowsAsync<ProviderUnavailableException>(() => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello));

        Assert.Single(anthropic.Requests);
    }

    [Fact]
    public async Task A_stream_is_retried_before_its_first_chunk()
    {
        var time = new FakeTimeProvider(Now);
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Enqueue(FakeReply.Error(503, "restarting"), new FakeReply { Text = "one two three" });
        using var harness = Harness.Create(TestData.ProxyEnv(proxy), time: time);
        var deltas = new List<LlmDelta>();

        var text = await Drive(time, TestData.ConcatAsync(harness.Gateway.StreamChatAsync(Models.ClaudeFast, TestData.Hello), deltas));

        Assert.Equal("one two three", text);
        Assert.Equal(2, deltas[^1].Result!.Attempts);
    }

    [Fact]
    public async Task A_stream_reset_before_any_response_is_retried_on_a_direct_route()
    {
        var time = new FakeTimeProvider(Now);
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        anthropic.Enqueue(new FakeReply { ResetAfterEvents = 0 }, new FakeReply { Text = "fine" });
        using var harness = Harness.Create(TestData.DirectEnv(anthropic), time: time);
        var deltas = new List<LlmDelta>();

        var text = await Drive(time, TestData.ConcatAsync(harness.Gateway.StreamChatAsync(Models.ClaudeFast, TestData.Hello), deltas));

        Assert.Equal("fine", text);
        Assert.Equal(2, deltas[^1].Result!.Attempts);
    }

    [Fact]
    public async Task A_stream_reset_after_chunks_reached_the_caller_is_not_retried_and_says_how_much_came()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        anthropic.Enqueue(new FakeReply { Text = "alpha beta gamma delta", ResetAfterEvents = 4 });
        using var harness = Harness.Create(TestData.DirectEnv(anthropic));
        var deltas = new List<LlmDelta>();

        var error = await Assert.ThrowsAsync<StreamInterruptedException>(() => TestData.ConcatAsync(harness.Gateway.StreamChatAsync(Models.ClaudeFast, TestData.Hello), deltas));

        Assert.Equal(string.Concat(deltas.Select(d => d.Text)), error.ReceivedText);
        Assert.Equal(deltas.Count, error.ReceivedChunks);
        Assert.Contains(FormattableString.Invariant($"{error.ReceivedText.Length} character(s)"), error.Message, StringComparison.Ordinal);
        Assert.Single(anthropic.Requests);
    }

    [Fact]
    public async Task A_truncated_sse_stream_is_a_typed_interruption()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Enqueue(new FakeReply { RawBody = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n" });
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));

        var error = await Assert.ThrowsAsync<StreamInterruptedException>(() => TestData.ConcatAsync(harness.Gateway.StreamChatAsync(Models.ClaudeFast, TestData.Hello)));

        Assert.Equal("Hel", error.ReceivedText);
        Assert.Contains("[DONE]", error.Message, StringComparison.Ordinal);
        Assert.Single(proxy.Requests);
    }

    public enum Upstream
    {
        Proxy,
        Anthropic,
        OpenAI,
    }

    private static async Task<(FakeLlmServer Server, Harness Harness, ModelAlias Model)> Route(Upstream upstream, FakeTimeProvider time, string attemptTimeout = "120")
    {
        static Dictionary<string, string?> With(Dictionary<string, string?> env, string attemptTimeout)
        {
            env["KAIT_ATTEMPT_TIMEOUT"] = attemptTimeout;
            return env;
        }

        switch (upstream)
        {
            case Upstream.Proxy:
                var proxy = await FakeLiteLlmProxy.StartAsync();
                return (proxy, Harness.Create(With(TestData.ProxyEnv(proxy), attemptTimeout), time: time), Models.ClaudeFast);
            case Upstream.Anthropic:
                var anthropic = await FakeAnthropicApi.StartAsync();
                return (anthropic, Harness.Create(With(TestData.DirectEnv(anthropic), attemptTimeout), time: time), Models.ClaudeFast);
            default:
                var openAI = await FakeOpenAIApi.StartAsync();
                return (openAI, Harness.Create(With(TestData.DirectEnv(openAI: openAI), attemptTimeout), time: time), Models.OpenaiFast);
        }
    }

    /// <summary>The table of docs/resilience-and-cache.md, fault by fault, on each route: requests made and the outcome.</summary>
    [Theory]
    [InlineData(Upstream.Proxy, "malformed", 1, typeof(ProviderUnavailableException))]
    [InlineData(Upstream.Anthropic, "malformed", 1, typeof(ProviderUnavailableException))]
    [InlineData(Upstream.OpenAI, "malformed", 1, typeof(ProviderUnavailableException))]
    [InlineData(Upstream.Proxy, "500", 1, typeof(ProviderUnavailableException))]
    [InlineData(Upstream.Anthropic, "500", 3, typeof(ProviderUnavailableException))]
    [InlineData(Upstream.OpenAI, "500", 3, typeof(ProviderUnavailableException))]
    [InlineData(Upstream.Proxy, "502", 3, typeof(ProviderUnavailableException))]
    [InlineData(Upstream.OpenAI, "502", 3, typeof(ProviderUnavailableException))]
    [InlineData(Upstream.Proxy, "429", 1, typeof(RateLimitException))]
    [InlineData(Upstream.OpenAI, "429", 3, typeof(RateLimitException))]
    [InlineData(Upstream.Proxy, "reset", 3, typeof(ProviderUnavailableException))]
    [InlineData(Upstream.Anthropic, "reset", 3, typeof(ProviderUnavailableException))]
    [InlineData(Upstream.OpenAI, "reset", 3, typeof(ProviderUnavailableException))]
    [InlineData(Upstream.Proxy, "timeout", 3, typeof(LlmTimeoutException))]
    [InlineData(Upstream.Anthropic, "timeout", 3, typeof(LlmTimeoutException))]
    [InlineData(Upstream.OpenAI, "timeout", 3, typeof(LlmTimeoutException))]
    public async Task Each_fault_that_persists_gives_its_documented_outcome(Upstream upstream, string fault, int requests, Type expected)
    {
        var time = new FakeTimeProvider(Now);
        // Three attempts of 60 s fit in the call's 300 s (three of the default 120 s would not: the total timeout ends it).
        var (server, harness, model) = await Route(upstream, time, attemptTimeout: "60");
        await using (server)
        using (harness)
        {
            var reply = fault switch
            {
                "malformed" => new FakeReply { MalformedJson = true },
                "reset" => new FakeReply { ResetAfterEvents = 0 },
                "timeout" => new FakeReply { Delay = TimeSpan.FromMinutes(30) },
                "429" => new FakeReply { Status = 429, ErrorMessage = "limited", RetryAfter = TimeSpan.FromSeconds(2) },
                _ => FakeReply.Error(int.Parse(fault, CultureInfo.InvariantCulture), "fault"),
            };
            server.Enqueue(reply, reply, reply);

            var slow = fault == "timeout" ? new Slow(server, 3, TimeSpan.FromSeconds(60)) : null;
            var error = await DriveFailure(time, () => harness.Gateway.ChatAsync(model, TestData.Hello), fault == "timeout" ? 0.5 : 2, slow);

            Assert.IsType(expected, error);
            Assert.Equal(requests, server.Requests.Count);
            Assert.Equal(requests, Assert.Single(await harness.RowsAsync()).Attempts);
        }
    }

    [Theory]
    [InlineData(Upstream.Proxy)]
    [InlineData(Upstream.Anthropic)]
    [InlineData(Upstream.OpenAI)]
    public async Task A_stream_whose_first_chunk_times_out_is_retried(Upstream upstream)
    {
        var time = new FakeTimeProvider(Now);
        var (server, harness, model) = await Route(upstream, time);
        await using (server)
        using (harness)
        {
            server.Enqueue(new FakeReply { Delay = TimeSpan.FromMinutes(30) }, new FakeReply { Text = "second try" });
            var deltas = new List<LlmDelta>();

            var text = await Drive(time, TestData.ConcatAsync(harness.Gateway.StreamChatAsync(model, TestData.Hello), deltas), 0.5, new Slow(server, 1, TimeSpan.FromSeconds(120)));

            Assert.Equal("second try", text);
            Assert.Equal(2, deltas[^1].Result!.Attempts);
        }
    }

    [Fact]
    public async Task The_total_timeout_ends_the_call_whatever_retries_are_left()
    {
        var time = new FakeTimeProvider(Now);
        var (server, harness, model) = await Route(Upstream.Anthropic, time);
        await using (server)
        using (harness)
        {
            var slow = new FakeReply { Delay = TimeSpan.FromMinutes(30) };
            server.Enqueue(slow, slow, slow);

            var error = await DriveFailure(time, () => harness.Gateway.ChatAsync(model, TestData.Hello), 0.5, new Slow(server, 3, TimeSpan.FromSeconds(120)));

            Assert.Contains("within 300 s", Assert.IsType<LlmTimeoutException>(error).Message, StringComparison.Ordinal);
            Assert.Equal(3, server.Requests.Count);
        }
    }

    [Fact]
    public void The_retry_timeout_and_cache_variables_are_read_with_their_defaults()
    {
        var defaults = KaitOptionsLoader.Load(null, new KaitEnvironment(_ => null, TempDirectory.Create()));
        var env = new Dictionary<string, string?>
        {
            ["KAIT_RETRIES"] = "4",
            ["KAIT_TIMEOUT"] = "90",
            ["KAIT_ATTEMPT_TIMEOUT"] = "30.5",
            ["KAIT_CACHE_TTL"] = "0",
            ["KAIT_CACHE_L2"] = "off",
            ["KAIT_REDIS_URL"] = "127.0.0.1:6390",
        };
        var set = KaitOptionsLoader.Load(null, new KaitEnvironment(env.GetValueOrDefault, TempDirectory.Create()));

        Assert.Equal(2, defaults.Resilience.Retries);
        Assert.Equal(TimeSpan.FromSeconds(300), defaults.Resilience.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(120), defaults.Resilience.AttemptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(300), defaults.Cache.Ttl);
        Assert.True(defaults.Cache.L2);
        Assert.Null(defaults.Cache.RedisUrl);
        Assert.Equal(4, set.Resilience.Retries);
        Assert.Equal(TimeSpan.FromSeconds(90), set.Resilience.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30.5), set.Resilience.AttemptTimeout);
        Assert.Equal(TimeSpan.Zero, set.Cache.Ttl);
        Assert.False(set.Cache.L2);
        Assert.Equal("127.0.0.1:6390", set.Cache.RedisUrl);
    }
}
