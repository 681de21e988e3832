using System.Globalization;
using System.Text;
using Kait.Sdk.IO;

namespace Kait.Sdk.Hosting;

/// <summary>
/// <c>$KAIT_HOME/run/litellm.lock</c>: an exclusive <c>flock</c> that one supervisor (<c>kait proxy run</c>) holds for its
/// whole life, and that <c>kait proxy start</c> holds while it checks and launches. The kernel drops it when the holder
/// dies, whatever kills it. The file holds the holder's pid and role, for messages only.
/// </summary>
internal sealed class ProxyLock : IDisposable
{
    public const string StartRole = "start";
    public const string SupervisorRole = "supervisor";

    private readonly FileStream stream;

    private ProxyLock(FileStream stream) => this.stream = stream;

    /// <summary>The lock, taken now, or <see langword="null"/> when another process holds it.</summary>
    /// <param name="path">The lock file (created 0600; a link there is refused).</param>
    /// <param name="role">What the holder is, written into the file.</param>
    public static ProxyLock? TryAcquire(string path, string role)
    {
        PrivateFiles.EnsurePrivateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        FileStream stream;
        if (OperatingSystem.IsWindows())
        {
            try
            {
                stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            }
            catch (IOException)
            {
                return null;
            }
        }
        else
        {
            stream = PrivateFiles.OpenOrCreate(path, FileAccess.ReadWrite);
        }

        try
        {
            if (!OperatingSystem.IsWindows() && !Posix.TryLockExclusive(stream.SafeFileHandle))
            {
                stream.Dispose();
                return null;
            }

            stream.SetLength(0);
            stream.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId} {role}\n")));
            stream.Flush();
            return new ProxyLock(stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Takes the lock, retrying until <paramref name="wait"/> has passed; <see langword="null"/> when it stayed taken.</summary>
    public static async Task<ProxyLock?> AcquireAsync(string path, string role, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            if (TryAcquire(path, role) is { } taken)
            {
                return taken;
            }

            if (time.GetElapsedTime(started) >= wait)
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Who holds the lock now: <see langword="null"/> when nobody does; else its pid (0 when not yet written) and role.</summary>
    public static (int Pid, string Role)? Holder(string path)
    {
        using (var free = TryAcquire(path, "probe"))
        {
            if (free is not null)
            {
                return null;
            }
        }

        try
        {
            // Read without locking (the holder's flock would refuse a shared lock).
            var text = Encoding.ASCII.GetString(PrivateFiles.ReadAllBytes(path, 256) ?? []);
            var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var pid = parts.Length > 0 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
            return (pid, parts.Length > 1 ? parts[1] : SupervisorRole);
        }
        catch (IOException)
        {
            return (0, SupervisorRole);
        }
    }

    /// <summary>Releases the lock (closing the file drops the <c>flock</c>); the file stays, so no one races on its creation.</summary>
    public void Dispose() => stream.Dispose();
}
