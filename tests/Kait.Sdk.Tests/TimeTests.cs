using System.Globalization;
using Kait.Sdk.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Kait.Sdk.Tests;

/// <summary>Time comes from the injected <see cref="TimeProvider"/>.</summary>
public sealed class TimeTests
{
    [Fact]
    public async Task The_per_call_timeout_runs_on_the_injected_clock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T12:00:00Z", CultureInfo.InvariantCulture));
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Enqueue(new FakeReply { Delay = TimeSpan.FromSeconds(30) });
        using var harness = Harness.Create(TestData.ProxyEnv(proxy), time: time);

        var call = harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello, new LlmCallOptions { Timeout = TimeSpan.FromMinutes(2) });
        while (proxy.Requests.Count == 0)
        {
            await Task.Delay(10);
        }

        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(2));

        var error = await Assert.ThrowsAsync<LlmTimeoutException>(() => call);
        Assert.Contains("120 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retry_after_date_is_measured_against_the_injected_clock()
    {
        var now = DateTimeOffset.Parse("2026-11-25T12:00:00Z", CultureInfo.InvariantCulture);
        var time = new FakeTimeProvider(now);
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Enqueue(new FakeReply
        {
            Status = 429,
            ErrorMessage = "slow down",
            Headers = new Dictionary<string, string> { ["Retry-After"] = now.AddSeconds(45).ToString("r", CultureInfo.InvariantCulture) },
        });
        using var harness = Harness.Create(TestData.ProxyEnv(proxy), time: time);

        var error = await Assert.ThrowsAsync<RateLimitException>(() => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello));

        Assert.Equal(TimeSpan.FromSeconds(45), error.RetryAfter);
    }
}
