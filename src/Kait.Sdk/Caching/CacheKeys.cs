using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Kait.Sdk.Pipeline;

namespace Kait.Sdk.Caching;

/// <summary>
/// Cache keys, complete by construction: one SHA-256 over the target (wire API, base URL, kind of call), the caller's
/// extra headers and the exact request bytes (less the delivery fields <see cref="CallPlanner"/> names), then a
/// per-install secret salt (<c>$KAIT_HOME/cache.salt</c>, mode 0600), then the credential. Anything sent is in the key;
/// a field added to a request later needs no key code. The credential is never stored, logged nor hashed without the
/// salt: two credentials never share an entry, and without the salt a key cannot be used to test guesses of the
/// credential that made it.
/// </summary>
internal sealed class CacheKeys(byte[] salt)
{
    public const string SaltFile = "cache.salt";

    /// <summary>v3: the key hashes the wire request's bytes (v2 hashed a hand-picked subset); older entries are never
    /// read, since no v3 key can equal one.</summary>
    public const string Prefix = "kait:v3:";

    /// <summary>The install's salt (also the key of the MAC on every stored entry).</summary>
    public ReadOnlySpan<byte> Salt => salt;

    public string For(LlmCall call)
    {
        var target = call.Primary;
        var credential = target.Credential ?? string.Empty;

        // One buffer, one SHA-256 (an incremental hash per key cost a native context per call), wiped after use: it
        // holds the salt and the credential.
        var size = 64 + target.BaseUrl.AbsoluteUri.Length * 3 + target.KeyBody.Length + salt.Length + Encoding.UTF8.GetMaxByteCount(credential.Length);
        foreach (var (name, value) in target.Headers)
        {
            size += 8 + Encoding.UTF8.GetMaxByteCount(name.Length + value.Length);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var written = 0;
            Text(buffer, ref written, target.Api switch { WireApi.Proxy => "proxy", WireApi.Anthropic => "anthropic", _ => "openai" });
            Text(buffer, ref written, target.BaseUrl.AbsoluteUri);
            Text(buffer, ref written, call.Kind == CallKind.Embeddings ? "embeddings" : "chat");
            if (target.Headers.Count > 0)
            {
                // Headers reach the server too; names are case-insensitive.
                foreach (var (name, value) in target.Headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
                {
                    Text(buffer, ref written, name.ToLowerInvariant());
                    Text(buffer, ref written, value);
                }
            }

            Text(buffer, ref written, "body");
            target.KeyBody.Span.CopyTo(buffer.AsSpan(written));
            written += target.KeyBody.Length;

            // The credential enters only behind the install's secret salt.
            salt.CopyTo(buffer.AsSpan(written));
            written += salt.Length;
            written += Encoding.UTF8.GetBytes(credential, buffer.AsSpan(written));

            Span<byte> digest = stackalloc byte[32];
            SHA256.HashData(buffer.AsSpan(0, written), digest);
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, written));
            var ns = call.Options.Cache?.Namespace;
            if (!string.IsNullOrEmpty(ns))
            {
                return string.Concat(Prefix, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ns)))[..16], ":", Convert.ToHexStringLower(digest));
            }

            // One string (the prefix and the hex written in place), not a hex string and then a concatenation.
            Span<char> key = stackalloc char[Prefix.Length + 64];
            Prefix.CopyTo(key);
            Convert.TryToHexStringLower(digest, key[Prefix.Length..], out _);
            return new string(key);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A length-prefixed text (no two sequences of fields hash alike).</summary>
    private static void Text(byte[] buffer, ref int written, string text)
    {
        var length = Encoding.UTF8.GetBytes(text, buffer.AsSpan(written + 4));
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(written), length);
        written += 4 + length;
    }

    /// <summary>The install's salt at <paramref name="path"/> (<see cref="KaitPaths.CacheSaltFile"/>), created (32
    /// random bytes, mode 0600, in a 0700 folder) when missing; never read or written through a link.</summary>
    public static byte[] LoadOrCreateSalt(string path)
    {
        var home = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Kait.Sdk.IO.PrivateFiles.EnsurePrivateDirectory(home); // 0700; a looser existing home is tightened
        if (Kait.Sdk.IO.PrivateFiles.ReadAllBytes(path, 4096) is { Length: >= 32 } existing)
        {
            return existing;
        }

        var salt = RandomNumberGenerator.GetBytes(32);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var stream = Kait.Sdk.IO.PrivateFiles.CreateNew(temp))
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
}
