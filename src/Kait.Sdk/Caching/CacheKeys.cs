using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kait.Sdk.Routing;

namespace Kait.Sdk.Caching;

/// <summary>
/// Cache keys: SHA-256 of the canonical request (alias, resolved model, messages, every option that changes the
/// output) together with an HMAC-SHA256 of the credential under a per-install salt (<c>$KAIT_HOME/cache.salt</c>, mode
/// 0600). The key itself is never stored, logged nor hashed plainly: two credentials never share an entry, and the
/// entry does not reveal which key made it.
/// </summary>
internal sealed class CacheKeys(byte[] salt)
{
    public const string SaltFile = "cache.salt";

    public string For(ModelAlias alias, LlmRoute route, Uri? proxy, DirectTarget? direct, string? credential, IReadOnlyList<LlmMessage> messages, LlmCallOptions options, int anthropicDefaultMaxTokens)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("v", "1");
            json.WriteString("alias", alias.Name);
            json.WriteString("route", route == LlmRoute.Proxy ? "proxy" : "direct");
            if (proxy is not null)
            {
                // Two proxies may serve one alias with different models.
                json.WriteString("proxy", proxy.ToString());
            }

            if (direct is not null)
            {
                json.WriteString("provider", direct.Provider);
                json.WriteString("model", direct.Deployment.ProviderModel);
                json.WriteString("base", direct.BaseUrl.ToString());
            }

            json.WriteStartArray("messages");
            foreach (var message in messages)
            {
                json.WriteStartArray();
                json.WriteNumberValue((int)message.Role);
                json.WriteStringValue(message.Content);
                json.WriteEndArray();
            }

            json.WriteEndArray();
            if (options.Temperature is { } temperature)
            {
                json.WriteNumber("temperature", temperature);
            }

            if (options.TopP is { } topP)
            {
                json.WriteNumber("top_p", topP);
            }

            var maxTokens = options.MaxTokens ?? (direct?.Bridge == DirectBridge.Anthropic ? anthropicDefaultMaxTokens : null);
            if (maxTokens is { } max)
            {
                json.WriteNumber("max_tokens", max);
            }

            if (options.Seed is { } seed)
            {
                json.WriteNumber("seed", seed);
            }

            if (options.Stop is { Count: > 0 } stop)
            {
                json.WriteStartArray("stop");
                foreach (var s in stop)
                {
                    json.WriteStringValue(s);
                }

                json.WriteEndArray();
            }

            if (options.ExtraHeaders is { Count: > 0 } headers)
            {
                json.WriteStartObject("headers");
                foreach (var (name, value) in headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
                {
                    json.WriteString(name.ToUpperInvariant(), value);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        Span<byte> identity = stackalloc byte[32];
        HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(credential ?? string.Empty), identity);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(buffer.WrittenSpan);
        hash.AppendData(identity);
        var ns = options.Cache?.Namespace;
        return "kait:v1:" + (string.IsNullOrEmpty(ns) ? string.Empty : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ns)))[..16] + ":")
            + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The install's salt under <paramref name="home"/>, created (32 random bytes, mode 0600) when missing.</summary>
    public static byte[] LoadOrCreateSalt(string home)
    {
        var path = Path.Combine(home, SaltFile);
        if (File.Exists(path))
        {
            var existing = File.ReadAllBytes(path);
            if (existing.Length >= 32)
            {
                return existing;
            }
        }

        Directory.CreateDirectory(home);
        var salt = RandomNumberGenerator.GetBytes(32);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var stream = new FileStream(temp, PrivateFile(FileMode.CreateNew)))
        {
            stream.Write(salt);
        }

        try
        {
            // Another process may have won the race: its salt is the install's.
            File.Move(temp, path, overwrite: false);
            return salt;
        }
        catch (IOException)
        {
            File.Delete(temp);
            return File.ReadAllBytes(path);
        }
    }

    /// <summary>Options for a file only its owner can read and write (0600 on Unix).</summary>
    public static FileStreamOptions PrivateFile(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }
}
