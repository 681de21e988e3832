using System.Collections.Concurrent;

namespace Kait.Sdk.Transport;

/// <summary>
/// The Refit client of one named HttpClientFactory client, per base URL, reused across calls instead of made per call,
/// and made afresh after <see cref="Lifetime"/> (the factory's default handler lifetime) so that the factory can still
/// rotate its handlers (DNS changes are seen).
/// </summary>
internal sealed class RefitClientCache<T>(IHttpClientFactory factory, string name, TimeProvider time)
    where T : class
{
    /// <summary>HttpClientFactory's default handler lifetime.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<Uri, Entry> clients = new();

    /// <summary>The client for <paramref name="baseUrl"/>.</summary>
    public T Get(Uri baseUrl)
    {
        if (clients.TryGetValue(baseUrl, out var entry) && time.GetElapsedTime(entry.Created) < Lifetime)
        {
            return entry.Api;
        }

        entry = new Entry(KaitHttpClients.Create<T>(factory, name, baseUrl), time.GetTimestamp());
        clients[baseUrl] = entry;
        return entry.Api;
    }

    private sealed record Entry(T Api, long Created);
}
