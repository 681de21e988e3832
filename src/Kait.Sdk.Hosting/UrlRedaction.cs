using System.Text.RegularExpressions;

namespace Kait.Sdk.Hosting;

/// <summary>Hides credentials written into URLs (<c>http://user:password@host</c>) before a URL or a message is shown.</summary>
internal static partial class UrlRedaction
{
    /// <summary><paramref name="url"/> as text, its user info (if any) replaced by <c>***</c>.</summary>
    public static string Redact(Uri url) => Redact(url.ToString());

    /// <summary><paramref name="text"/> with the user info of every <c>scheme://user:password@</c> in it replaced by <c>***</c>.</summary>
    public static string Redact(string text) => UserInfo().Replace(text, "$1***@");

    // The authority's user info runs up to the last '@' before the path, query, fragment or the end of the word.
    [GeneratedRegex(@"(\b[A-Za-z][A-Za-z0-9+.\-]*://)[^/?#\s]*@", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex UserInfo();
}
