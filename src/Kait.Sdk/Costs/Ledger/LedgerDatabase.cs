using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Kait.Sdk.Costs.Ledger;

/// <summary>Opens the ledger: creates its folder (0700) and file (0600) when missing, brings the schema up to date.</summary>
internal static class LedgerDatabase
{
    /// <summary>Opens a connection, creating and migrating the database as needed.</summary>
    public static SqliteConnection Open(string path, int busyTimeoutSeconds)
    {
        EnsureFile(path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = Math.Max(1, busyTimeoutSeconds),
        };
        var connection = new SqliteConnection(builder.ConnectionString);
        try
        {
            connection.Open();
            // SQLite's own busy handler waits for another process's write lock in short sleeps; without it,
            // Microsoft.Data.Sqlite retries a busy statement every 150 ms, which holds rows back from other processes
            // (and their budgets) for that long.
            Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {Math.Max(1, busyTimeoutSeconds) * 1000};"));
            Execute(connection, "PRAGMA synchronous = NORMAL;");
            Migrate(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>SQLite's result codes for a damaged file and a file that is not a database.</summary>
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    /// <summary>Whether <paramref name="error"/> says the database file is damaged or is not a database at all
    /// (<c>SQLITE_CORRUPT</c>, <c>SQLITE_NOTADB</c>), as opposed to locked, missing or unwritable.</summary>
    public static bool IsCorruption(Exception error) =>
        error is SqliteException sqlite && (sqlite.SqliteErrorCode & 0xFF) is SqliteCorrupt or SqliteNotADatabase;

    /// <summary>A second look at <paramref name="path"/> on a connection of its own, read-only: true only when SQLite
    /// again finds it damaged or not a database (<c>PRAGMA quick_check</c>); false when it reads fine (another process
    /// may have replaced it meanwhile) or cannot be opened for another reason.</summary>
    public static bool IsCorrupt(string path, int busyTimeoutSeconds)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = Math.Max(1, busyTimeoutSeconds),
        };
        try
        {
            using var connection = new SqliteConnection(builder.ConnectionString);
            connection.Open();
            return !string.Equals(Convert.ToString(Scalar(connection, "PRAGMA quick_check(1);"), CultureInfo.InvariantCulture), "ok", StringComparison.Ordinal);
        }
        catch (SqliteException ex)
        {
            return IsCorruption(ex);
        }
    }

    /// <summary>The schema version of an open database.</summary>
    public static int GetVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Migrate(SqliteConnection connection)
    {
        var version = GetVersion(connection);
        if (version == LedgerSchema.CurrentVersion)
        {
            return;
        }

        if (version > LedgerSchema.CurrentVersion)
        {
            throw new KaitException(
                $"The cost ledger '{connection.DataSource}' has schema version {version}; this Kait knows up to {LedgerSchema.CurrentVersion}. Update Kait.Sdk.");
        }

        if (!string.Equals(Convert.ToString(Scalar(connection, "PRAGMA journal_mode;"), CultureInfo.InvariantCulture), "wal", StringComparison.OrdinalIgnoreCase))
        {
            Execute(connection, "PRAGMA journal_mode = WAL;");
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        version = GetVersion(connection); // another connection may have migrated meanwhile
        for (var step = version; step < LedgerSchema.CurrentVersion; step++)
        {
            Execute(connection, LedgerSchema.Migrations[step]);
        }

        Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {Math.Max(version, LedgerSchema.CurrentVersion)};"));
        transaction.Commit();
    }

    private static void EnsureFile(string path)
    {
        // Missing folders 0700 (one the user chose and made is left as it is); the file 0600, never written through a link.
        Kait.Sdk.IO.PrivateFiles.CreateMissingDirectories(Path.GetDirectoryName(Path.GetFullPath(path))!);
        Kait.Sdk.IO.PrivateFiles.EnsurePrivateFile(path);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
