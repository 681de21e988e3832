using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Kait.Sdk.Costs.Ledger;

/// <summary>Writes batches of rows, and their daily and hourly rollups, in one transaction each, on one connection.</summary>
internal sealed class LedgerWriter : IDisposable
{
    private readonly SqliteConnection connection;
    private const string InsertSql = """
        INSERT INTO llm_calls (ts_ms, alias, provider_model, route, call_id, input_tokens, output_tokens, cached_tokens,
            cache_creation_tokens, cost_pusd, cost_source, cache_hit, latency_ms, attempts, status, error_type, http_status,
            reasoning_tokens)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18);
        """;

    private const string InsertTagSql = "INSERT OR IGNORE INTO llm_call_tags (tag, call_rowid) VALUES (?1, ?2);";

    private readonly sqlite3_stmt insert;
    private readonly sqlite3_stmt insertTag;
    private readonly SqliteCommand upsert;
    private readonly SqliteCommand upsertHourly;
    private const long MillisecondsPerDay = 86_400_000;

    private const long MillisecondsPerHour = 3_600_000;

    private readonly Dictionary<RollupKey, RollupTotals> rollup = [];
    private readonly Dictionary<HourKey, RollupTotals> hourly = [];

    private LedgerWriter(SqliteConnection connection)
    {
        this.connection = connection;
        // The per-row insert goes straight to SQLite (prepared once, bound by position): Microsoft.Data.Sqlite's
        // per-execution overhead (a reader, parameter lookups by name) was most of the cost of a row.
        var rc = raw.sqlite3_prepare_v2(connection.Handle, InsertSql, out insert);
        SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        rc = raw.sqlite3_prepare_v2(connection.Handle, InsertTagSql, out insertTag);
        SqliteException.ThrowExceptionForRC(rc, connection.Handle);

        upsert = CreateRollupUpsert(connection, "llm_daily_totals", "day");
        upsertHourly = CreateRollupUpsert(connection, "llm_hourly_totals", "hour");
    }

    /// <summary>The upsert that adds a batch's totals to a rollup table keyed by <paramref name="bucket"/> (day or hour).</summary>
    private static SqliteCommand CreateRollupUpsert(SqliteConnection connection, string table, string bucket)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO {table} ({bucket}, alias, provider_model, route, calls, input_tokens, output_tokens, cached_tokens,
                cost_pusd, unknown_cost_calls, cache_hits, estimated_calls, estimated_pusd)
            VALUES (${bucket}, $alias, $model, $route, $calls, $in, $out, $cached, $cost, $unknown, $hits, $estimated, $estimatedCost)
            ON CONFLICT ({bucket}, alias, provider_model, route) DO UPDATE SET
                calls = calls + excluded.calls,
                input_tokens = input_tokens + excluded.input_tokens,
                output_tokens = output_tokens + excluded.output_tokens,
                cached_tokens = cached_tokens + excluded.cached_tokens,
                cost_pusd = cost_pusd + excluded.cost_pusd,
                unknown_cost_calls = unknown_cost_calls + excluded.unknown_cost_calls,
                cache_hits = cache_hits + excluded.cache_hits,
                estimated_calls = estimated_calls + excluded.estimated_calls,
                estimated_pusd = estimated_pusd + excluded.estimated_pusd;
            """;
        foreach (var name in (string[])["$" + bucket, "$alias", "$model", "$route", "$calls", "$in", "$out", "$cached", "$cost", "$unknown", "$hits", "$estimated", "$estimatedCost"])
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    public string Path => connection.DataSource;

    /// <summary>Opens the ledger for writing (creating and migrating it as needed).</summary>
    public static LedgerWriter Open(string path, int busyTimeoutSeconds)
    {
        var connection = LedgerDatabase.Open(path, busyTimeoutSeconds);
        try
        {
            return new LedgerWriter(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Writes <paramref name="rows"/> and their rollup in one transaction; all or nothing.</summary>
    public void Write(IReadOnlyList<LlmCallRecord> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        rollup.Clear();
        hourly.Clear();
        using var transaction = connection.BeginTransaction(deferred: false);
        upsert.Transaction = transaction;
        upsertHourly.Transaction = transaction;
        var db = connection.Handle;
        var lastDayNumber = long.MinValue;
        var day = string.Empty;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var ts = row.TimestampUtc.ToUnixTimeMilliseconds();
            long? cost = row.CostUsd is { } usd ? LedgerMoney.ToPico(usd) : null;
            var model = row.ProviderModel ?? string.Empty;
            var route = row.Route ?? string.Empty;
            raw.sqlite3_bind_int64(insert, 1, ts);
            raw.sqlite3_bind_text(insert, 2, row.Alias);
            raw.sqlite3_bind_text(insert, 3, model);
            raw.sqlite3_bind_text(insert, 4, route);
            BindText(insert, 5, row.CallId);
            raw.sqlite3_bind_int64(insert, 6, row.Usage.InputTokens);
            raw.sqlite3_bind_int64(insert, 7, row.Usage.OutputTokens);
            raw.sqlite3_bind_int64(insert, 8, row.Usage.CachedInputTokens);
            raw.sqlite3_bind_int64(insert, 9, row.Usage.CacheCreationInputTokens);
            BindInt64(insert, 10, cost);
            raw.sqlite3_bind_text(insert, 11, row.CostSource.ToName());
            raw.sqlite3_bind_int(insert, 12, row.CacheHit ? 1 : 0);
            raw.sqlite3_bind_int64(insert, 13, (long)row.Latency.TotalMilliseconds);
            raw.sqlite3_bind_int(insert, 14, row.Attempts);
            raw.sqlite3_bind_text(insert, 15, row.Status.ToWireName());
            BindText(insert, 16, row.ErrorType);
            BindInt64(insert, 17, row.HttpStatus);
            raw.sqlite3_bind_int64(insert, 18, row.Usage.ReasoningTokens);
            var stepped = raw.sqlite3_step(insert);
            raw.sqlite3_reset(insert);
            if (stepped != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(stepped, db);
            }

            if (row.Tags is { Count: > 0 } tags)
            {
                var rowid = raw.sqlite3_last_insert_rowid(db);
                foreach (var tag in tags)
                {
                    raw.sqlite3_bind_text(insertTag, 1, tag);
                    raw.sqlite3_bind_int64(insertTag, 2, rowid);
                    var tagged = raw.sqlite3_step(insertTag);
                    raw.sqlite3_reset(insertTag);
                    if (tagged != raw.SQLITE_DONE)
                    {
                        SqliteException.ThrowExceptionForRC(tagged, db);
                    }
                }
            }

            var dayNumber = Math.DivRem(ts, MillisecondsPerDay, out var rest) - (rest < 0 ? 1 : 0);
            if (dayNumber != lastDayNumber)
            {
                lastDayNumber = dayNumber;
                day = DayOf(ts);
            }

            ref var totals = ref CollectionsMarshal.GetValueRefOrAddDefault(rollup, new RollupKey(day, row.Alias, model, route), out _);
            totals = totals.Add(row, cost);
            ref var hourTotals = ref CollectionsMarshal.GetValueRefOrAddDefault(hourly, new HourKey(Math.DivRem(ts, MillisecondsPerHour, out var restOfHour) - (restOfHour < 0 ? 1 : 0), row.Alias, model, route), out _);
            hourTotals = hourTotals.Add(row, cost);
        }

        var u = upsert.Parameters;
        foreach (var (key, totals) in rollup)
        {
            u[0].Value = key.Day;
            u[1].Value = key.Alias;
            u[2].Value = key.Model;
            u[3].Value = key.Route;
            u[4].Value = totals.Calls;
            u[5].Value = totals.InputTokens;
            u[6].Value = totals.OutputTokens;
            u[7].Value = totals.CachedTokens;
            u[8].Value = totals.CostPico;
            u[9].Value = totals.UnknownCostCalls;
            u[10].Value = totals.CacheHits;
            u[11].Value = totals.EstimatedCalls;
            u[12].Value = totals.EstimatedPico;
            upsert.ExecuteNonQuery();
        }

        var h = upsertHourly.Parameters;
        foreach (var (key, totals) in hourly)
        {
            h[0].Value = key.Hour;
            h[1].Value = key.Alias;
            h[2].Value = key.Model;
            h[3].Value = key.Route;
            h[4].Value = totals.Calls;
            h[5].Value = totals.InputTokens;
            h[6].Value = totals.OutputTokens;
            h[7].Value = totals.CachedTokens;
            h[8].Value = totals.CostPico;
            h[9].Value = totals.UnknownCostCalls;
            h[10].Value = totals.CacheHits;
            h[11].Value = totals.EstimatedCalls;
            h[12].Value = totals.EstimatedPico;
            upsertHourly.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public void Dispose()
    {
        insert.Dispose();
        insertTag.Dispose();
        upsert.Dispose();
        upsertHourly.Dispose();
        connection.Dispose();
    }

    private static void BindText(sqlite3_stmt statement, int index, string? value)
    {
        if (value is null)
        {
            raw.sqlite3_bind_null(statement, index);
        }
        else
        {
            raw.sqlite3_bind_text(statement, index, value);
        }
    }

    private static void BindInt64(sqlite3_stmt statement, int index, long? value)
    {
        if (value is { } v)
        {
            raw.sqlite3_bind_int64(statement, index, v);
        }
        else
        {
            raw.sqlite3_bind_null(statement, index);
        }
    }

    internal static string DayOf(long unixMs)
        => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private readonly record struct RollupKey(string Day, string Alias, string Model, string Route);

    private readonly record struct HourKey(long Hour, string Alias, string Model, string Route);

    private readonly record struct RollupTotals(long Calls, long InputTokens, long OutputTokens, long CachedTokens, long CostPico, long UnknownCostCalls, long CacheHits, long EstimatedCalls, long EstimatedPico)
    {
        public RollupTotals Add(LlmCallRecord row, long? cost)
        {
            var estimated = cost is not null && row.CostSource == CostSource.Estimated;
            return new(
                Calls + 1,
                InputTokens + row.Usage.InputTokens,
                OutputTokens + row.Usage.OutputTokens,
                CachedTokens + row.Usage.CachedInputTokens,
                CostPico + (cost ?? 0),
                UnknownCostCalls + (cost is null ? 1 : 0),
                CacheHits + (row.CacheHit ? 1 : 0),
                EstimatedCalls + (estimated ? 1 : 0),
                EstimatedPico + (estimated ? cost!.Value : 0));
        }
    }
}
