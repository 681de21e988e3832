using System.Text;

namespace Kait.Sdk.Proxy;

/// <summary>Reads the last lines of a log without loading the whole file.</summary>
public static class LogTail
{
    /// <summary>The last <paramref name="count"/> lines of <paramref name="path"/>; empty when the file is missing.</summary>
    /// <param name="path">The file.</param>
    /// <param name="count">How many lines.</param>
    public static IReadOnlyList<string> ReadLastLines(string path, int count)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (count <= 0 || !File.Exists(path))
        {
            return [];
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            long length = stream.Length;
            const int Block = 8192;
            long start = length;
            byte[] buffer = [];
            int newlines = 0;
            while (start > 0 && newlines <= count)
            {
                int size = (int)Math.Min(Block, start);
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

            string text = Encoding.UTF8.GetString(buffer).Replace("\r\n", "\n", StringComparison.Ordinal);
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
        foreach (string line in tail)
        {
            builder.Append('\n').Append("  | ").Append(line);
        }

        return builder.ToString();
    }
}
