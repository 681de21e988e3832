using System.Globalization;
using System.Text;

namespace Kait.Sdk.Config;

/// <summary>
/// Characters that must not reach a name, a message or generated code as they are: control characters (Cc), line and
/// paragraph separators (U+2028, U+2029; C# also ends a line at U+0085), format characters (Cf: the bidi controls
/// U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C, zero-width characters, the BOM) and unpaired surrogates.
/// </summary>
internal static class UnsafeText
{
    /// <summary>The index of the first unsafe character of <paramref name="text"/>, or -1.</summary>
    public static int IndexOfUnsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsUnsafe(text, i))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>True when <c>text[i]</c> is unsafe (a paired surrogate is not).</summary>
    public static bool IsUnsafe(string text, int i)
    {
        var c = text[i];
        if (c >= ' ' && c <= '~')
        {
            return false;
        }

        if (char.IsHighSurrogate(c))
        {
            return i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]);
        }

        if (char.IsLowSurrogate(c))
        {
            return i == 0 || !char.IsHighSurrogate(text[i - 1]);
        }

        return CharUnicodeInfo.GetUnicodeCategory(c) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => true,
            _ => false,
        };
    }

    /// <summary><c>U+2028</c>: how a message names an unsafe character.</summary>
    public static string CodePoint(char c) => "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);

    /// <summary><paramref name="text"/> with each unsafe character written as <c>\uXXXX</c>, so a message shows it
    /// instead of obeying it.</summary>
    public static string Visible(string text)
    {
        if (IndexOfUnsafe(text) < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            if (IsUnsafe(text, i))
            {
                builder.Append("\\u").Append(((int)text[i]).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(text[i]);
            }
        }

        return builder.ToString();
    }
}
