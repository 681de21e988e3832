using Kait.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kait.Sdk.Tests;

/// <summary>Refit clients are reused across calls, per base URL, and renewed so HttpClientFactory can rotate handlers.</summary>
public sealed class RefitClientReuseTests
{
    [Fact]
    public void A_client_is_reused_per_base_url_and_renewed_after_the_handler_lifetime()
    {
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var time = new FakeTimeProvider();
        var clients = new RefitClientCache<ILiteLlmProxyApi>(services.GetRequiredService<IHttpClientFactory>(), KaitHttpClients.LiteLlm, time);
        var proxy = new Uri("http://127.0.0.1:4000");

        var first = clients.Get(proxy);
        Assert.Same(first, clients.Get(new Uri("http://127.0.0.1:4000")));
        Assert.NotSame(first, clients.Get(new Uri("http://127.0.0.1:4001")));

        time.Advance(RefitClientCache<ILiteLlmProxyApi>.Lifetime - TimeSpan.FromSeconds(1));
        Assert.Same(first, clients.Get(proxy));
        time.Advance(TimeSpan.FromSeconds(2));
        var renewed = clients.Get(proxy);
        Assert.NotSame(first, renewed);
        Assert.Same(renewed, clients.Get(proxy));
    }
}
