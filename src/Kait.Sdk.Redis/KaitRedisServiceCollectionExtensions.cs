using Kait.Sdk;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;

#pragma warning disable IDE0130 // The conventional namespace of service registrations.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers Redis as the shared level of Kait's response cache.</summary>
public static class KaitRedisServiceCollectionExtensions
{
    /// <summary>
    /// Makes Redis the shared level of Kait's response cache, in place of SQLite, when <c>KAIT_REDIS_URL</c>
    /// (<c>Kait:Cache:RedisUrl</c>) holds a connection string (<c>host:port,password=…</c>); without one the cache keeps
    /// SQLite. Entries are stored under the <c>kait:</c> prefix and carry the same MAC as in SQLite. One line:
    /// <c>services.AddKaitSdk(configuration).AddKaitRedisCache();</c>
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddKaitRedisCache(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        // Null (no connection string) leaves the default store: the response cache asks for this key and falls back.
        services.AddKeyedSingleton<IDistributedCache>(KaitCacheOptions.SharedStoreKey, static (sp, _) =>
            sp.GetRequiredService<IOptions<KaitOptions>>().Value.Cache.RedisUrl is { Length: > 0 } url && !string.IsNullOrWhiteSpace(url)
                ? new RedisCache(Microsoft.Extensions.Options.Options.Create(new RedisCacheOptions { Configuration = url, InstanceName = "kait:" }))
                : null!);
        return services;
    }
}
