using System.Text;
using Kait.Sdk.Caching;

namespace Kait.Sdk.Tests;

/// <summary>Cache keys: stable for one request, credential and install; different when any of them differs; the
/// credential never readable from the key.</summary>
public sealed class CacheKeyTests
{
    private static readonly ModelAlias Alias = new("claude-fast", [new ModelDeployment("anthropic/claude-haiku-4-5-20251001") { Provider = "anthropic" }]);
    private static readonly Uri Proxy = new("http://127.0.0.1:4000");
    private static readonly IReadOnlyList<LlmMessage> Messages = [LlmMessage.User("Hello!")];

    private static string Key(byte[] salt, string? credential, IReadOnlyList<LlmMessage>? messages = null) =>
        new CacheKeys(salt).For(Alias, LlmRoute.Proxy, Proxy, null, credential, messages ?? Messages, LlmCallOptions.None, 4096);

    [Fact]
    public void One_request_credential_and_install_give_one_key_every_time()
    {
        var salt = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var keys = new CacheKeys(salt);
        var first = keys.For(Alias, LlmRoute.Proxy, Proxy, null, "sk-master-000", Messages, LlmCallOptions.None, 4096);

        // The reused buffer must not leak one key's input into the next: a longer credential, then the first again.
        keys.For(Alias, LlmRoute.Proxy, Proxy, null, "sk-a-much-longer-credential-0000000000000000", [LlmMessage.User(new string('x', 5000))], LlmCallOptions.None, 4096);
        var again = keys.For(Alias, LlmRoute.Proxy, Proxy, null, "sk-master-000", Messages, LlmCallOptions.None, 4096);

        Assert.Equal(first, again);
        Assert.Equal(first, Key(salt, "sk-master-000"));
        Assert.StartsWith("kait:v2:", first, StringComparison.Ordinal);
        Assert.Equal("kait:v2:".Length + 64, first.Length);
    }

    [Fact]
    public void A_different_credential_salt_or_request_gives_a_different_key_and_the_credential_is_not_in_it()
    {
        var salt = new byte[32];
        var otherSalt = Enumerable.Repeat((byte)7, 32).ToArray();
        var key = Key(salt, "sk-master-000");

        Assert.NotEqual(key, Key(salt, "sk-master-001"));
        Assert.NotEqual(key, Key(salt, null));
        Assert.NotEqual(key, Key(otherSalt, "sk-master-000"));
        Assert.NotEqual(key, Key(salt, "sk-master-000", [LlmMessage.User("Hello?")]));
        Assert.DoesNotContain("sk-master", key, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexStringLower(Encoding.UTF8.GetBytes("sk-master-000")), key, StringComparison.Ordinal);
    }
}
