using Kait.Sdk.Costs.Ledger;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Kait.Sdk.Costs;

/// <summary>The SQLite <see cref="ICostLedger"/> over <see cref="KaitCostOptions.ResolveDatabasePath"/>. Each query
/// opens its own connection (WAL: reads never wait for the writer), creating and migrating the file when needed.</summary>
internal sealed class SqliteCostLedger : ICostLedger
{
    private const long DayMs = 86_400_000;
    private const long HourMs = 3_600_000;

    private const string RollupSelect = """
        SELECT {key}, SUM(calls), SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens), SUM(cost_pusd),
               SUM(unknown_cost_calls), SUM(cache_hits), SUM(estimated_calls), SUM(estimated_pusd)
        FROM llm_daily_totals WHERE day >= $from AND day < $to GROUP BY 1;
        """;

    private const string HourlySelect = """
        SELECT {key}, SUM(calls), SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens), SUM(cost_pusd),
               SUM(unknown_cost_calls), SUM(cache_hits), SUM(estimated_calls), SUM(estimated_pusd)
        FROM llm_hourly_totals WHERE hour >= $from AND hour < $to GROUP BY 1;
        """;

    private const string CallsSelect = """
        SELECT {key}, COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens), COALESCE(SUM(cost_pusd), 0),
               SUM(cost_pusd IS NULL), SUM(cache_hit), SUM(cost_source = 'estimate' AND cost_pusd IS NOT NULL),
               COALESCE(SUM(CASE WHEN cost_source = 'estimate' THEN cost_pusd END), 0)
        FROM llm_calls WHERE ts_ms >= $from AND ts_ms < $to GROUP BY 1;
        """;

    /// <summary>The calls of each tag (untagged: <c>''</c>), read from the calls themselves (the rollups have no tags).</summary>
    private const string TagSelect = """
        SELECT COALESCE(t.tag, ''), COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens), COALESCE(SUM(cost_pusd), 0),
               SUM(cost_pusd IS NULL), SUM(cache_hit), SUM(cost_source = 'estimate' AND cost_pusd IS NOT NULL),
               COALESCE(SUM(CASE WHEN cost_source = 'estimate' THEN cost_pusd END), 0)
        FROM llm_calls c LEFT JOIN llm_call_tags t ON t.call_rowid = c.id
        WHERE ts_ms >= $from AND ts_ms < $to GROUP BY 1;
        """;

    private readonly string path;
    private readonly int busyTimeoutSeconds;

    /// <summary>Creates the ledger reader.</summary>
    /// <param name="options">The options (database path).</param>
    public SqliteCostLedger(IOptions<KaitCostOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        path = options.Value.ResolveDatabasePath();
        busyTimeoutSeconds = options.Value.BusyTimeoutSeconds;
    }

    /// <summary>The ledger file.</summary>
    public string DatabasePath => path;

    /// <inheritdoc />
    public async Task<IReadOnlyList<CostTotals>> GetTotalsAsync(CostGroupBy groupBy, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken = default)
    {
        var groups = await QueryAsync(groupBy, fromUtc, toUtc, cancellationToken).ConfigureAwait(false);
        return [.. groups.Values.OrderBy(t => t.Key, StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public async Task<CostTotals> GetSummaryAsync(DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken = default)
    {
        var groups = await QueryAsync(null, fromUtc, toUtc, cancellationToken).ConfigureAwait(false);
        return groups.TryGetValue("total", out var total) ? total : new CostTotals("total", 0, 0, 0, 0m, 0);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LlmCallRecord>> GetCallsAsync(DateTimeOffset fromUtc, DateTimeOffset toUtc, int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        using var connection = LedgerDatabase.Open(path, busyTimeoutSeconds);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT ts_ms, alias, provider_model, route, call_id, input_tokens, output_tokens, cached_tokens, cache_creation_tokens,
                   cost_pusd, cost_source, cache_hit, latency_ms, attempts, status, error_type, http_status, reasoning_tokens,
                   (SELECT json_group_array(tag) FROM llm_call_tags WHERE call_rowid = llm_calls.id)
            FROM llm_calls WHERE ts_ms >= $from AND ts_ms < $to ORDER BY ts_ms DESC, id DESC LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$from", fromUtc.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", toUtc.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$limit", limit);
        var rows = new List<LlmCallRecord>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new LlmCallRecord
            {
                TimestampUtc = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)),
                Alias = reader.GetString(1),
                ProviderModel = NullIfEmpty(reader.GetString(2)),
                Route = NullIfEmpty(reader.GetString(3)),
                CallId = reader.IsDBNull(4) ? null : reader.GetString(4),
                Usage = new LlmUsage(InputTokens: (int)reader.GetInt64(5), OutputTokens: (int)reader.GetInt64(6), CachedInputTokens: (int)reader.GetInt64(7), CacheCreationInputTokens: (int)reader.GetInt64(8)) { ReasoningTokens = (int)reader.GetInt64(17) },
                CostUsd = reader.IsDBNull(9) ? null : LedgerMoney.FromPico(reader.GetInt64(9)),
                CostSource = CostSourceNames.Parse(reader.GetString(10)),
                CacheHit = reader.GetInt64(11) != 0,
                Latency = TimeSpan.FromMilliseconds(reader.GetInt64(12)),
                Attempts = reader.GetInt32(13),
                Status = LlmCallStatusNames.Parse(reader.GetString(14)),
                ErrorType = reader.IsDBNull(15) ? null : reader.GetString(15),
                HttpStatus = reader.IsDBNull(16) ? null : reader.GetInt32(16),
                Tags = Tags(reader.GetString(18)),
            });
        }

        return rows;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>A call's tags from <c>json_group_array</c>, in the order SQLite keeps them (by tag); null when none.</summary>
    private static string[]? Tags(string json) =>
        json == "[]" ? null : System.Text.Json.JsonSerializer.Deserialize(json, LedgerJsonContext.Default.StringArray);

    private static (string Daily, string Hourly, string Calls) KeyColumns(CostGroupBy? groupBy) => groupBy switch
    {
        null => ("'total'", "'total'", "'total'"),
        CostGroupBy.Day => ("day", "strftime('%Y-%m-%d', hour * 3600, 'unixepoch')", "strftime('%Y-%m-%d', ts_ms / 1000, 'unixepoch')"),
        CostGroupBy.Alias => ("alias", "alias", "alias"),
        CostGroupBy.Model => ("provider_model", "provider_model", "provider_model"),
        CostGroupBy.Route => ("route", "route", "route"),
        CostGroupBy.Tag => ("''", "''", "''"), // read with TagSelect
        _ => throw new ArgumentOutOfRangeException(nameof(groupBy), groupBy, "Not a grouping."),
    };

    /// <summary>The spend (USD) of each range, read in one snapshot over one connection (the budget's day and month at
    /// every reservation: one open instead of two).</summary>
    internal async Task<decimal[]> GetSpendAsync(IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> ranges, CancellationToken cancellationToken)
    {
        var (dailyKey, hourlyKey, callsKey) = KeyColumns(null);
        var spend = new decimal[ranges.Count];
        using var connection = LedgerDatabase.Open(path, busyTimeoutSeconds);
        using var snapshot = connection.BeginTransaction(deferred: true);
        for (var i = 0; i < ranges.Count; i++)
        {
            var (from, to) = ranges[i];
            if (to <= from)
            {
                continue;
            }

            var groups = new Dictionary<string, CostTotals>(StringComparer.Ordinal);
            var query = new Query(
                groups,
                RollupSelect.Replace("{key}", dailyKey, StringComparison.Ordinal),
                HourlySelect.Replace("{key}", hourlyKey, StringComparison.Ordinal),
                CallsSelect.Replace("{key}", callsKey, StringComparison.Ordinal));
            await AddRangeAsync(connection, query, Tier.Day, from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
            spend[i] = groups.TryGetValue("total", out var total) ? total.CostUsd : 0m;
        }

        return spend;
    }

    private async Task<Dictionary<string, CostTotals>> QueryAsync(CostGroupBy? groupBy, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken)
    {
        var groups = new Dictionary<string, CostTotals>(StringComparer.Ordinal);
        if (toUtc <= fromUtc)
        {
            return groups;
        }

        var (dailyKey, hourlyKey, callsKey) = KeyColumns(groupBy);
        var query = new Query(
            groups,
            RollupSelect.Replace("{key}", dailyKey, StringComparison.Ordinal),
            HourlySelect.Replace("{key}", hourlyKey, StringComparison.Ordinal),
            CallsSelect.Replace("{key}", callsKey, StringComparison.Ordinal));

        // One read transaction: one consistent snapshot for every part of the range.
        using var connection = LedgerDatabase.Open(path, busyTimeoutSeconds);
        using var snapshot = connection.BeginTransaction(deferred: true);
        if (groupBy == CostGroupBy.Tag)
        {
            await AddAsync(connection, TagSelect, fromUtc.ToUnixTimeMilliseconds(), toUtc.ToUnixTimeMilliseconds(), groups, cancellationToken).ConfigureAwait(false);
            return groups;
        }

        await AddRangeAsync(connection, query, Tier.Day, fromUtc.ToUnixTimeMilliseconds(), toUtc.ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
        return groups;
    }

    /// <summary>
    /// Adds the totals of <c>[from, to)</c> (unix ms): whole UTC days from the daily rollup, whole hours of the partial
    /// days at the ends from the hourly rollup, and only the partial hours at the very ends from the calls. A partial
    /// day or hour whose part outside the range holds no call (a range ending now, or starting before the first call)
    /// counts as whole, since its rollup is then exact.
    /// </summary>
    private static async Task AddRangeAsync(SqliteConnection connection, Query query, Tier tier, long from, long to, CancellationToken cancellationToken)
    {
        if (from >= to)
        {
            return;
        }

        if (tier == Tier.Calls)
        {
            await AddAsync(connection, query.Calls, from, to, query.Groups, cancellationToken).ConfigureAwait(false);
            return;
        }

        var unit = tier == Tier.Day ? DayMs : HourMs;
        var fromFloor = FloorTo(from, unit);
        var toFloor = FloorTo(to, unit);
        var firstWhole = from == fromFloor || !HasCalls(connection, fromFloor, from) ? fromFloor : fromFloor + unit;
        var endWhole = to == toFloor || HasCalls(connection, to, toFloor + unit) ? toFloor : toFloor + unit;
        if (firstWhole >= endWhole)
        {
            await AddRangeAsync(connection, query, tier + 1, from, to, cancellationToken).ConfigureAwait(false);
            return;
        }

        await AddRangeAsync(connection, query, tier + 1, from, firstWhole, cancellationToken).ConfigureAwait(false);
        if (tier == Tier.Day)
        {
            await AddAsync(connection, query.Daily, LedgerWriter.DayOf(firstWhole), LedgerWriter.DayOf(endWhole), query.Groups, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await AddAsync(connection, query.Hourly, firstWhole / HourMs, endWhole / HourMs, query.Groups, cancellationToken).ConfigureAwait(false);
        }

        await AddRangeAsync(connection, query, tier + 1, endWhole, to, cancellationToken).ConfigureAwait(false);
    }

    private static long FloorTo(long ms, long unit) => (ms / unit * unit) - (ms % unit < 0 ? unit : 0);

    private static bool HasCalls(SqliteConnection connection, long from, long to)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM llm_calls WHERE ts_ms >= $from AND ts_ms < $to);";
        command.Parameters.AddWithValue("$from", from);
        command.Parameters.AddWithValue("$to", to);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0;
    }

    private static async Task AddAsync(SqliteConnection connection, string sql, object from, object to, Dictionary<string, CostTotals> groups, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
#pragma warning disable CA2100 // The SQL is one of three constants with a column name from a closed switch: no input reaches it.
        command.CommandText = sql;
#pragma warning restore CA2100
        command.Parameters.AddWithValue("$from", from);
        command.Parameters.AddWithValue("$to", to);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var key = reader.IsDBNull(0) ? string.Empty : reader.GetString(0);
            var add = new CostTotals(key, reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), LedgerMoney.FromPico(reader.GetInt64(5)), reader.GetInt64(7))
            {
                CachedInputTokens = reader.GetInt64(4),
                UnknownCostCalls = reader.GetInt64(6),
                EstimatedCostCalls = reader.GetInt64(8),
                EstimatedCostUsd = LedgerMoney.FromPico(reader.GetInt64(9)),
            };
            groups[key] = groups.TryGetValue(key, out var sum)
                ? new CostTotals(key, sum.Calls + add.Calls, sum.InputTokens + add.InputTokens, sum.OutputTokens + add.OutputTokens, sum.CostUsd + add.CostUsd, sum.CacheHits + add.CacheHits)
                {
                    CachedInputTokens = sum.CachedInputTokens + add.CachedInputTokens,
                    UnknownCostCalls = sum.UnknownCostCalls + add.UnknownCostCalls,
                    EstimatedCostCalls = sum.EstimatedCostCalls + add.EstimatedCostCalls,
                    EstimatedCostUsd = sum.EstimatedCostUsd + add.EstimatedCostUsd,
                }
                : add;
        }
    }

    private enum Tier
    {
        Day,
        Hour,
        Calls,
    }

    private sealed record Query(Dictionary<string, CostTotals> Groups, string Daily, string Hourly, string Calls);
}

/// <summary>Source-generated JSON for the ledger's tag lists.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class LedgerJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
