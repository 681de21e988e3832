using System.Text.Json;

namespace Kait.Sdk.Proxy;

/// <summary><c>$KAIT_HOME/run/litellm.json</c>: who runs the detached proxy.</summary>
/// <remarks>State: <c>launched</c> (written by <c>start</c>), <c>starting</c> / <c>running</c> (written by the supervisor, <c>run</c>).</remarks>
internal sealed record ProxyRunRecord(int Pid, int Port, string LogFile, DateTimeOffset StartedAt, bool ProcessGroup, long? StartTime, string State = ProxyRunRecord.Launched)
{
    public const string Launched = "launched";
    public const string Starting = "starting";
    public const string Running = "running";

    public static ProxyRunRecord? Read(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            JsonElement root = doc.RootElement;
            return new ProxyRunRecord(
                root.GetProperty("pid").GetInt32(),
                root.GetProperty("port").GetInt32(),
                root.TryGetProperty("log", out var log) ? log.GetString() ?? string.Empty : string.Empty,
                root.TryGetProperty("startedAt", out var at) && at.TryGetDateTimeOffset(out var started) ? started : DateTimeOffset.MinValue,
                root.TryGetProperty("processGroup", out var group) && group.ValueKind == JsonValueKind.True,
                root.TryGetProperty("startTime", out var st) && st.ValueKind == JsonValueKind.Number ? st.GetInt64() : null,
                root.TryGetProperty("state", out var state) && state.ValueKind == JsonValueKind.String ? state.GetString() ?? Launched : Launched);
        }
        catch (Exception ex) when (ex is IOException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("pid", Pid);
            writer.WriteNumber("port", Port);
            writer.WriteString("log", LogFile);
            writer.WriteString("startedAt", StartedAt);
            writer.WriteBoolean("processGroup", ProcessGroup);
            writer.WriteString("state", State);
            if (StartTime is long st)
            {
                writer.WriteNumber("startTime", st);
            }

            writer.WriteEndObject();
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Whether the recorded process still runs (and is the same process, not a reused pid).</summary>
    public bool IsAlive()
    {
        if (!Posix.IsAlive(Pid))
        {
            return false;
        }

        return StartTime is not long recorded || Posix.StartTime(Pid) is not long now || now == recorded;
    }

    public static void Delete(string path, int? onlyPid = null)
    {
        try
        {
            if (onlyPid is int pid && Read(path) is { } record && record.Pid != pid)
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
}
