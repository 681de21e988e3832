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
    private readonly Lock _gate = new();
    private readonly string _path;
    private readonly long _maxBytes;
    private readonly int _backups;
    private readonly Func<string, string> _redact;
    private FileStream? _stream;

    public RotatingLogWriter(string path, long maxBytes, int backups, Func<string, string>? redact = null)
    {
        _path = path;
        _maxBytes = Math.Max(1024, maxBytes);
        _backups = Math.Max(0, backups);
        _redact = redact ?? (s => s);
        PrivateFiles.EnsurePrivateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _stream = Open(); // a link or a foreign file at the path is an error now, not a silent loss later
    }

    public void WriteLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(_redact(line) + "\n");
        lock (_gate)
        {
            try
            {
                _stream ??= Open();
                _stream.Seek(0, SeekOrigin.End); // another writer (the detached supervisor's own output) may have appended
                if (_stream.Length > 0 && _stream.Length + bytes.Length > _maxBytes)
                {
                    Rotate();
                }

                _stream.Write(bytes);
                _stream.Flush();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A log that cannot be written never stops the proxy.
                _stream?.Dispose();
                _stream = null;
            }
        }
    }

    public void WriteEvent(string message, TimeProvider time) =>
        WriteLine(string.Create(CultureInfo.InvariantCulture, $"[kait {time.GetUtcNow():yyyy-MM-ddTHH:mm:ss.fffZ}] {message}"));

    private FileStream Open() => PrivateFiles.OpenAppend(_path);

    private void Rotate()
    {
        _stream?.Dispose();
        _stream = null;
        if (_backups == 0)
        {
            File.Delete(_path);
        }
        else
        {
            var oldest = $"{_path}.{_backups.ToString(CultureInfo.InvariantCulture)}";
            if (File.Exists(oldest))
            {
                File.Delete(oldest);
            }

            for (var i = _backups - 1; i >= 1; i--)
            {
                var from = $"{_path}.{i.ToString(CultureInfo.InvariantCulture)}";
                if (File.Exists(from))
                {
                    File.Move(from, $"{_path}.{(i + 1).ToString(CultureInfo.InvariantCulture)}", overwrite: true);
                }
            }

            if (File.Exists(_path))
            {
                File.Move(_path, _path + ".1", overwrite: true);
            }
        }

        _stream = Open();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stream?.Dispose();
            _stream = null;
        }
    }
}
