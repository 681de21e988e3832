using System;
using System.Collections.Generic;

namespace Kait.Sdk.Config;

/// <summary>"Did you mean ...?": the nearest known alias by edit distance.</summary>
internal static class AliasMatcher
{
    /// <summary>The candidate nearest to <paramref name="input"/> (Damerau-Levenshtein, case-insensitive), or null when
    /// none is close enough to be a plausible typo.</summary>
    public static string? Nearest(string input, IEnumerable<string> candidates)
    {
        if (input is null || candidates is null)
        {
            return null;
        }

        string? best = null;
        var bestDistance = int.MaxValue;
        var needle = input.ToLowerInvariant();
        foreach (var candidate in candidates)
        {
            if (candidate is null || candidate.IndexOf('*') >= 0)
            {
                continue;
            }

            var distance = Distance(needle, candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        if (best is null)
        {
            return null;
        }

        var allowed = Math.Max(2, Math.Max(input.Length, best.Length) / 3);
        return bestDistance <= allowed ? best : null;
    }

    /// <summary>Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1.</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, d[i - 2, j - 2] + 1);
                }

                d[i, j] = value;
            }
        }

        return d[a.Length, b.Length];
    }
}
