using System;

namespace Kait.Sdk.Config;

/// <summary>Matches names against LiteLLM wildcard groups (<c>*</c> matches any run of characters).</summary>
internal static class WildcardPattern
{
    /// <summary>True when <paramref name="name"/> matches <paramref name="pattern"/>.</summary>
    public static bool IsMatch(string pattern, string name)
    {
        if (pattern is null || name is null)
        {
            return false;
        }

        int p = 0, n = 0, star = -1, mark = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = n;
            }
            else if (p < pattern.Length && pattern[p] == name[n])
            {
                p++;
                n++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                n = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
