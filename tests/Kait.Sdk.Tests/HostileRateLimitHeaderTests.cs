using System.Globalization;
using Kait.Sdk.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Kait.Sdk.Tests;

/// <summary>A rate-limited server's wait hints (<c>Retry-After</c>, LiteLLM's "Try again in N seconds", the rate-limit
/// reset headers) are hostile input: a value too large for a <see cref="TimeSpan"/> is a rate-limit error with a
/// bounded wait, never an <see cref="OverflowException"/> or a retry that waits for years.</summary>
public sealed class HostileRateLimitHeaderTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-25T12:00:00Z", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("1e999")]
    [InlineData("Infinity")]
    [InlineData("1e300")]
    public async Task A_retry_after_too_large_for_a_timespan_is_still_a_rate_limit_error(string retryAfter)
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Enqueue(new FakeReply { Status = 429, ErrorMessage = "slow down", Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfter } });
        var env = TestData.ProxyEnv(proxy);
        env["KAIT_RETRIES"] = "0";
        using var harness = Harness.Create(env);

        var error = await Assert.ThrowsAsync<RateLimitException>(() => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello));

        Assert.Equal(429, error.StatusCode);
        Assert.True(error.RetryAfter is null || error.RetryAfter <= TimeSpan.FromDays(1), $"RetryAfter {error.RetryAfter}");
    }

    [Fact]
    public async Task A_try_again_in_too_many_seconds_is_retried_after_a_bounded_wait()
    {
        var time = new FakeTimeProvider(Now);
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Enqueue(FakeReply.Error(503, "No deployments available, Try again in 99999999999999999999999999 seconds"));
        using var harness = Harness.Create(TestData.ProxyEnv(proxy), new Dictionary<string, string?> { ["Kait:Resilience:Retries"] = "1" }, time: time);

        var result = await ResilienceTests.Drive(time, harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello), stepSeconds: 5);

        Assert.Equal(2, result.Attempts);
    }

    [Fact]
    public async Task An_anthropic_reset_in_the_year_9999_is_retried_after_a_bounded_wait()
    {
        var time = new FakeTimeProvider(Now);
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        anthropic.Enqueue(new FakeReply
        {
            Status = 429,
            ErrorMessage = "rate limited",
            Headers = new Dictionary<string, string>
            {
                ["anthropic-ratelimit-tokens-remaining"] = "0",
                ["anthropic-ratelimit-tokens-reset"] = "9999-12-31T23:59:59Z",
            },
        });
        using var harness = Harness.Create(TestData.DirectEnv(anthropic), new Dictionary<string, string?> { ["Kait:Resilience:Retries"] = "1" }, time: time);

        var result = await ResilienceTests.Drive(time, harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello), stepSeconds: 5);

        Assert.Equal(2, result.Attempts);
    }
}
