using System;
using System.Threading;

namespace Kait.Sdk.Config.Yaml;

/// <summary>
/// What one read of a config (its file and every include) may cost: a cap on each file's size, counted before it is
/// parsed; a budget of YAML nodes, where an alias costs the whole node it names each time it is used (so an alias
/// bomb runs out at the line that multiplies it, not after billions of visits) and a merged entry costs its value; a
/// cap on nesting as expanded; and the caller's cancellation, checked as the budget is spent.
/// </summary>
internal sealed class ReadBudget
{
    /// <summary>The largest config file read, in UTF-8 bytes (1 MiB).</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>The most YAML nodes one read visits, aliases and merges expanded (a large real config has a few thousand).</summary>
    public const long MaxNodes = 100_000;

    /// <summary>The deepest nesting, aliases expanded.</summary>
    public const int MaxDepth = 256;

    private readonly CancellationToken cancellationToken;
    private int sinceCheck;

    public ReadBudget(CancellationToken cancellationToken) => this.cancellationToken = cancellationToken;

    /// <summary>Nodes visited so far, over every file of the read.</summary>
    public long Spent { get; private set; }

    public CancellationToken CancellationToken => cancellationToken;

    /// <summary>Spends <paramref name="nodes"/>; false when that goes over the budget.</summary>
    public bool TrySpend(long nodes)
    {
        Spent += nodes;
        sinceCheck += nodes > 1024 ? 1024 : (int)nodes;
        if (sinceCheck >= 1024)
        {
            sinceCheck = 0;
            cancellationToken.ThrowIfCancellationRequested();
        }

        return Spent <= MaxNodes;
    }

    /// <summary>The reason for KAIT014 when <paramref name="text"/> is larger than the cap, else null; the offset where
    /// the cap falls is returned for the diagnostic's line.</summary>
    public static string? CheckSize(string text, out int capOffset)
    {
        capOffset = 0;
        if (text.Length <= MaxFileBytes / 3)
        {
            return null; // a UTF-16 char is at most 3 UTF-8 bytes
        }

        var bytes = 0L;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                bytes += 4;
                i++;
            }
            else
            {
                bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            }

            if (bytes > MaxFileBytes)
            {
                capOffset = i;
                return "is larger than " + Describe(MaxFileBytes);
            }
        }

        return null;
    }

    public static string Describe(long bytes) =>
        bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes % 1024 == 0 ? (bytes >> 10) + " KiB" : bytes + " bytes";

    public static string Count(long n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Thrown by the tree reader when a limit runs out; becomes KAIT014 at <see cref="At"/>.</summary>
    public sealed class ExceededException : Exception
    {
        public ExceededException(SourceSpan at, string reason)
            : base(reason)
        {
            At = at;
        }

        public ExceededException()
        {
        }

        public ExceededException(string message)
            : base(message)
        {
        }

        public ExceededException(string message, Exception innerException)
            : base(message, innerException)
        {
        }

        public SourceSpan At { get; }
    }
}
