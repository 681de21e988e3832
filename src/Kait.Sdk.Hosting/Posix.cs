using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Kait.Sdk.Hosting;

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
                using var p = Process.GetProcessById(pid);
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
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            var close = stat.LastIndexOf(')');
            if (close >= 0 && close + 2 < stat.Length)
            {
                var state = stat[close + 2];
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

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int SysFlock(SafeFileHandle fd, int operation);

    /// <summary>This process's group id, or 0 on Windows.</summary>
    public static int ProcessGroup() => OperatingSystem.IsWindows() ? 0 : SysGetProcessGroup();

    /// <summary><c>flock(LOCK_EX | LOCK_NB)</c>: <see langword="false"/> when another open file holds the lock.</summary>
    public static bool TryLockExclusive(SafeFileHandle handle) => SysFlock(handle, 2 | 4) == 0;

    /// <summary>
    /// Who <paramref name="pid"/> is: its command line (arguments joined by spaces) and its start time, from <c>/proc</c>
    /// on Linux and from <c>ps</c> elsewhere; <see langword="null"/> when it cannot be read (gone, hidden, or Windows).
    /// Together with the pid they tell the recorded process from an unrelated one that got its pid later.
    /// </summary>
    public static ProcessIdentity? Identity(int pid)
    {
        if (pid <= 0 || OperatingSystem.IsWindows())
        {
            return null;
        }

        return OperatingSystem.IsLinux() ? LinuxIdentity(pid) : PsIdentity(pid);
    }

    private static ProcessIdentity? LinuxIdentity(int pid)
    {
        var proc = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}";
        try
        {
            var stat = File.ReadAllText(proc + "/stat");
            var close = stat.LastIndexOf(')');
            var fields = stat[(close + 2)..].Split(' ');
            // fields[0] is field 3 (state); field 22, the start time in clock ticks since boot, is fields[19].
            if (fields.Length <= 19 || !long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            {
                return null;
            }

            var raw = File.ReadAllBytes(proc + "/cmdline");
            var command = Encoding.UTF8.GetString(raw).TrimEnd('\0').Replace('\0', ' ');
            return new ProcessIdentity(command, ticks.ToString(CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static ProcessIdentity? PsIdentity(int pid)
    {
        var started = Ps(pid, "lstart=");
        var command = Ps(pid, "args=");
        return started is null || command is null ? null : new ProcessIdentity(command, started);
    }

    private static string? Ps(int pid, string column)
    {
        var info = new ProcessStartInfo("ps") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-ww", "-o", column, "-p", pid.ToString(CultureInfo.InvariantCulture)])
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using var ps = Process.Start(info)!;
            var output = ps.StandardOutput.ReadToEndAsync();
            if (!ps.WaitForExit(5000))
            {
                ps.Kill();
                return null;
            }

            var text = output.GetAwaiter().GetResult().Trim();
            return ps.ExitCode == 0 && text.Length > 0 ? text : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}

/// <summary>A process's command line and start time, as <see cref="Posix.Identity"/> reads them.</summary>
internal sealed record ProcessIdentity(string Command, string StartTime)
{
    /// <summary>
    /// Whether this (live) process is the one recorded as <paramref name="command"/> started at <paramref name="startTime"/>.
    /// The command may also be the tail of this one: a launcher (<c>setsid sh -c … exe args</c>) execs into the recorded command in place.
    /// </summary>
    public bool Matches(string command, string startTime) =>
        StartTime == startTime
        && command.Length > 0
        && (Command == command || Command.EndsWith(" " + command, StringComparison.Ordinal));
}
