using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Kait.Sdk.Caching;
using Kait.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Kait.Sdk.Tests;

/// <summary>The response cache: hits, keys, TTL, stampedes, L2 across processes, per-call controls.</summary>
public sealed class CacheTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-25T12:00:00Z", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_repeated_call_is_a_hit_with_no_cost_no_attempt_and_no_http_call()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.Enqueue(new FakeReply { Text = "cached answer", CostUsd = 0.25m });
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));

        var first = await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);
        var second = await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);

        Assert.False(first.Cached);
        Assert.Equal(1, first.Attempts);
        Assert.True(second.Cached);
        Assert.Equal("cached answer", second.Text);
        Assert.Equal(0m, second.CostUsd);
        Assert.Equal(CostSource.Cache, second.CostSource);
        Assert.Equal(0, second.Attempts);
        Assert.Equal(LlmRoute.Proxy, second.Route);
        Assert.Equal(first.Usage, second.Usage);
        Assert.Single(proxy.Requests);
    }

    [Fact]
    public async Task A_different_request_is_a_miss()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        using var harness = Harness.Create(TestData.DirectEnv(anthropic));

        await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);
        await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello, new LlmCallOptions { MaxTokens = 200 });
        await harness.Gateway.ChatAsync(Models.ClaudeFast, [LlmMessage.User("Other")]);
        var hit = await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello, new LlmCallOptions { MaxTokens = 200 });

        Assert.True(hit.Cached);
        Assert.Equal(LlmRoute.Direct, hit.Route);
        Assert.Equal(3, anthropic.Requests.Count);
    }

    [Fact]
    public async Task An_entry_expires_after_the_ttl_on_the_injected_clock()
    {
        var time = new FakeTimeProvider(Now);
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        using var harness = Harness.Create(TestData.DirectEnv(anthropic), time: time);

        await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);
        time.Advance(TimeSpan.FromSeconds(299));
        var before = await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);
        time.Advance(TimeSpan.FromSeconds(2));
        var after = await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);

        Assert.True(before.Cached);
        Assert.False(after.Cached);
        Assert.Equal(2, anthropic.Requests.Count);
    }

    [Fact]
    public async Task A_per_call_ttl_replaces_the_default()
    {
        var time = new FakeTimeProvider(Now);
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        using var harness = Harness.Create(TestData.DirectEnv(anthropic), time: time);
        var shortLived = new LlmCallOptions { Cache = new LlmCacheControl { Ttl = TimeSpan.FromSeconds(10) } };

        await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello, shortLived);
        time.Advance(TimeSpan.FromSeconds(11));
        var after = await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello, shortLived);

        Assert.False(after.Cached);
        Assert.Equal(2, anthropic.Requests.Count);
    }

    [Fact]
    public async Task A_hundred_concurrent_identical_requests_make_one_upstream_call()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.DefaultReply = new FakeReply { Text = "shared", Delay = TimeSpan.FromMilliseconds(300) };
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello))));

        Assert.Single(proxy.Requests);
        Assert.All(results, r => Assert.Equal("shared", r.Text));
        Assert.Equal(99, results.Count(r => r.Cached));
        Assert.Equal(1, results.Sum(r => r.Attempts));
    }

    [Fact]
    public async Task A_caller_that_joined_a_call_its_owner_cancelled_still_gets_an_answer()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.DefaultReply = new FakeReply { Text = "for whoever waits", Delay = TimeSpan.FromMilliseconds(600) };
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));
        using var ownerGivesUp = new CancellationTokenSource();

        var owner = harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello, cancellationToken: ownerGivesUp.Token);
        await WaitUntilAsync(() => proxy.Requests.Count == 1);
        var joiner = harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);
        await Task.Delay(100);
        await ownerGivesUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => owner);
        var answer = await joiner;
        Assert.Equal("for whoever waits", answer.Text);
        Assert.Equal(2, proxy.Requests.Count); // the joiner called again once the call it waited on was cancelled
    }

    [Fact]
    public async Task A_caller_waiting_on_another_identical_call_can_stop_waiting()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.DefaultReply = new FakeReply { Text = "slow", Delay = TimeSpan.FromSeconds(3) };
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));

        var owner = harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);
        await WaitUntilAsync(() => proxy.Requests.Count == 1);
        using var impatient = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello, cancellationToken: impatient.Token));

        Assert.False(owner.IsCompleted, "the joiner's cancellation waited for the owner's call");
        Assert.Equal("slow", (await owner).Text);
        Assert.Single(proxy.Requests);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "the condition never held");
    }

    [Fact]
    public async Task Two_credentials_never_share_an_entry()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        proxy.VirtualKeys.Add("sk-virtual-team-a-000000");
        proxy.VirtualKeys.Add("sk-virtual-team-b-000000");
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));

        var a = await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello, new LlmCallOptions { VirtualKey = "sk-virtual-team-a-000000" });
        var b = await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello, new LlmCallOptions { VirtualKey = "sk-virtual-team-b-000000" });
        var aAgain = await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello, new LlmCallOptions { VirtualKey = "sk-virtual-team-a-000000" });

        Assert.False(b.Cached);
        Assert.True(aAgain.Cached);
        Assert.Equal(2, proxy.Requests.Count);
    }

    [Fact]
    public async Task Another_process_over_the_same_home_gets_the_hit_from_sqlite_and_no_key_is_stored()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        var dir = TempDirectory.Create();
        using (var first = Harness.Create(TestData.DirectEnv(anthropic), workingDirectory: dir))
        {
            Assert.False((await first.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello)).Cached);
        }

        using var second = Harness.Create(TestData.DirectEnv(anthropic), workingDirectory: dir);
        var hit = await second.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);

        Assert.True(hit.Cached);
        Assert.Single(anthropic.Requests);
        var home = Path.Combine(dir, "kait-home");
        foreach (var file in new[] { SqliteDistributedCache.FileName, CacheKeys.SaltFile })
        {
            var path = Path.Combine(home, file);
            Assert.True(File.Exists(path), path);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }

            Assert.DoesNotContain(TestData.AnthropicKey, System.Text.Encoding.Latin1.GetString(await File.ReadAllBytesAsync(path)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_different_key_in_another_process_is_a_miss()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        var dir = TempDirectory.Create();
        using (var first = Harness.Create(TestData.DirectEnv(anthropic), workingDirectory: dir))
        {
            await first.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);
        }

        var env = TestData.DirectEnv(anthropic);
        env["ANTHROPIC_API_KEY"] = "sk-ant-someone-else-000000";
        using var second = Harness.Create(env, workingDirectory: dir);

        Assert.False((await second.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello)).Cached);
        Assert.Equal(2, anthropic.Requests.Count);
    }

    [Fact]
    public async Task A_corrupt_cache_file_is_logged_and_bypassed()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        var dir = TempDirectory.Create();
        var home = Path.Combine(dir, "kait-home");
        Directory.CreateDirectory(home);
        await File.WriteAllTextAsync(Path.Combine(home, SqliteDistributedCache.FileName), new string('x', 4096));
        using var harness = Harness.Create(TestData.DirectEnv(anthropic), workingDirectory: dir);

        var first = await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);
        var second = await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);

        Assert.False(first.Cached);
        Assert.True(second.Cached);
        Assert.Contains(harness.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("bypassed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Errors_are_never_cached()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        anthropic.Enqueue(FakeReply.Error(400, "bad"));
        using var harness = Harness.Create(TestData.DirectEnv(anthropic));

        await Assert.ThrowsAsync<BadRequestException>(() => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello));
        var next = await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);

        Assert.False(next.Cached);
        Assert.Equal(2, anthropic.Requests.Count);
    }

    [Fact]
    public async Task A_stream_is_cached_as_its_result_and_replayed_as_chunks()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        anthropic.Enqueue(new FakeReply { Text = "alpha beta gamma" });
        using var harness = Harness.Create(TestData.DirectEnv(anthropic));
        var replayed = new List<LlmDelta>();

        var streamed = await TestData.ConcatAsync(harness.Gateway.StreamChatAsync(Models.ClaudeFast, TestData.Hello));
        var again = await TestData.ConcatAsync(harness.Gateway.StreamChatAsync(Models.ClaudeFast, TestData.Hello), replayed);
        var whole = await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);

        Assert.Equal("alpha beta gamma", streamed);
        Assert.Equal("alpha beta gamma", again);
        Assert.True(replayed.Count > 2);
        Assert.True(replayed[^1].Result!.Cached);
        Assert.Equal(0, replayed[^1].Result!.Attempts);
        Assert.True(whole.Cached);
        Assert.Single(anthropic.Requests);
    }

    [Fact]
    public async Task No_cache_no_store_namespace_and_s_maxage_behave_like_litellms()
    {
        var time = new FakeTimeProvider(Now);
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        using var harness = Harness.Create(TestData.DirectEnv(anthropic), time: time);
        Task<LlmResult> Call(LlmCacheControl? cache) => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello, new LlmCallOptions { Cache = cache });

        Assert.False((await Call(new LlmCacheControl { NoStore = true })).Cached);
        Assert.False((await Call(null)).Cached);                                     // nothing was stored
        Assert.True((await Call(null)).Cached);
        Assert.False((await Call(new LlmCacheControl { NoCache = true })).Cached);  // read skipped, still stored
        Assert.False((await Call(new LlmCacheControl { Namespace = "team-b" })).Cached);
        Assert.True((await Call(new LlmCacheControl { Namespace = "team-b" })).Cached);
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.True((await Call(new LlmCacheControl { SMaxAge = TimeSpan.FromSeconds(60) })).Cached);
        Assert.False((await Call(new LlmCacheControl { SMaxAge = TimeSpan.FromSeconds(10) })).Cached);
        Assert.Equal(5, anthropic.Requests.Count);
    }

    [Fact]
    public async Task The_cache_controls_are_forwarded_to_the_proxy()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        using var harness = Harness.Create(TestData.ProxyEnv(proxy));

        await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello, new LlmCallOptions
        {
            Cache = new LlmCacheControl { NoCache = true, Ttl = TimeSpan.FromSeconds(600), SMaxAge = TimeSpan.FromSeconds(60), Namespace = "ns" },
        });

        var cache = Assert.Single(proxy.Requests).Json().GetProperty("cache");
        Assert.True(cache.GetProperty("no-cache").GetBoolean());
        Assert.Equal(600, cache.GetProperty("ttl").GetDouble());
        Assert.Equal(60, cache.GetProperty("s-maxage").GetDouble());
        Assert.Equal("ns", cache.GetProperty("namespace").GetString());
    }

    [Fact]
    public async Task A_ttl_of_zero_turns_the_cache_off()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        var env = TestData.DirectEnv(anthropic);
        env["KAIT_CACHE_TTL"] = "0";
        using var harness = Harness.Create(env);

        await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);
        var again = await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);

        Assert.False(again.Cached);
        Assert.Equal(2, anthropic.Requests.Count);
        Assert.False(File.Exists(Path.Combine(harness.WorkingDirectory, "kait-home", SqliteDistributedCache.FileName)));
    }

    [Fact]
    public async Task L2_off_keeps_the_cache_in_memory_only()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        var env = TestData.DirectEnv(anthropic);
        env["KAIT_CACHE_L2"] = "off";
        using var harness = Harness.Create(env);

        await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);

        Assert.True((await harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello)).Cached);
        Assert.False(File.Exists(Path.Combine(harness.WorkingDirectory, "kait-home", SqliteDistributedCache.FileName)));
    }

    [RedisFact]
    public async Task Redis_is_the_shared_cache_when_KAIT_REDIS_URL_is_set()
    {
        using var redis = RedisServer.Start();
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        var env = TestData.DirectEnv(anthropic);
        env["KAIT_REDIS_URL"] = redis.ConnectionString;
        var dir = TempDirectory.Create();
        using (var first = Harness.Create(env, workingDirectory: dir, configure: s => s.AddKaitRedisCache()))
        {
            Assert.False((await first.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello)).Cached);
        }

        // A new process (provider) over the same home: its hit can only come from Redis, as no SQLite file is written.
        using var second = Harness.Create(env, workingDirectory: dir, configure: s => s.AddKaitRedisCache());
        var hit = await second.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello);

        Assert.True(hit.Cached);
        Assert.False(File.Exists(Path.Combine(dir, "kait-home", SqliteDistributedCache.FileName)));
        Assert.Single(anthropic.Requests);
    }
}

/// <summary>Redis is its own package (Kait.Sdk.Redis); Kait.Sdk alone takes any shared store registered under
/// <see cref="KaitCacheOptions.SharedStoreKey"/>.</summary>
public sealed class SharedStoreTests
{
    [Fact]
    public async Task KAIT_REDIS_URL_without_the_Redis_package_registered_is_an_error_that_names_the_package()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        var env = TestData.DirectEnv(anthropic);
        env["KAIT_REDIS_URL"] = "127.0.0.1:1,password=hunter2";
        using var harness = Harness.Create(env);

        var error = await Assert.ThrowsAsync<KaitConfigurationException>(() => harness.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello));

        Assert.Contains("Kait.Sdk.Redis", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddKaitRedisCache()", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.Empty(anthropic.Requests); // no call goes out uncached
    }

    [Fact]
    public async Task A_store_registered_under_the_shared_store_key_is_the_shared_level_in_place_of_SQLite()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        var env = TestData.DirectEnv(anthropic);
        var store = new DictionaryCache(); // HybridCache ignores a MemoryDistributedCache as its L2: a store of another type

        var dir = TempDirectory.Create();
        void Shared(IServiceCollection s) => s.AddKeyedSingleton<Microsoft.Extensions.Caching.Distributed.IDistributedCache>(KaitCacheOptions.SharedStoreKey, store);
        using (var first = Harness.Create(env, workingDirectory: dir, configure: Shared))
        {
            Assert.False((await first.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello)).Cached);
        }

        // Another process (provider) with the same store: its hit can only come from the store, no SQLite file exists.
        using var second = Harness.Create(env, workingDirectory: dir, configure: Shared);
        Assert.True((await second.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello)).Cached);
        Assert.False(File.Exists(Path.Combine(dir, "kait-home", SqliteDistributedCache.FileName)));
        Assert.Single(anthropic.Requests);
        Assert.NotEmpty(store.Entries);
    }

    [Fact]
    public async Task AddKaitRedisCache_without_a_connection_string_keeps_SQLite()
    {
        await using var anthropic = await FakeAnthropicApi.StartAsync();
        var dir = TempDirectory.Create();
        using (var first = Harness.Create(TestData.DirectEnv(anthropic), workingDirectory: dir, configure: s => s.AddKaitRedisCache()))
        {
            Assert.False((await first.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello)).Cached);
        }

        using var second = Harness.Create(TestData.DirectEnv(anthropic), workingDirectory: dir, configure: s => s.AddKaitRedisCache());
        Assert.True((await second.Gateway.ChatAsync(Models.ClaudeFast, TestData.Hello)).Cached);
        Assert.True(File.Exists(Path.Combine(dir, "kait-home", SqliteDistributedCache.FileName)));
    }
}

/// <summary>A shared store in a dictionary (expiry ignored).</summary>
internal sealed class DictionaryCache : Microsoft.Extensions.Caching.Distributed.IDistributedCache
{
    public System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> Entries { get; } = new(StringComparer.Ordinal);

    public byte[]? Get(string key) => Entries.TryGetValue(key, out var value) ? value : null;

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromResult(Get(key));

    public void Refresh(string key)
    {
    }

    public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

    public void Remove(string key) => Entries.TryRemove(key, out _);

    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        Remove(key);
        return Task.CompletedTask;
    }

    public void Set(string key, byte[] value, Microsoft.Extensions.Caching.Distributed.DistributedCacheEntryOptions options) => Entries[key] = value;

    public Task SetAsync(string key, byte[] value, Microsoft.Extensions.Caching.Distributed.DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        Set(key, value, options);
        return Task.CompletedTask;
    }
}

/// <summary>A fact that runs only where <c>redis-server</c> is on PATH.</summary>
internal sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (RedisServer.Executable() is null)
        {
            Skip = "redis-server is not on PATH (apt-get install redis-server): the Redis cache test needs a real server.";
        }
    }
}

/// <summary>A throwaway redis-server on a free loopback port, without persistence; killed on dispose.</summary>
internal sealed class RedisServer : IDisposable
{
    private readonly Process process;

    private RedisServer(Process process, int port)
    {
        this.process = process;
        ConnectionString = FormattableString.Invariant($"127.0.0.1:{port}");
    }

    public string ConnectionString { get; }

    public static string? Executable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);

    public static RedisServer Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var start = new ProcessStartInfo(Executable()!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer(process, port);
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException)
            {
                Thread.Sleep(25);
            }
        }

        server.Dispose();
        throw new InvalidOperationException("redis-server did not start.");
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit(5000);
        }

        process.Dispose();
    }
}
