namespace Kait.Sdk;

/// <summary>The response cache section of <see cref="KaitOptions"/> (<c>Kait:Cache</c>).</summary>
public sealed class KaitCacheOptions
{
    /// <summary>How long a response stays in the cache (<c>KAIT_CACHE_TTL</c>, seconds; 0 turns the cache off). Default
    /// 300 s.</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Keep cached responses in SQLite (<see cref="KaitPaths.CacheDbFile"/>) so other processes get the hits
    /// (<c>KAIT_CACHE_L2</c>, default on; <c>off</c> keeps them in memory only).</summary>
    public bool L2 { get; set; } = true;

    /// <summary>A Redis connection string used as the shared cache in place of SQLite (<c>KAIT_REDIS_URL</c>).</summary>
    public string? RedisUrl { get; set; }
}
