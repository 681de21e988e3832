using System.Globalization;
using System.Runtime.InteropServices;

namespace Kait.Sdk.Proxy;

/// <summary>Signals by pid through <c>kill(2)</c>: SIGTERM has no managed API.</summary>
internal static partial class Posix
{
    public const int SIGTERM = 15;
    public const int SIGKILL = 9;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);

    /// <summary>Sends <paramref name="signal"/>; <see langword="false"/> when the process is gone (or on Windows).</summary>
    public static bool Signal(int pid, int signal)
    {
        if (OperatingSystem.IsWindows() || pid is 0 or -1)
        {
            return false;
        }

        return SysKill(pid, signal) == 0;
    }

    /// <summary>Whether <paramref name="pid"/> is a live (non-zombie) process.</summary>
    public static bool IsAlive(int pid)
    {
        if (pid <= 0)
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            try
            {
                using var p = System.Diagnostics.Process.GetProcessById(pid);
                return !p.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        if (SysKill(pid, 0) != 0 && Marshal.GetLastPInvokeError() != 1 /* EPERM: alive, not ours */)
        {
            return false;
        }

        try
        {
            string stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            int close = stat.LastIndexOf(')');
            if (close >= 0 && close + 2 < stat.Length)
            {
                char state = stat[close + 2];
                return state is not ('Z' or 'X');
            }
        }
        catch (IOException)
        {
            // No /proc (macOS): trust kill(2).
        }
        catch (UnauthorizedAccessException)
        {
        }

        return true;
    }
}

/// <summary>Process facts for pid records.</summary>
internal static partial class Posix
{
    [LibraryImport("libc", EntryPoint = "getpgrp")]
    private static partial int SysGetProcessGroup();

    /// <summary>This process's group id, or 0 on Windows.</summary>
    public static int ProcessGroup() => OperatingSystem.IsWindows() ? 0 : SysGetProcessGroup();

    /// <summary>The process's start time in clock ticks since boot (<c>/proc/PID/stat</c> field 22), when readable: tells a reused pid from the recorded one.</summary>
    public static long? StartTime(int pid)
    {
        if (pid <= 0 || !OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            string stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            int close = stat.LastIndexOf(')');
            string[] fields = stat[(close + 2)..].Split(' ');
            // fields[0] is field 3 (state); field 22 is fields[19].
            return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out long ticks) ? ticks : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
