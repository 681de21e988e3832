using System.Globalization;

namespace Kait.Sdk.Costs.Ledger;

/// <summary>
/// A corrupt ledger moved aside: <c>llm_costs.db</c> becomes <c>llm_costs.db.corrupt-20261125T150000Z</c> (UTC, the
/// moment it was moved), its <c>-wal</c> and <c>-shm</c> files beside it under the same new name, so that SQLite tools
/// can still open the pair to recover what they can. Nothing is deleted.
/// </summary>
internal static class LedgerQuarantine
{
    /// <summary>What follows the ledger's file name in a quarantined copy's name, before the time.</summary>
    public const string Marker = ".corrupt-";

    private const string StampFormat = "yyyyMMdd'T'HHmmss'Z'";

    private static readonly string[] Sidecars = ["-wal", "-shm"];

    /// <summary>Moves <paramref name="path"/> and its sidecar files aside; returns the new path of the database file.</summary>
    /// <param name="path">The ledger file.</param>
    /// <param name="nowUtc">The time put in the new name.</param>
    public static string MoveAside(string path, DateTimeOffset nowUtc)
    {
        var stamp = nowUtc.UtcDateTime.ToString(StampFormat, CultureInfo.InvariantCulture);
        var target = path + Marker + stamp;
        for (var n = 2; File.Exists(target) || Sidecars.Any(s => File.Exists(target + s)); n++)
        {
            target = path + Marker + stamp + "." + n.ToString(CultureInfo.InvariantCulture);
        }

        File.Move(path, target);
        foreach (var suffix in Sidecars)
        {
            if (File.Exists(path + suffix))
            {
                File.Move(path + suffix, target + suffix);
            }
        }

        return target;
    }

    /// <summary>The most recent quarantined copy of <paramref name="path"/> (its database file and the time in its
    /// name), or null when there is none.</summary>
    /// <param name="path">The ledger file.</param>
    public static (DateTimeOffset AtUtc, string File)? Latest(string path)
    {
        var directory = Path.GetDirectoryName(path);
        if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory))
        {
            return null;
        }

        var prefix = Path.GetFileName(path) + Marker;
        (DateTimeOffset AtUtc, string File)? latest = null;
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(file.AsSpan());
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || name.EndsWith("-wal", StringComparison.Ordinal) || name.EndsWith("-shm", StringComparison.Ordinal))
            {
                continue;
            }

            var rest = name[prefix.Length..];
            if (rest.Length >= 16
                && DateTime.TryParseExact(rest[..16], StampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
                && (latest is null || at > latest.Value.AtUtc))
            {
                latest = (new DateTimeOffset(at, TimeSpan.Zero), file);
            }
        }

        return latest;
    }
}
