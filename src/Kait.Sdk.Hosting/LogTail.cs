using System.Runtime.CompilerServices;
using System.Text;
using Kait.Sdk.IO;

namespace Kait.Sdk.Hosting;

/// <summary>Reads the last lines of a log without loading the whole file (never through a symbolic link at the path).</summary>
internal static class LogTail
{
    /// <summary>The last <paramref name="count"/> lines of <paramref name="path"/>; empty when the file is missing or is a link.</summary>
    /// <param name="path">The file.</param>
    /// <param name="count">How many lines.</param>
    public static IReadOnlyList<string> ReadLastLines(string path, int count)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (count <= 0)
        {
            return [];
        }

        try
        {
            using var stream = PrivateFiles.OpenRead(path);
            if (stream is null)
            {
                return [];
            }

            var length = stream.Length;
            const int Block = 8192;
            var start = length;
            byte[] buffer = [];
            var newlines = 0;
            while (start > 0 && newlines <= count)
            {
                var size = (int)Math.Min(Block, start);
                start -= size;
                var chunk = new byte[size];
                stream.Seek(start, SeekOrigin.Begin);
                stream.ReadExactly(chunk);
                newlines += chunk.Count(b => b == (byte)'\n');
                buffer = [.. chunk, .. buffer];
                if (buffer.Length > 4 * 1024 * 1024)
                {
                    break;
                }
            }

            var text = Encoding.UTF8.GetString(buffer).Replace("\r\n", "\n", StringComparison.Ordinal);
            var lines = text.Split('\n').ToList();
            if (lines.Count > 0 && lines[^1].Length == 0)
            {
                lines.RemoveAt(lines.Count - 1);
            }

            if (start > 0 && lines.Count > 0)
            {
                lines.RemoveAt(0); // partial first line
            }

            return lines.Count <= count ? lines : lines.GetRange(lines.Count - count, count);
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>
    /// <c>tail -F</c>: yields the last <paramref name="initialLines"/> lines, then each line appended later, following the file
    /// across rotation (a new, shorter file is read from its start) until <paramref name="cancellationToken"/> fires.
    /// </summary>
    /// <param name="path">The file (it may not exist yet).</param>
    /// <param name="initialLines">How many existing lines to yield first.</param>
    /// <param name="pollInterval">How often to look for new lines; default 250 ms.</param>
    /// <param name="timeProvider">The clock for the polling; <see cref="TimeProvider.System"/> by default.</param>
    /// <param name="cancellationToken">Ends the enumeration (without an exception).</param>
    public static async IAsyncEnumerable<string> FollowAsync(
        string path,
        int initialLines = 10,
        TimeSpan? pollInterval = null,
        TimeProvider? timeProvider = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var time = timeProvider ?? TimeProvider.System;
        var interval = pollInterval ?? TimeSpan.FromMilliseconds(250);
        // Where "new" starts is fixed before the first line is handed out (an iterator runs lazily).
        var position = File.Exists(path) ? new FileInfo(path).Length : 0;
        var tail = ReadLastLines(path, initialLines);
        foreach (var line in tail)
        {
            yield return line;
        }

        var pending = new StringBuilder();
        while (!cancellationToken.IsCancellationRequested)
        {
            var length = File.Exists(path) ? new FileInfo(path).Length : 0;
            if (length < position)
            {
                position = 0; // rotated or truncated
                pending.Clear();
            }

            if (length > position)
            {
                var chunk = ReadRange(path, position, length);
                position = length;
                pending.Append(chunk);
                var text = pending.ToString();
                var end = text.LastIndexOf('\n');
                if (end >= 0)
                {
                    pending.Clear().Append(text, end + 1, text.Length - end - 1);
                    foreach (var line in text[..end].Split('\n'))
                    {
                        yield return line.TrimEnd('\r');
                    }
                }
            }

            try
            {
                await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    private static string ReadRange(string path, long from, long to)
    {
        try
        {
            using var stream = PrivateFiles.OpenRead(path);
            if (stream is null)
            {
                return string.Empty;
            }

            stream.Seek(from, SeekOrigin.Begin);
            var buffer = new byte[(int)Math.Min(to - from, 16 * 1024 * 1024)];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    /// <summary>A failure message's ending: the log's path and its last lines, indented.</summary>
    internal static string Describe(string path, IReadOnlyList<string> tail)
    {
        var builder = new StringBuilder();
        builder.Append(" Log: ").Append(path);
        if (tail.Count == 0)
        {
            builder.Append(" (empty or missing).");
            return builder.ToString();
        }

        builder.Append(". Last ").Append(tail.Count).Append(" line(s):");
        foreach (var line in tail)
        {
            builder.Append('\n').Append("  | ").Append(line);
        }

        return builder.ToString();
    }
}
