using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using SQLitePCL;

namespace Kait.Sdk.Caching;

/// <summary>
/// The response cache's persistent level (L2): an <see cref="IDistributedCache"/> over one SQLite file under
/// <c>$KAIT_HOME</c> (mode 0600), so another process (a second <c>kait chat</c>) gets the hit. Expiry is measured on the
/// injected <see cref="TimeProvider"/>. The file is in WAL mode (readers never wait for the writer) and connections are
/// pooled; a write that finds the file busy waits up to <see cref="BusyTimeoutSeconds"/>, and a busy file that still
/// cannot be had costs that one read (a miss) or write (skipped), not the file. A file that cannot be used at all
/// (corrupt, unreadable, unwritable) is logged once and bypassed: the cache then works in memory only, and no call ever
/// fails because of it. Expired entries are purged at most once a minute.
/// </summary>
internal sealed partial class SqliteDistributedCache : IDistributedCache, IDisposable
{
    public const string FileName = "response_cache.db";

    /// <summary>How long an operation waits for a file another connection is writing.</summary>
    public const int BusyTimeoutSeconds = 5;

    private static readonly TimeSpan PurgeInterval = TimeSpan.FromMinutes(1);

    private readonly string connectionString;
    private readonly string path;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly SemaphoreSlim initLock = new(1, 1);
    private int state; // 0 new, 1 ready, 2 bypassed
    private long nextPurge; // unix ms on the injected clock
    private readonly System.Collections.Concurrent.ConcurrentStack<Lease> leases = new();

    /// <summary>Connections kept open for lookups (more concurrent lookups open and close their own).</summary>
    private const int MaxKeptConnections = 4;

    public SqliteDistributedCache(string path, TimeProvider time, ILogger logger)
    {
        this.path = path;
        this.time = time;
        this.logger = logger;
        connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = BusyTimeoutSeconds }.ToString();
    }

    /// <summary>True once the file proved unusable.</summary>
    public bool Bypassed => state == 2;

    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        // Microsoft.Data.Sqlite's async calls run synchronously anyway: one prepared SELECT on a kept connection.
        token.ThrowIfCancellationRequested();
        return Task.FromResult(Run<byte[]?>(
            lease =>
            {
                var command = lease.Get;
                command.Parameters[0].Value = key;
                using var reader = command.ExecuteReader();
                if (!reader.Read())
                {
                    return null;
                }

                return !reader.IsDBNull(1) && reader.GetInt64(1) <= Now() ? null : (byte[])reader[0];
            },
            null));
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var now = time.GetUtcNow();
        var expires = options.AbsoluteExpiration
            ?? (options.AbsoluteExpirationRelativeToNow is { } relative ? now + relative : (DateTimeOffset?)null)
            ?? (options.SlidingExpiration is { } sliding ? now + sliding : (DateTimeOffset?)null);
        await RunAsync<bool>(
            async connection =>
            {
                using var command = connection.CreateCommand();
                var purge = PurgeDue(now.ToUnixTimeMilliseconds());
                // WAL with synchronous=NORMAL: a commit does not wait for the disk (a crash may lose the last entries of a
                // cache, never corrupt it); set per write because the pooled connection may be new.
                command.CommandText = """
                    PRAGMA synchronous = NORMAL;
                    INSERT INTO entries (key, value, expires_at, sliding_ms) VALUES ($key, $value, $expires, $sliding)
                    ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at, sliding_ms = excluded.sliding_ms;
                    """ + (purge ? "DELETE FROM entries WHERE expires_at IS NOT NULL AND expires_at <= $now;" : string.Empty);
                command.Parameters.AddWithValue("$key", key);
                command.Parameters.AddWithValue("$value", value);
                command.Parameters.AddWithValue("$expires", expires is { } e ? e.ToUnixTimeMilliseconds() : DBNull.Value);
                command.Parameters.AddWithValue("$sliding", options.SlidingExpiration is { } s ? (long)s.TotalMilliseconds : DBNull.Value);
                command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
                await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                return true;
            },
            false,
            token).ConfigureAwait(false);
    }

    public void Refresh(string key) => RefreshAsync(key).GetAwaiter().GetResult();

    public async Task RefreshAsync(string key, CancellationToken token = default)
    {
        await RunAsync<bool>(
            async connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = "UPDATE entries SET expires_at = $now + sliding_ms WHERE key = $key AND sliding_ms IS NOT NULL AND expires_at > $now";
                command.Parameters.AddWithValue("$key", key);
                command.Parameters.AddWithValue("$now", Now());
                await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                return true;
            },
            false,
            token).ConfigureAwait(false);
    }

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    public async Task RemoveAsync(string key, CancellationToken token = default)
    {
        await RunAsync<bool>(
            async connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = "DELETE FROM entries WHERE key = $key";
                command.Parameters.AddWithValue("$key", key);
                await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                return true;
            },
            false,
            token).ConfigureAwait(false);
    }

    public void Dispose()
    {
        while (leases.TryPop(out var lease))
        {
            lease.Dispose();
        }

        initLock.Dispose();
        SqliteConnection.ClearPool(new SqliteConnection(connectionString)); // the pooled connections hold the file
    }

    /// <summary>True for the one write in a minute that also deletes expired entries.</summary>
    private bool PurgeDue(long nowMs)
    {
        var due = Interlocked.Read(ref nextPurge);
        return nowMs >= due && Interlocked.CompareExchange(ref nextPurge, nowMs + (long)PurgeInterval.TotalMilliseconds, due) == due;
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Runs <paramref name="work"/> on a kept connection (opened once, its SELECT prepared once).</summary>
    private T Run<T>(Func<Lease, T> work, T bypassed)
    {
        if (state == 2 || !EnsureReadyAsync(CancellationToken.None).GetAwaiter().GetResult())
        {
            return bypassed;
        }

        Lease? lease = null;
        try
        {
            lease = leases.TryPop(out var kept) ? kept : Lease.Open(connectionString);
            var result = work(lease);
            if (leases.Count < MaxKeptConnections && state != 2)
            {
                leases.Push(lease);
                lease = null;
            }

            return result;
        }
        catch (Exception ex) when (IsFileError(ex))
        {
            return GiveUp(ex, bypassed);
        }
        finally
        {
            lease?.Dispose();
        }
    }

    /// <summary>A kept connection and its prepared lookup.</summary>
    private sealed class Lease : IDisposable
    {
        private Lease(SqliteConnection connection, SqliteCommand get)
        {
            Connection = connection;
            Get = get;
        }

        public SqliteConnection Connection { get; }

        public SqliteCommand Get { get; }

        public static Lease Open(string connectionString)
        {
            var connection = new SqliteConnection(connectionString);
            try
            {
                connection.Open();
                var get = connection.CreateCommand();
                get.CommandText = "SELECT value, expires_at, sliding_ms FROM entries WHERE key = $key";
                get.Parameters.Add(new SqliteParameter { ParameterName = "$key" });
                get.Prepare();
                return new Lease(connection, get);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            Get.Dispose();
            Connection.Dispose();
        }
    }

    private async Task<T> RunAsync<T>(Func<SqliteConnection, Task<T>> work, T bypassed, CancellationToken token)
    {
        if (state == 2 || !await EnsureReadyAsync(token).ConfigureAwait(false))
        {
            return bypassed;
        }

        try
        {
            var connection = new SqliteConnection(connectionString);
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(token).ConfigureAwait(false);
                return await work(connection).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (IsFileError(ex))
        {
            return GiveUp(ex, bypassed);
        }
    }

    private static bool IsFileError(Exception error) => error is SqliteException or IOException or UnauthorizedAccessException or InvalidCastException;

    /// <summary>A busy file (another connection writing past the timeout) costs this operation only; any other error
    /// bypasses the file for good.</summary>
    private T GiveUp<T>(Exception error, T bypassed)
    {
        if (error is SqliteException { SqliteErrorCode: raw.SQLITE_BUSY or raw.SQLITE_LOCKED })
        {
            LogBusy(logger, path, error.Message);
        }
        else
        {
            Bypass(error);
        }

        return bypassed;
    }

    private async Task<bool> EnsureReadyAsync(CancellationToken token)
    {
        if (state != 0)
        {
            return state == 1;
        }

        await initLock.WaitAsync(token).ConfigureAwait(false);
        try
        {
            if (state != 0)
            {
                return state == 1;
            }

            // Folder 0700, file 0600 (never a link) before SQLite opens it: SQLite gives its -wal and -shm the database file's mode.
            Kait.Sdk.IO.PrivateFiles.EnsurePrivateDirectory(Path.GetDirectoryName(path)!);
            Kait.Sdk.IO.PrivateFiles.EnsurePrivateFile(path);

            var connection = new SqliteConnection(connectionString);
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(token).ConfigureAwait(false);
                using var command = connection.CreateCommand();
                command.CommandText = """
                    PRAGMA journal_mode = WAL;
                    CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL, expires_at INTEGER NULL, sliding_ms INTEGER NULL);
                    CREATE INDEX IF NOT EXISTS entries_expires ON entries (expires_at);
                    """;
                await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            }

            state = 1;
            return true;
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            Bypass(ex);
            return false;
        }
        finally
        {
            initLock.Release();
        }
    }

    private void Bypass(Exception error)
    {
        if (Interlocked.Exchange(ref state, 2) != 2)
        {
            LogBypassed(logger, path, error.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The response cache file {Path} stayed busy; one read or write of it was skipped ({Reason})")]
    private static partial void LogBusy(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The response cache file {Path} cannot be used ({Reason}); it is bypassed and responses are cached in memory only")]
    private static partial void LogBypassed(ILogger logger, string path, string reason);
}
