using System.Collections.Concurrent;
using System.Diagnostics;
using Kait.Sdk.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;

namespace Kait.Sdk.Tests;

public sealed class ChatPipelineTests
{
    [Theory]
    [MemberData(nameof(RichRoute.Names), MemberType = typeof(RichRoute))]
    public async Task Distributed_cache_OpenTelemetry_and_function_invocation_compose_over_Kait(string routeName)
    {
        await using var route = await RichRoute.StartAsync(routeName);
        route.Fake.Enqueue(
            new FakeReply { Text = string.Empty, ToolCalls = [new FakeToolCall("call_9", "get_weather", """{"city":"Rome"}""")] },
            new FakeReply { Text = "Rome is warm.", InputTokens = 20, OutputTokens = 4 });
        var sourceName = "kait-tests-" + Guid.NewGuid().ToString("N");
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == sourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var client = new ChatClientBuilder(route.Gateway.AsChatClient(route.Alias))
            .UseDistributedCache(new DictionaryCache())
            .UseFunctionInvocation()
            .UseOpenTelemetry(sourceName: sourceName)
            .Build();
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create((string city) => "warm", "get_weather", "The weather.")] };

        var first = await client.GetResponseAsync("Weather in Rome?", options);
        var again = await client.GetResponseAsync("Weather in Rome?", options);

        Assert.Equal("Rome is warm.", first.Text);
        Assert.Equal("Rome is warm.", again.Text);
        Assert.Equal(2, route.Fake.Requests.Count); // the tool turn and the answer; the repeat came from the cache
        // One chat span per model call (function invocation adds its own tool spans beside them).
        var chats = activities.Where(a => "chat".Equals(a.GetTagItem("gen_ai.operation.name"))).ToArray();
        Assert.Equal(2, chats.Length);
        Assert.Contains(chats, a => a.GetTagItem("gen_ai.usage.output_tokens") is 4);
        Assert.Contains(activities, a => "execute_tool".Equals(a.GetTagItem("gen_ai.operation.name")));
    }

    /// <summary>An <see cref="IDistributedCache"/> over a dictionary.</summary>
    private sealed class DictionaryCache : IDistributedCache
    {
        private readonly ConcurrentDictionary<string, byte[]> entries = new(StringComparer.Ordinal);

        public byte[]? Get(string key) => entries.GetValueOrDefault(key);

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromResult(Get(key));

        public void Refresh(string key)
        {
        }

        public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

        public void Remove(string key) => entries.TryRemove(key, out _);

        public Task RemoveAsync(string key, CancellationToken token = default)
        {
            Remove(key);
            return Task.CompletedTask;
        }

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => entries[key] = value;

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            Set(key, value, options);
            return Task.CompletedTask;
        }
    }
}
