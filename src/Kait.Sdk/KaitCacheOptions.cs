namespace Kait.Sdk;

/// <summary>The response cache section of <see cref="KaitOptions"/> (<c>Kait:Cache</c>).</summary>
public sealed class KaitCacheOptions
{
    /// <summary>The service key of the response cache's shared level: a keyed <c>IDistributedCache</c> registered under
    /// it (<c>services.AddKeyedSingleton&lt;IDistributedCache&gt;(KaitCacheOptions.SharedStoreKey, …)</c>) is used in
    /// place of SQLite; a registration that resolves to null leaves SQLite. The Kait.Sdk.Redis package registers Redis
    /// under it (<c>AddKaitRedisCache</c>).</summary>
    public const string SharedStoreKey = "Kait.ResponseCache.SharedStore";

    /// <summary>How long a response stays in the cache (<c>KAIT_CACHE_TTL</c>, seconds; 0 turns the cache off). Default
    /// 300 s.</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Keep cached responses in SQLite (<see cref="KaitPaths.CacheDbFile"/>) so other processes get the hits
    /// (<c>KAIT_CACHE_L2</c>, default on; <c>off</c> keeps them in memory only).</summary>
    public bool L2 { get; set; } = true;

    /// <summary>A Redis connection string used as the shared cache in place of SQLite (<c>KAIT_REDIS_URL</c>); needs the
    /// Kait.Sdk.Redis package and <c>AddKaitRedisCache()</c>.</summary>
    public string? RedisUrl { get; set; }
}
