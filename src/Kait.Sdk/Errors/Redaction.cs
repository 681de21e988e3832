using System.Text.RegularExpressions;

namespace Kait.Sdk.Errors;

/// <summary>
/// Removes credentials from text kept in exceptions and logs: the secrets given, and anything shaped like one whatever
/// the key (a URL's <c>user:password@</c>, a <c>Bearer</c>/<c>Basic</c> value, an <c>x-api-key</c>/<c>api_key</c>/
/// <c>Authorization</c>/<c>password</c>/<c>secret</c>/<c>token</c> value, an <c>sk-</c> key, a Google <c>AIza</c> key).
/// Always redact first and cut after (<see cref="RedactAndTruncate"/>): a secret cut in half no longer matches.
/// </summary>
internal static partial class Redaction
{
    public const string Mask = "***";

    /// <summary>A secret shorter than this is not searched for (it would mask ordinary words).</summary>
    private const int MinSecretLength = 4;

    /// <summary>The longest credential value the patterns mask (4,096 characters).</summary>
    private const int MaxSecretLength = 4096;

    /// <summary>
    /// <paramref name="text"/> with every <paramref name="secrets"/> value masked (also a part of one of at least four
    /// characters cut off at either end of the text, as a body cut short by a sender), then every credential shape.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="secrets">Secrets to remove wherever they appear (null and short ones are skipped).</param>
    public static string Redact(string text, params string?[] secrets)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in secrets ?? [])
        {
            if (string.IsNullOrEmpty(secret) || secret.Length < MinSecretLength)
            {
                continue;
            }

            text = text.Replace(secret, Mask, StringComparison.Ordinal);
            text = MaskCutEnds(text, secret);
        }

        text = UrlUserInfo().Replace(text, "${scheme}" + Mask + "@");
        text = AuthScheme().Replace(text, "${scheme} " + Mask);
        text = KeyValue().Replace(text, "${name}${sep}" + Mask);
        return KeyShape().Replace(text, Mask);
    }

    /// <summary>Redacts <paramref name="text"/>, then cuts it to <paramref name="maxLength"/> characters (and an ellipsis).</summary>
    /// <param name="text">The text.</param>
    /// <param name="maxLength">The most characters kept.</param>
    /// <param name="secrets">Secrets to remove.</param>
    public static string RedactAndTruncate(string text, int maxLength, params string?[] secrets)
    {
        ArgumentNullException.ThrowIfNull(text);

        // Bounded work on a huge text: what lies past the cut plus the longest secret redacted here cannot reach the
        // result, and a secret straddling this first cut is past the final one anyway.
        var redacted = Redact(text.Length > maxLength + MaxSecretLength ? text[..(maxLength + MaxSecretLength)] : text, secrets);
        return redacted.Length > maxLength ? redacted[..maxLength] + "…" : redacted;
    }

    /// <summary><paramref name="url"/> as text without its user information (<c>https://***@host/</c>).</summary>
    /// <param name="url">The URL.</param>
    public static string SafeUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || string.IsNullOrEmpty(url.UserInfo))
        {
            return Redact(url.ToString());
        }

        return Redact(new UriBuilder(url) { UserName = string.Empty, Password = string.Empty }.Uri.ToString());
    }

    /// <summary>Masks the start of <paramref name="secret"/> at the end of <paramref name="text"/>, and its end at the
    /// start, when at least <see cref="MinSecretLength"/> characters of it are there.</summary>
    private static string MaskCutEnds(string text, string secret)
    {
        for (var n = Math.Min(secret.Length - 1, text.Length); n >= MinSecretLength; n--)
        {
            if (text.AsSpan(text.Length - n).SequenceEqual(secret.AsSpan(0, n)))
            {
                text = string.Concat(text.AsSpan(0, text.Length - n), Mask);
                break;
            }
        }

        for (var n = Math.Min(secret.Length - 1, text.Length); n >= MinSecretLength; n--)
        {
            if (text.AsSpan(0, n).SequenceEqual(secret.AsSpan(secret.Length - n)))
            {
                text = string.Concat(Mask, text.AsSpan(n));
                break;
            }
        }

        return text;
    }

    /// <summary><c>scheme://user:password@</c> (any user information before a host).</summary>
    [GeneratedRegex(@"(?<scheme>\b[A-Za-z][A-Za-z0-9+.\-]{0,20}://)[^/\s@?#""'<>]{1,512}@", RegexOptions.None, 1000)]
    private static partial Regex UrlUserInfo();

    /// <summary>An <c>Authorization</c> value's scheme and credentials.</summary>
    [GeneratedRegex(@"\b(?<scheme>Bearer|Basic)\s+[A-Za-z0-9._~+/=\-]{4,}", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex AuthScheme();

    /// <summary>A named credential and its value: <c>x-api-key: v</c>, <c>"api_key": "v"</c>, <c>password=v</c>,
    /// <c>ANTHROPIC_API_KEY=v</c>, <c>client_secret=v</c>, ...
    /// (a value that is itself <c>Bearer</c>/<c>Basic</c> is left to <see cref="AuthScheme"/>; LiteLLM's
    /// <c>os.environ/NAME</c>, which names a variable rather than holding a key, is kept).</summary>
    [GeneratedRegex(
        @"(?<name>\b(?:[A-Za-z0-9]{1,40}[_\-])?(?:x-)?(?:api[_\-]?key|goog-api-key|litellm-api-key|master[_\-]?key|virtual[_\-]?key|access[_\-]?token|auth[_\-]?token|secret|password|passwd|authorization)""?)(?<sep>\s*[:=]\s*""?)(?!(?:Bearer|Basic)\s)(?!\*\*\*)(?!os\.environ/)[^\s""',;&}<>]{1,4096}",
        RegexOptions.IgnoreCase,
        1000)]
    private static partial Regex KeyValue();

    /// <summary>Key shapes: OpenAI/Anthropic/LiteLLM <c>sk-</c> keys, Google API keys.</summary>
    [GeneratedRegex(@"\bsk-[A-Za-z0-9_\-]{6,}|\bAIza[0-9A-Za-z_\-]{20,}", RegexOptions.None, 1000)]
    private static partial Regex KeyShape();
}
