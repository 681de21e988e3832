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
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendText(hash, target.Api switch { WireApi.Proxy => "proxy", WireApi.Anthropic => "anthropic", _ => "openai" });
        AppendText(hash, target.BaseUrl.AbsoluteUri);
        AppendText(hash, call.Kind == CallKind.Embeddings ? "embeddings" : "chat");
        if (target.Headers.Count > 0)
        {
            // Headers reach the server too; names are case-insensitive.
            foreach (var (name, value) in target.Headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
            {
                AppendText(hash, name.ToLowerInvariant());
                AppendText(hash, value);
            }
        }

        AppendText(hash, "body");
        hash.AppendData(target.KeyBody.Span);
        hash.AppendData([0]);

        // The credential enters only behind the install's secret salt; its bytes are wiped after use.
        hash.AppendData(salt);
        var credential = target.Credential ?? string.Empty;
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(credential.Length));
        try
        {
            var written = Encoding.UTF8.GetBytes(credential, bytes);
            hash.AppendData(bytes, 0, written);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
            ArrayPool<byte>.Shared.Return(bytes);
        }

        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        var ns = call.Options.Cache?.Namespace;
        var scope = string.IsNullOrEmpty(ns) ? string.Empty : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ns)))[..16] + ":";
        return Prefix + scope + Convert.ToHexStringLower(digest);
    }

    /// <summary>A length-prefixed text (no two sequences of fields hash alike).</summary>
    private static void AppendText(IncrementalHash hash, string text)
    {
        Span<byte> length = stackalloc byte[4];
        var bytes = Encoding.UTF8.GetBytes(text);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
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
