using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Kait.Sdk.Costs.Ledger;

/// <summary>Writes batches of rows, and their daily and hourly rollups, in one transaction each, on one connection.</summary>
internal sealed class LedgerWriter : IDisposable
{
    private readonly SqliteConnection connection;
    private readonly SqliteCommand insert;
    private readonly SqliteCommand upsert;
    private readonly SqliteCommand upsertHourly;
    private const long MillisecondsPerDay = 86_400_000;

    private const long MillisecondsPerHour = 3_600_000;

    private readonly Dictionary<RollupKey, RollupTotals> rollup = [];
    private readonly Dictionary<HourKey, RollupTotals> hourly = [];

    private LedgerWriter(SqliteConnection connection)
    {
        this.connection = connection;
        insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO llm_calls (ts_ms, alias, provider_model, route, call_id, input_tokens, output_tokens, cached_tokens,
                cache_creation_tokens, cost_pusd, cost_source, cache_hit, latency_ms, attempts, status, error_type, http_status)
            VALUES ($ts, $alias, $model, $route, $call, $in, $out, $cached, $created, $cost, $source, $hit, $latency, $attempts,
                $status, $error, $http);
            """;
        foreach (var name in (string[])["$ts", "$alias", "$model", "$route", "$call", "$in", "$out", "$cached", "$created", "$cost", "$source", "$hit", "$latency", "$attempts", "$status", "$error", "$http"])
        {
            insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        upsert = connection.CreateCommand();
        upsert.CommandText = """
            INSERT INTO llm_daily_totals (day, alias, provider_model, route, calls, input_tokens, output_tokens, cached_tokens,
                cost_pusd, unknown_cost_calls, cache_hits)
            VALUES ($day, $alias, $model, $route, $calls, $in, $out, $cached, $cost, $unknown, $hits)
            ON CONFLICT (day, alias, provider_model, route) DO UPDATE SET
                calls = calls + excluded.calls,
                input_tokens = input_tokens + excluded.input_tokens,
                output_tokens = output_tokens + excluded.output_tokens,
                cached_tokens = cached_tokens + excluded.cached_tokens,
                cost_pusd = cost_pusd + excluded.cost_pusd,
                unknown_cost_calls = unknown_cost_calls + excluded.unknown_cost_calls,
                cache_hits = cache_hits + excluded.cache_hits;
            """;
        foreach (var name in (string[])["$day", "$alias", "$model", "$route", "$calls", "$in", "$out", "$cached", "$cost", "$unknown", "$hits"])
        {
            upsert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        upsertHourly = connection.CreateCommand();
        upsertHourly.CommandText = """
            INSERT INTO llm_hourly_totals (hour, alias, provider_model, route, calls, input_tokens, output_tokens, cached_tokens,
                cost_pusd, unknown_cost_calls, cache_hits)
            VALUES ($hour, $alias, $model, $route, $calls, $in, $out, $cached, $cost, $unknown, $hits)
            ON CONFLICT (hour, alias, provider_model, route) DO UPDATE SET
                calls = calls + excluded.calls,
                input_tokens = input_tokens + excluded.input_tokens,
                output_tokens = output_tokens + excluded.output_tokens,
                cached_tokens = cached_tokens + excluded.cached_tokens,
                cost_pusd = cost_pusd + excluded.cost_pusd,
                unknown_cost_calls = unknown_cost_calls + excluded.unknown_cost_calls,
                cache_hits = cache_hits + excluded.cache_hits;
            """;
        foreach (var name in (string[])["$hour", "$alias", "$model", "$route", "$calls", "$in", "$out", "$cached", "$cost", "$unknown", "$hits"])
        {
            upsertHourly.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
    }

    public string Path => connection.DataSource;

    /// <summary>Opens the ledger for writing (creating and migrating it as needed).</summary>
    public static LedgerWriter Open(string path, int busyTimeoutSeconds)
        => new(LedgerDatabase.Open(path, busyTimeoutSeconds));

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
        insert.Transaction = transaction;
        upsert.Transaction = transaction;
        upsertHourly.Transaction = transaction;
        var p = insert.Parameters;
        var lastDayNumber = long.MinValue;
        var day = string.Empty;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var ts = row.TimestampUtc.ToUnixTimeMilliseconds();
            long? cost = row.CostUsd is { } usd ? LedgerMoney.ToPico(usd) : null;
            var model = row.ProviderModel ?? string.Empty;
            var route = row.Route ?? string.Empty;
            p[0].Value = ts;
            p[1].Value = row.Alias;
            p[2].Value = model;
            p[3].Value = route;
            p[4].Value = (object?)row.CallId ?? DBNull.Value;
            p[5].Value = row.Usage.InputTokens;
            p[6].Value = row.Usage.OutputTokens;
            p[7].Value = row.Usage.CachedInputTokens;
            p[8].Value = row.Usage.CacheCreationInputTokens;
            p[9].Value = cost is { } c ? c : DBNull.Value;
            p[10].Value = row.CostSource.ToWireName();
            p[11].Value = row.CacheHit ? 1 : 0;
            p[12].Value = (long)row.Latency.TotalMilliseconds;
            p[13].Value = row.Attempts;
            p[14].Value = row.Status.ToWireName();
            p[15].Value = (object?)row.ErrorType ?? DBNull.Value;
            p[16].Value = row.HttpStatus is { } http ? http : DBNull.Value;
            insert.ExecuteNonQuery();

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
            upsertHourly.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public void Dispose()
    {
        insert.Dispose();
        upsert.Dispose();
        upsertHourly.Dispose();
        connection.Dispose();
    }

    internal static string DayOf(long unixMs)
        => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private readonly record struct RollupKey(string Day, string Alias, string Model, string Route);

    private readonly record struct HourKey(long Hour, string Alias, string Model, string Route);

    private readonly record struct RollupTotals(long Calls, long InputTokens, long OutputTokens, long CachedTokens, long CostPico, long UnknownCostCalls, long CacheHits)
    {
        public RollupTotals Add(LlmCallRecord row, long? cost) => new(
            Calls + 1,
            InputTokens + row.Usage.InputTokens,
            OutputTokens + row.Usage.OutputTokens,
            CachedTokens + row.Usage.CachedInputTokens,
            CostPico + (cost ?? 0),
            UnknownCostCalls + (cost is null ? 1 : 0),
            CacheHits + (row.CacheHit ? 1 : 0));
    }
}
