using System.Text.RegularExpressions;

namespace Kait.Sdk.Errors;

/// <summary>Removes keys from text kept in exceptions and logs.</summary>
internal static partial class Redaction
{
    public const string Mask = "***";

    /// <summary><paramref name="text"/> with every known secret and anything shaped like an <c>sk-</c> key masked.</summary>
    public static string Redact(string text, params string?[] secrets)
    {
        foreach (var secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret) && secret.Length >= 4)
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return KeyShape().Replace(text, Mask);
    }

    [GeneratedRegex(@"\bsk-[A-Za-z0-9_\-]{6,}", RegexOptions.None, 1000)]
    private static partial Regex KeyShape();
}
