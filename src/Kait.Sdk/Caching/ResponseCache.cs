using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kait.Sdk.Caching;

/// <summary>
/// Kait's response cache: a HybridCache of its own (not the application's), L1 in memory and L2 in SQLite under
/// <c>$KAIT_HOME</c> (or the store registered under <see cref="KaitCacheOptions.SharedStoreKey"/>: Redis with
/// Kait.Sdk.Redis and <c>KAIT_REDIS_URL</c>; none with <c>KAIT_CACHE_L2=off</c>). It only gets and
/// stores entries; <see cref="Pipeline.CacheStage"/> decides when, and coalesces identical calls in flight. Entries in
/// the shared stores carry a MAC (<see cref="CachedResponseSerializer"/>).
/// </summary>
internal sealed partial class ResponseCache : IDisposable
{
    private readonly ServiceProvider? services;
    private readonly HybridCache? hybrid;
    private readonly CacheKeys? keys;
    private readonly TimeSpan ttl;
    private readonly TimeProvider time;

    public ResponseCache(KaitOptions options, KaitPaths paths, TimeProvider time, ILoggerFactory loggerFactory, IDistributedCache? sharedStore = null)
    {
        this.time = time;
        ttl = options.Cache.Ttl;
        if (ttl <= TimeSpan.Zero)
        {
            return;
        }

        if (sharedStore is null && !string.IsNullOrWhiteSpace(options.Cache.RedisUrl))
        {
            // Never a silent fall-back to a cache that other processes do not share.
            throw new KaitConfigurationException(
                "KAIT_REDIS_URL (Kait:Cache:RedisUrl) is set but Redis is not registered: add the Kait.Sdk.Redis package and call services.AddKaitRedisCache().");
        }

        var logger = loggerFactory.CreateLogger("Kait.Sdk.Caching");
        byte[] salt;
        try
        {
            salt = CacheKeys.LoadOrCreateSalt(paths.CacheSaltFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Without a stored salt no other process could share entries: memory only, with a salt of this process.
            LogNoSalt(logger, paths.Home, ex.Message);
            salt = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
            options = new KaitOptions { Cache = { L2 = false, Ttl = ttl } };
            sharedStore = null;
        }

        keys = new CacheKeys(salt);
        var inner = new ServiceCollection();
        inner.AddSingleton(time);
        inner.AddSingleton(loggerFactory);
        inner.AddSingleton(typeof(ILogger<>), typeof(Logger<>));

        // MemoryCache (HybridCache's L1) still reads the older ISystemClock: give it the injected clock.
        inner.AddMemoryCache(o => o.Clock = new TimeProviderClock(time));
        if (sharedStore is not null)
        {
            // Owned by the application's container, which disposes it.
            inner.AddSingleton(sharedStore);
        }
        else if (options.Cache.L2)
        {
            inner.AddSingleton<IDistributedCache>(new SqliteDistributedCache(paths.CacheDbFile, time, logger));
        }

        inner.AddHybridCache(o =>
        {
            o.DefaultEntryOptions = new HybridCacheEntryOptions { Expiration = ttl, LocalCacheExpiration = ttl };
            o.MaximumKeyLength = 256;
        });
        inner.AddSingleton<IHybridCacheSerializer<CachedResponse>>(new CachedResponseSerializer(System.Security.Cryptography.HMACSHA256.HashData(salt, "kait:cache-mac"u8)));
        services = inner.BuildServiceProvider();
        hybrid = services.GetRequiredService<HybridCache>();
    }

    /// <summary>False when <c>KAIT_CACHE_TTL=0</c>.</summary>
    public bool Enabled => hybrid is not null;

    public CacheKeys Keys => keys ?? throw new InvalidOperationException("The response cache is off.");

    /// <summary>The cached reply for <paramref name="key"/> if any (no call made), honouring <c>no-cache</c> and <c>s-maxage</c>.</summary>
    public async Task<CachedResponse?> TryGetAsync(string key, LlmCacheControl? control, CancellationToken cancellationToken)
    {
        if (control?.NoCache ?? false)
        {
            return null;
        }

        var entry = new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableUnderlyingData | HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite };
        // No cancellable token: with one, HybridCache hops to the thread pool to race the token; a lookup only reads.
        var lookup = hybrid!.GetOrCreateAsync<CachedResponse?>(key, static _ => ValueTask.FromResult<CachedResponse?>(null), entry, cancellationToken: CancellationToken.None);
        var response = lookup.IsCompletedSuccessfully ? lookup.Result : await lookup.AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        if (response is null || !string.Equals(response.Key, key, StringComparison.Ordinal))
        {
            // An entry stored under another key (copied in a shared store) is not this request's answer.
            return null;
        }

        return control?.SMaxAge is { } maxAge && time.GetUtcNow() - response.CreatedAt > maxAge ? null : response;
    }

    /// <summary>Stores an assembled reply (a stream's), unless <c>no-store</c>.</summary>
    public async Task StoreAsync(string key, LlmCacheControl? control, CachedResponse response, CancellationToken cancellationToken)
    {
        if (control?.NoStore ?? false)
        {
            return;
        }

        // Stored on the caller's path, so that a process that exits right away (a `kait chat`) leaves it for the next.
        await hybrid!.SetAsync(key, response, Entry(control), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => services?.Dispose();

    private HybridCacheEntryOptions Entry(LlmCacheControl? control)
    {
        var expiration = control?.Ttl is { } own && own > TimeSpan.Zero ? own : ttl;
        return new HybridCacheEntryOptions { Expiration = expiration, LocalCacheExpiration = expiration };
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
