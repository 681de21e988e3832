using System.Globalization;
using System.Text;
using Kait.Sdk.IO;

namespace Kait.Sdk.Hosting;

/// <summary>
/// Appends lines to a log and rotates it by size (<c>x.log</c> → <c>x.log.1</c> → … → <c>x.log.N</c>). Thread-safe.
/// The folder is 0700 and each file 0600; a link at the log's path is refused (the constructor throws), rotation renames.
/// </summary>
internal sealed class RotatingLogWriter : IDisposable
{
    private readonly Lock gate = new();
    private readonly string path;
    private readonly long maxBytes;
    private readonly int backups;
    private readonly Func<string, string> redact;
    private FileStream? stream;

    public RotatingLogWriter(string path, long maxBytes, int backups, Func<string, string>? redact = null)
    {
        this.path = path;
        this.maxBytes = Math.Max(1024, maxBytes);
        this.backups = Math.Max(0, backups);
        this.redact = redact ?? (s => s);
        PrivateFiles.EnsurePrivateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        stream = Open(); // a link or a foreign file at the path is an error now, not a silent loss later
    }

    public void WriteLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(redact(line) + "\n");
        lock (gate)
        {
            try
            {
                stream ??= Open();
                stream.Seek(0, SeekOrigin.End); // another writer (the detached supervisor's own output) may have appended
                if (stream.Length > 0 && stream.Length + bytes.Length > maxBytes)
                {
                    Rotate();
                }

                stream.Write(bytes);
                stream.Flush();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A log that cannot be written never stops the proxy.
                stream?.Dispose();
                stream = null;
            }
        }
    }

    public void WriteEvent(string message, TimeProvider time) =>
        WriteLine(string.Create(CultureInfo.InvariantCulture, $"[kait {time.GetUtcNow():yyyy-MM-ddTHH:mm:ss.fffZ}] {message}"));

    private FileStream Open() => PrivateFiles.OpenAppend(path);

    private void Rotate()
    {
        stream?.Dispose();
        stream = null;
        if (backups == 0)
        {
            File.Delete(path);
        }
        else
        {
            var oldest = $"{path}.{backups.ToString(CultureInfo.InvariantCulture)}";
            if (File.Exists(oldest))
            {
                File.Delete(oldest);
            }

            for (var i = backups - 1; i >= 1; i--)
            {
                var from = $"{path}.{i.ToString(CultureInfo.InvariantCulture)}";
                if (File.Exists(from))
                {
                    File.Move(from, $"{path}.{(i + 1).ToString(CultureInfo.InvariantCulture)}", overwrite: true);
                }
            }

            if (File.Exists(path))
            {
                File.Move(path, path + ".1", overwrite: true);
            }
        }

        stream = Open();
    }

    public void Dispose()
    {
        lock (gate)
        {
            stream?.Dispose();
            stream = null;
        }
    }
}
