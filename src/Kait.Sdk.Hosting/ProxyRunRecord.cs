using System.Text.Json;
using Kait.Sdk.IO;

namespace Kait.Sdk.Hosting;

/// <summary><c>$KAIT_HOME/run/litellm.json</c>: who runs the detached proxy.</summary>
/// <remarks>
/// State: <c>launched</c> (written by <c>start</c>), <c>starting</c> / <c>running</c> (written by the supervisor, <c>run</c>).
/// <see cref="Command"/> and <see cref="StartTime"/> identify the process: nothing is signalled unless both still match.
/// <see cref="Token"/> ties the record to the <c>start</c> call that launched it.
/// </remarks>
internal sealed record ProxyRunRecord(
    int Pid,
    int Port,
    string LogFile,
    DateTimeOffset StartedAt,
    bool ProcessGroup,
    string? StartTime,
    string State = ProxyRunRecord.Launched,
    string? Command = null,
    string? Token = null)
{
    public const string Launched = "launched";
    public const string Starting = "starting";
    public const string Running = "running";

    /// <summary>A record bigger than this is not Kait's.</summary>
    private const int MaxBytes = 64 * 1024;

    /// <summary>The record at <paramref name="path"/>; <see langword="null"/> when missing, unreadable, a link, or not a record.</summary>
    public static ProxyRunRecord? Read(string path)
    {
        try
        {
            var bytes = PrivateFiles.ReadAllBytes(path, MaxBytes);
            if (bytes is null)
            {
                return null;
            }

            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            return new ProxyRunRecord(
                root.GetProperty("pid").GetInt32(),
                root.GetProperty("port").GetInt32(),
                root.TryGetProperty("log", out var log) ? log.GetString() ?? string.Empty : string.Empty,
                root.TryGetProperty("startedAt", out var at) && at.TryGetDateTimeOffset(out var started) ? started : DateTimeOffset.MinValue,
                root.TryGetProperty("processGroup", out var group) && group.ValueKind == JsonValueKind.True,
                root.TryGetProperty("startTime", out var st) ? st.ValueKind switch
                {
                    JsonValueKind.Number => st.GetRawText(),
                    JsonValueKind.String => st.GetString(),
                    _ => null,
                } : null,
                Text(root, "state") ?? Launched,
                Text(root, "command"),
                Text(root, "token"));
        }
        catch (Exception ex) when (ex is IOException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes the record (0600, a unique temporary file renamed over the path; a link there is replaced, not followed).</summary>
    public void Write(string path)
    {
        PrivateFiles.EnsurePrivateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("pid", Pid);
            writer.WriteNumber("port", Port);
            writer.WriteString("log", LogFile);
            writer.WriteString("startedAt", StartedAt);
            writer.WriteBoolean("processGroup", ProcessGroup);
            writer.WriteString("state", State);
            if (StartTime is not null)
            {
                writer.WriteString("startTime", StartTime);
            }

            if (Command is not null)
            {
                writer.WriteString("command", Command);
            }

            if (Token is not null)
            {
                writer.WriteString("token", Token);
            }

            writer.WriteEndObject();
        }

        PrivateFiles.WriteAllAtomic(path, buffer.ToArray());
    }

    /// <summary>
    /// Whether the recorded process still runs and is still the recorded program: same pid, same start time, same command line.
    /// A record that does not say which program it was is never trusted with a signal.
    /// </summary>
    public ProcessCheck Check()
    {
        if (!Posix.IsAlive(Pid))
        {
            return new ProcessCheck(ProcessStatus.Exited, null);
        }

        var live = Posix.Identity(Pid);
        if (live is null)
        {
            return new ProcessCheck(ProcessStatus.Replaced, "its command line and start time cannot be read");
        }

        if (Command is null || StartTime is null)
        {
            return new ProcessCheck(ProcessStatus.Replaced, $"the record does not say which program it was; pid {Pid} is now '{Shorten(live.Command)}'");
        }

        return live.Matches(Command, StartTime)
            ? new ProcessCheck(ProcessStatus.Running, null)
            : new ProcessCheck(ProcessStatus.Replaced, $"pid {Pid} is now '{Shorten(live.Command)}', not '{Shorten(Command)}' started at {StartTime}");
    }

    /// <summary>Deletes the record at <paramref name="path"/>; with <paramref name="onlyPid"/> or <paramref name="onlyToken"/>, only when it is that one's.</summary>
    public static void Delete(string path, int? onlyPid = null, string? onlyToken = null)
    {
        try
        {
            if ((onlyPid is not null || onlyToken is not null) && Read(path) is { } record
                && ((onlyPid is int pid && record.Pid != pid) || (onlyToken is not null && record.Token != onlyToken)))
            {
                return;
            }

            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..117] + "...";
}

/// <summary>What <see cref="ProxyRunRecord.Check"/> found.</summary>
internal enum ProcessStatus
{
    /// <summary>The recorded process runs.</summary>
    Running,

    /// <summary>No process has the pid any more.</summary>
    Exited,

    /// <summary>A process has the pid, but not the recorded one (or it cannot be told): never signalled.</summary>
    Replaced,
}

/// <summary>The outcome of <see cref="ProxyRunRecord.Check"/> and, for <see cref="ProcessStatus.Replaced"/>, why.</summary>
internal readonly record struct ProcessCheck(ProcessStatus Status, string? Reason);
