using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Kait.Sdk.IO;

/// <summary>
/// Every folder and file Kait keeps: folders 0700, files 0600 (on Unix, whatever the umask), opened without following a
/// symbolic link at the last component of the path. A folder or file that already exists with looser permissions is
/// tightened; one that cannot be tightened (not ours) is an error that names it. On Windows these are plain file calls.
/// </summary>
/// <remarks>
/// A symbolic link at a folder on the way (e.g. <c>~/.kait</c> itself moved to another disk) is followed: it is the
/// user's own choice, and the folder it leads to is checked and made private like any other.
/// </remarks>
internal static partial class PrivateFiles
{
    /// <summary>0600.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>0700.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private const int ENOENT = 2;
    private const int EACCES = 13;

    /// <summary>
    /// Creates <paramref name="path"/> and each missing parent as 0700; an existing <paramref name="path"/> that others may
    /// enter is tightened to 0700 (its parents, which Kait did not create, are left as they are).
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">It is open to others and cannot be made private (another user's folder).</exception>
    /// <exception cref="IOException">Something that is not a folder is in the way.</exception>
    public static void EnsurePrivateDirectory(string path)
    {
        var full = Path.GetFullPath(path);
        CreateMissingDirectories(full);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(full);
        if ((mode & GroupOrOther) != 0)
        {
            try
            {
                File.SetUnixFileMode(full, DirectoryMode);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new UnauthorizedAccessException($"The folder '{full}' is open to other users (mode {Octal(mode)}) and cannot be made private (0700): {ex.Message} Use a KAIT_HOME of your own.", ex);
            }
        }
    }

    /// <summary>Creates each missing folder of <paramref name="path"/> as 0700, leaving folders that exist as they are.</summary>
    /// <exception cref="IOException">Something that is not a folder is in the way.</exception>
    public static void CreateMissingDirectories(string path)
    {
        var full = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(full);
            return;
        }

        var missing = new Stack<string>();
        for (var dir = full; !string.IsNullOrEmpty(dir) && !Directory.Exists(dir); dir = Path.GetDirectoryName(dir))
        {
            missing.Push(dir);
        }

        while (missing.TryPop(out var dir))
        {
            // mkdir(dir, 0700): the umask can only take bits away, and the exact mode is set after.
            Directory.CreateDirectory(dir, DirectoryMode);
            if (File.GetUnixFileMode(dir) != DirectoryMode)
            {
                File.SetUnixFileMode(dir, DirectoryMode);
            }
        }
    }

    /// <summary>Creates a new 0600 file; anything already at <paramref name="path"/>, a symbolic link included, is an <see cref="IOException"/>.</summary>
    public static FileStream CreateNew(string path, FileAccess access = FileAccess.Write)
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = access, Share = FileShare.ReadWrite | FileShare.Delete };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode; // O_CREAT|O_EXCL: never follows a link
        }

        var stream = new FileStream(path, options);
        if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(stream.SafeFileHandle) != FileMode)
        {
            File.SetUnixFileMode(stream.SafeFileHandle, FileMode); // a umask such as 0277 took a bit we need
        }

        return stream;
    }

    /// <summary>
    /// Opens the regular file at <paramref name="path"/>, creating it 0600 when missing. A symbolic link, a folder, a pipe or a
    /// device at the path is refused; an existing file that others may read is tightened to 0600. No lock is taken.
    /// </summary>
    /// <exception cref="IOException">The path is a link or not a regular file, or cannot be opened.</exception>
    /// <exception cref="UnauthorizedAccessException">No permission, or others may read it and it cannot be tightened.</exception>
    public static FileStream OpenOrCreate(string path, FileAccess access) => OpenOrCreate(path, access, append: false);

    /// <summary><see cref="OpenOrCreate(string, FileAccess)"/> for writing at the end (O_APPEND): each write lands after what is there.</summary>
    public static FileStream OpenAppend(string path)
    {
        var stream = OpenOrCreate(path, FileAccess.Write, append: true);
        stream.Seek(0, SeekOrigin.End);
        return stream;
    }

    private static FileStream OpenOrCreate(string path, FileAccess access, bool append)
    {
        var full = Path.GetFullPath(path);
        for (var attempt = 0; ; attempt++)
        {
            if (OpenExisting(full, access, append: append) is { } existing)
            {
                return existing;
            }

            try
            {
                CreateNew(full, FileAccess.Write).Dispose();
            }
            catch (IOException) when (attempt < 3 && Exists(full))
            {
                // Someone else created it (or planted something) in between: look again.
            }
        }
    }

    /// <summary>Makes sure a private regular file is at <paramref name="path"/> (e.g. a database before SQLite opens it).</summary>
    public static void EnsurePrivateFile(string path) => OpenOrCreate(path, FileAccess.Write, append: false).Dispose();

    /// <summary>Opens an existing regular file without following a link; <see langword="null"/> when nothing is there.</summary>
    public static FileStream? OpenRead(string path) => OpenExisting(Path.GetFullPath(path), FileAccess.Read, tighten: false);

    /// <summary>Opens <paramref name="path"/> to read without following a link at it and without blocking (a pipe does
    /// not wait for a writer), whatever its type: the caller checks it. <see langword="null"/> when missing.</summary>
    public static FileStream? OpenReadAnyType(string path) => OpenExisting(Path.GetFullPath(path), FileAccess.Read, tighten: false, regularOnly: false);

    /// <summary>The bytes of the file at <paramref name="path"/> (not followed through a link); <see langword="null"/> when missing.</summary>
    /// <exception cref="IOException">It is bigger than <paramref name="maxBytes"/>, a link, or not a regular file.</exception>
    public static byte[]? ReadAllBytes(string path, int maxBytes)
    {
        using var stream = OpenRead(path);
        if (stream is null)
        {
            return null;
        }

        if (stream.Length > maxBytes)
        {
            throw new IOException($"'{path}' is {stream.Length.ToString(CultureInfo.InvariantCulture)} bytes; at most {maxBytes.ToString(CultureInfo.InvariantCulture)} are read.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[Math.Min(maxBytes + 1, 81920)];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                throw new IOException($"'{path}' grew past {maxBytes.ToString(CultureInfo.InvariantCulture)} bytes while it was read.");
            }
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="bytes"/> at once: written to a new 0600 file with a unique random
    /// name beside it, then renamed over the path (a link at the path is replaced, never written through).
    /// </summary>
    public static void WriteAllAtomic(string path, ReadOnlySpan<byte> bytes)
    {
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp");
        try
        {
            using (var stream = CreateNew(temp))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Whether anything (a dangling link included) is at <paramref name="path"/>.</summary>
    public static bool Exists(string path) => new FileInfo(path) is { } info && (info.Exists || info.LinkTarget is not null || Directory.Exists(path));

    private static FileStream? OpenExisting(string full, FileAccess access, bool tighten = true, bool append = false, bool regularOnly = true)
    {
        var handle = OpenNoFollow(full, access, append);
        if (handle is null)
        {
            return null;
        }

        FileStream stream;
        try
        {
            stream = new FileStream(handle, access, bufferSize: 0);
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        try
        {
            if (regularOnly && !stream.CanSeek)
            {
                throw new IOException($"'{full}' is not a regular file; Kait only writes its own files there.");
            }

            if (tighten && !OperatingSystem.IsWindows())
            {
                var mode = File.GetUnixFileMode(stream.SafeFileHandle);
                if ((mode & GroupOrOther) != 0)
                {
                    try
                    {
                        File.SetUnixFileMode(stream.SafeFileHandle, FileMode);
                    }
                    catch (UnauthorizedAccessException ex)
                    {
                        throw new UnauthorizedAccessException($"'{full}' is readable by other users (mode {Octal(mode)}) and cannot be made private (0600): {ex.Message}", ex);
                    }
                }
            }

            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>open(2) with O_NOFOLLOW|O_CLOEXEC|O_NONBLOCK (no O_CREAT, so no mode argument): <see langword="null"/> when missing.</summary>
    private static SafeFileHandle? OpenNoFollow(string full, FileAccess access, bool append)
    {
        if (Flags.Current is not { } flags)
        {
            // No known O_NOFOLLOW here (Windows, or an unusual Unix): refuse a link seen now, then open normally.
            if (!File.Exists(full))
            {
                if (new FileInfo(full).LinkTarget is not null)
                {
                    throw LinkRefused(full);
                }

                return null;
            }

            if (new FileInfo(full).LinkTarget is not null)
            {
                throw LinkRefused(full);
            }

            return File.OpenHandle(full, System.IO.FileMode.Open, access, FileShare.ReadWrite | FileShare.Delete);
        }

        var mode = access switch
        {
            FileAccess.Read => 0,
            FileAccess.Write => 1,
            _ => 2,
        };
        // O_NONBLOCK: a pipe planted at the path cannot block the open (it is refused below); no effect on a regular file.
        var fd = SysOpen(full, mode | flags.NoFollow | flags.CloseOnExec | flags.NonBlock | (append ? flags.Append : 0));
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno switch
            {
                ENOENT => null,
                _ when errno == flags.LinkLoop => throw LinkRefused(full),
                EACCES => throw new UnauthorizedAccessException($"Access to '{full}' is denied: {Marshal.GetPInvokeErrorMessage(errno)}."),
                _ => throw new IOException($"Cannot open '{full}': {Marshal.GetPInvokeErrorMessage(errno)}.", errno),
            };
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private static IOException LinkRefused(string full) =>
        new($"'{full}' is a symbolic link; Kait does not read or write its files through a link. Remove it and try again.");

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode, 8);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SysOpen(string path, int flags);

    /// <summary>The open(2) flag values and the ELOOP errno of this platform.</summary>
    private sealed record Flags(int NoFollow, int CloseOnExec, int Append, int NonBlock, int LinkLoop)
    {
        public static Flags? Current { get; } = Detect();

        private static Flags? Detect()
        {
            if (OperatingSystem.IsLinux())
            {
                // asm-generic: O_NOFOLLOW 0400000; arm, arm64 and powerpc: 0100000. O_CLOEXEC 02000000, O_APPEND 02000 and
                // O_NONBLOCK 04000 everywhere .NET runs (alpha, sparc, parisc and mips differ).
                var noFollow = RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 or Architecture.Armv6 or Architecture.Ppc64le ? 0x8000 : 0x20000;
                return new Flags(noFollow, 0x80000, 0x400, 0x800, 40);
            }

            if (OperatingSystem.IsMacOS() || OperatingSystem.IsMacCatalyst())
            {
                return new Flags(0x100, 0x1000000, 0x8, 0x4, 62);
            }

            return null;
        }
    }
}
