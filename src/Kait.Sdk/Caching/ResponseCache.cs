using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kait.Sdk.Caching;

/// <summary>
/// Kait's response cache: a HybridCache of its own (not the application's), L1 in memory and L2 in SQLite under
/// <c>$KAIT_HOME</c> (or Redis when <c>KAIT_REDIS_URL</c> is set; none with <c>KAIT_CACHE_L2=off</c>). Concurrent
/// identical misses make one upstream call (HybridCache's stampede protection). Errors are never cached.
/// </summary>
internal sealed partial class ResponseCache : IDisposable
{
    private readonly ServiceProvider? services;
    private readonly HybridCache? hybrid;
    private readonly CacheKeys? keys;
    private readonly TimeSpan ttl;
    private readonly TimeProvider time;

    public ResponseCache(KaitOptions options, KaitPaths paths, TimeProvider time, ILoggerFactory loggerFactory)
    {
        this.time = time;
        ttl = options.Cache.Ttl;
        if (ttl <= TimeSpan.Zero)
        {
            return;
        }

        var logger = loggerFactory.CreateLogger("Kait.Sdk.Caching");
        byte[] salt;
        try
        {
            salt = CacheKeys.LoadOrCreateSalt(paths.Home);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Without a stored salt no other process could share entries: memory only, with a salt of this process.
            LogNoSalt(logger, paths.Home, ex.Message);
            salt = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
            options = new KaitOptions { Cache = { L2 = false, Ttl = ttl } };
        }

        keys = new CacheKeys(salt);
        var inner = new ServiceCollection();
        inner.AddSingleton(time);
        inner.AddSingleton(loggerFactory);
        inner.AddSingleton(typeof(ILogger<>), typeof(Logger<>));

        // MemoryCache (HybridCache's L1) still reads the older ISystemClock: give it the injected clock.
        inner.AddMemoryCache(o => o.Clock = new TimeProviderClock(time));
        if (!string.IsNullOrWhiteSpace(options.Cache.RedisUrl))
        {
            var redis = options.Cache.RedisUrl;
            inner.AddStackExchangeRedisCache(o =>
            {
                o.Configuration = redis;
                o.InstanceName = "kait:";
            });
        }
        else if (options.Cache.L2)
        {
            inner.AddSingleton<IDistributedCache>(new SqliteDistributedCache(paths.CacheDbFile, time, logger));
        }

        inner.AddHybridCache(o =>
        {
            o.DefaultEntryOptions = new HybridCacheEntryOptions { Expiration = ttl, LocalCacheExpiration = ttl };
            o.MaximumKeyLength = 256;
        }).AddSerializer<CachedResponse, CachedResponseSerializer>();
        services = inner.BuildServiceProvider();
        hybrid = services.GetRequiredService<HybridCache>();
    }

    /// <summary>False when <c>KAIT_CACHE_TTL=0</c>.</summary>
    public bool Enabled => hybrid is not null;

    public CacheKeys Keys => keys ?? throw new InvalidOperationException("The response cache is off.");

    /// <summary>The cached reply for <paramref name="key"/>, else the one <paramref name="call"/> returns (stored unless
    /// <c>no-store</c>). <c>Hit</c> is true when this caller did not run <paramref name="call"/> itself (including a
    /// caller that waited on another's identical call).</summary>
    public async Task<(CachedResponse Response, bool Hit)> GetOrCallAsync(string key, LlmCacheControl? control, Func<CancellationToken, Task<CachedResponse>> call, CancellationToken cancellationToken)
    {
        var read = !(control?.NoCache ?? false);
        var store = !(control?.NoStore ?? false);
        if (!read && !store)
        {
            // Neither read nor written: the cache has no part in the call.
            return (await call(cancellationToken).ConfigureAwait(false), false);
        }

        var cache = hybrid!;
        var ran = false;
        async ValueTask<CachedResponse> Factory(CancellationToken token)
        {
            ran = true;
            return await call(cancellationToken).ConfigureAwait(false);
        }

        // L2 is written once, below, by this caller; HybridCache fills L1.
        var entry = Entry(control, read);
        if (store)
        {
            entry = With(entry, HybridCacheEntryFlags.DisableDistributedCacheWrite);
        }

        var response = await JoinAsync(cache, key, Factory, entry, () => ran, cancellationToken).ConfigureAwait(false);
        if (!ran && control?.SMaxAge is { } maxAge && time.GetUtcNow() - response.CreatedAt > maxAge)
        {
            // Older than the caller accepts: call again and replace it.
            var refresh = Entry(control, read: false);
            if (store)
            {
                refresh = With(refresh, HybridCacheEntryFlags.DisableDistributedCacheWrite);
            }

            response = await JoinAsync(cache, key, Factory, refresh, () => ran, cancellationToken).ConfigureAwait(false);
        }

        if (ran && store)
        {
            // Awaited, so that a process that exits right away (a `kait chat`) leaves the entry for the next one.
            await cache.SetAsync(key, response, With(Entry(control, read: true), HybridCacheEntryFlags.DisableLocalCacheWrite), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return (response, !ran);
    }

    /// <summary>
    /// HybridCache's get-or-create without a cancellable token: with one, HybridCache moves the factory to the thread
    /// pool and races it against the token on every miss (a thread hop per call); without, the factory runs inline
    /// and observes this caller's token itself. A caller that joined another's identical call still honours its own
    /// token, and if the call it joined was cancelled by its owner (not by this caller) it tries again.
    /// </summary>
    private static async ValueTask<CachedResponse> JoinAsync(HybridCache cache, string key, Func<CancellationToken, ValueTask<CachedResponse>> factory, HybridCacheEntryOptions entry, Func<bool> ran, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var pending = cache.GetOrCreateAsync(key, factory, entry, cancellationToken: CancellationToken.None);
            try
            {
                return pending.IsCompletedSuccessfully ? pending.Result : await pending.AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ran() && !cancellationToken.IsCancellationRequested && attempt < 3)
            {
                // The owner of the call this caller joined gave up; this caller has not.
            }
        }
    }

    private static HybridCacheEntryOptions With(HybridCacheEntryOptions entry, HybridCacheEntryFlags flags) =>
        new() { Expiration = entry.Expiration, LocalCacheExpiration = entry.LocalCacheExpiration, Flags = (entry.Flags ?? HybridCacheEntryFlags.None) | flags };

    /// <summary>The cached reply for <paramref name="key"/> if any (no call made), honouring <c>no-cache</c> and <c>s-maxage</c>.</summary>
    public async Task<CachedResponse?> TryGetAsync(string key, LlmCacheControl? control, CancellationToken cancellationToken)
    {
        if (control?.NoCache ?? false)
        {
            return null;
        }

        var entry = new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableUnderlyingData | HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite };
        // No cancellable token: HybridCache would otherwise hop to the thread pool (see JoinAsync); a lookup only reads.
        var lookup = hybrid!.GetOrCreateAsync<CachedResponse?>(key, static _ => ValueTask.FromResult<CachedResponse?>(null), entry, cancellationToken: CancellationToken.None);
        var response = lookup.IsCompletedSuccessfully ? lookup.Result : await lookup.AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        return response is not null && control?.SMaxAge is { } maxAge && time.GetUtcNow() - response.CreatedAt > maxAge ? null : response;
    }

    /// <summary>Stores an assembled reply (a stream's), unless <c>no-store</c>.</summary>
    public async Task StoreAsync(string key, LlmCacheControl? control, CachedResponse response, CancellationToken cancellationToken)
    {
        if (control?.NoStore ?? false)
        {
            return;
        }

        await hybrid!.SetAsync(key, response, Entry(control, read: true), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => services?.Dispose();

    private HybridCacheEntryOptions Entry(LlmCacheControl? control, bool read)
    {
        var flags = HybridCacheEntryFlags.None;
        if (!read)
        {
            flags |= HybridCacheEntryFlags.DisableLocalCacheRead | HybridCacheEntryFlags.DisableDistributedCacheRead;
        }

        if (control?.NoStore ?? false)
        {
            flags |= HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite;
        }

        var expiration = control?.Ttl is { } own && own > TimeSpan.Zero ? own : ttl;
        return new HybridCacheEntryOptions { Expiration = expiration, LocalCacheExpiration = expiration, Flags = flags };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The response cache's salt cannot be kept under {Home} ({Reason}); responses are cached in memory only")]
    private static partial void LogNoSalt(ILogger logger, string home, string reason);

#pragma warning disable CS0618 // MemoryCacheOptions.Clock is the only way to give MemoryCache a clock.
    private sealed class TimeProviderClock(TimeProvider time) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
#pragma warning restore CS0618
}
