using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kait.Sdk.Routing;

namespace Kait.Sdk.Caching;

/// <summary>
/// Cache keys: one SHA-256 of the canonical request (alias, resolved model, messages, every option that changes the
/// output), then a per-install secret salt (<c>$KAIT_HOME/cache.salt</c>, mode 0600), then the credential. The
/// credential is never stored, logged nor hashed without the salt: two credentials never share an entry, and without
/// the salt an entry's key cannot be used to test guesses of the credential that made it.
/// </summary>
internal sealed class CacheKeys(byte[] salt)
{
    public const string SaltFile = "cache.salt";

    /// <summary>A buffer bigger than this (a huge prompt) is not kept for the next key.</summary>
    private const int KeepBufferBytes = 64 * 1024;

    private Scratch? spare;

    public string For(ModelAlias alias, LlmRoute route, Uri? proxy, DirectTarget? direct, string? credential, IReadOnlyList<LlmMessage> messages, LlmCallOptions options, int anthropicDefaultMaxTokens)
    {
        // One buffer and writer are reused across calls (a concurrent call takes a fresh pair).
        var scratch = Interlocked.Exchange(ref spare, null) ?? new Scratch();
        var buffer = scratch.Buffer;
        var json = scratch.Writer;
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
            json.Flush();
        }

        // The credential enters only behind the install's secret salt, in the same one-shot hash: one SHA-256 per key
        // (an HMAC of the credential per call cost more than the rest of a cache hit). Its bytes are wiped below.
        buffer.Write((ReadOnlySpan<byte>)[0]);
        buffer.Write(salt);
        var credentialText = credential ?? string.Empty;
        var written = Encoding.UTF8.GetBytes(credentialText, buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(credentialText.Length)));
        buffer.Advance(written);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(buffer.WrittenSpan, digest);
        Release(scratch);

        var ns = options.Cache?.Namespace;
        if (!string.IsNullOrEmpty(ns))
        {
            return Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ns)))[..16] + ":" + Convert.ToHexStringLower(digest);
        }

        Span<char> text = stackalloc char[Prefix.Length + 64];
        Prefix.CopyTo(text);
        Convert.TryToHexStringLower(digest, text[Prefix.Length..], out _);
        return new string(text);
    }

    private const string Prefix = "kait:v2:";

    private void Release(Scratch scratch)
    {
        scratch.Buffer.Clear(); // zeroes what was written: the salt and the credential do not stay in memory
        if (scratch.Buffer.Capacity > KeepBufferBytes)
        {
            return;
        }

        scratch.Writer.Reset(scratch.Buffer);
        Volatile.Write(ref spare, scratch);
    }

    /// <summary>The reusable buffer and JSON writer of one key computation.</summary>
    private sealed class Scratch
    {
        public Scratch()
        {
            Writer = new Utf8JsonWriter(Buffer);
        }

        public System.Buffers.ArrayBufferWriter<byte> Buffer { get; } = new(1024);

        public Utf8JsonWriter Writer { get; }
    }

    /// <summary>The install's salt under <paramref name="home"/>, created (32 random bytes, mode 0600) when missing.</summary>
    public static byte[] LoadOrCreateSalt(string home)
    {
        var path = Path.Combine(home, SaltFile);
        Kait.Sdk.IO.PrivateFiles.EnsurePrivateDirectory(home); // 0700; a looser existing home is tightened
        if (Kait.Sdk.IO.PrivateFiles.ReadAllBytes(path, 4096) is { Length: >= 32 } existing) // never through a link
        {
            return existing;
        }

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
            return Kait.Sdk.IO.PrivateFiles.ReadAllBytes(path, 4096) ?? throw new IOException($"'{path}' vanished while it was created.");
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
