namespace Kait.Sdk.Costs.Ledger;

/// <summary>
/// The ledger's schema, versioned with <c>PRAGMA user_version</c>. Migration <c>n</c> takes a database from version
/// <c>n</c> to <c>n + 1</c>; they only ever go forward and each keeps every row. Costs are stored as whole pico-USD
/// (10^-12 USD) integers so that sums are exact.
/// </summary>
internal static class LedgerSchema
{
    /// <summary>Version 1: the calls table.</summary>
    public const string V1 = """
        CREATE TABLE llm_calls (
            id              INTEGER PRIMARY KEY,
            ts_ms           INTEGER NOT NULL,
            alias           TEXT    NOT NULL,
            provider_model  TEXT    NOT NULL DEFAULT '',
            route           TEXT    NOT NULL DEFAULT '',
            call_id         TEXT,
            input_tokens    INTEGER NOT NULL DEFAULT 0,
            output_tokens   INTEGER NOT NULL DEFAULT 0,
            cached_tokens   INTEGER NOT NULL DEFAULT 0,
            cost_pusd       INTEGER,
            cost_source     TEXT    NOT NULL DEFAULT 'unknown',
            cache_hit       INTEGER NOT NULL DEFAULT 0,
            latency_ms      INTEGER NOT NULL DEFAULT 0,
            attempts        INTEGER NOT NULL DEFAULT 1,
            status          TEXT    NOT NULL DEFAULT 'ok',
            error_type      TEXT
        );
        CREATE INDEX ix_llm_calls_ts ON llm_calls (ts_ms);
        """;

    /// <summary>Version 2: cache-write tokens and HTTP status on each call, and the daily rollup (backfilled), which
    /// keeps reports fast at millions of rows.</summary>
    public const string V2 = """
        ALTER TABLE llm_calls ADD COLUMN cache_creation_tokens INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE llm_calls ADD COLUMN http_status INTEGER;
        CREATE TABLE llm_daily_totals (
            day                 TEXT    NOT NULL,
            alias               TEXT    NOT NULL,
            provider_model      TEXT    NOT NULL,
            route               TEXT    NOT NULL,
            calls               INTEGER NOT NULL,
            input_tokens        INTEGER NOT NULL,
            output_tokens       INTEGER NOT NULL,
            cached_tokens       INTEGER NOT NULL,
            cost_pusd           INTEGER NOT NULL,
            unknown_cost_calls  INTEGER NOT NULL,
            cache_hits          INTEGER NOT NULL,
            PRIMARY KEY (day, alias, provider_model, route)
        ) WITHOUT ROWID;
        INSERT INTO llm_daily_totals
        SELECT strftime('%Y-%m-%d', ts_ms / 1000, 'unixepoch'), alias, provider_model, route,
               COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens), COALESCE(SUM(cost_pusd), 0),
               SUM(cost_pusd IS NULL), SUM(cache_hit)
        FROM llm_calls
        GROUP BY 1, 2, 3, 4;
        """;

    /// <summary>Version 3: the hourly rollup (backfilled), so that a range with partial days at its ends reads only
    /// its partial hours from the calls.</summary>
    public const string V3 = """
        CREATE TABLE llm_hourly_totals (
            hour                INTEGER NOT NULL,
            alias               TEXT    NOT NULL,
            provider_model      TEXT    NOT NULL,
            route               TEXT    NOT NULL,
            calls               INTEGER NOT NULL,
            input_tokens        INTEGER NOT NULL,
            output_tokens       INTEGER NOT NULL,
            cached_tokens       INTEGER NOT NULL,
            cost_pusd           INTEGER NOT NULL,
            unknown_cost_calls  INTEGER NOT NULL,
            cache_hits          INTEGER NOT NULL,
            PRIMARY KEY (hour, alias, provider_model, route)
        ) WITHOUT ROWID;
        INSERT INTO llm_hourly_totals
        SELECT ts_ms / 3600000, alias, provider_model, route,
               COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens), COALESCE(SUM(cost_pusd), 0),
               SUM(cost_pusd IS NULL), SUM(cache_hit)
        FROM llm_calls
        GROUP BY 1, 2, 3, 4;
        """;

    /// <summary>Version 4: how many calls of each rollup were booked at an estimate (cost source <c>estimate</c>) and
    /// what those estimates add up to, so that reports can tell estimated spend from known spend. Earlier versions had
    /// no estimates: both start at 0.</summary>
    public const string V4 = """
        ALTER TABLE llm_daily_totals ADD COLUMN estimated_calls INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE llm_daily_totals ADD COLUMN estimated_pusd INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE llm_hourly_totals ADD COLUMN estimated_calls INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE llm_hourly_totals ADD COLUMN estimated_pusd INTEGER NOT NULL DEFAULT 0;
        """;

    /// <summary>Version 5: reasoning tokens on each call (earlier rows: 0), and each call's spend tags, one row per
    /// (tag, call), so that <c>kait costs --by tag</c> sums the calls of a tag exactly.</summary>
    public const string V5 = """
        ALTER TABLE llm_calls ADD COLUMN reasoning_tokens INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE llm_call_tags (
            tag         TEXT    NOT NULL,
            call_rowid  INTEGER NOT NULL,
            PRIMARY KEY (tag, call_rowid)
        ) WITHOUT ROWID;
        CREATE INDEX ix_llm_call_tags_call ON llm_call_tags (call_rowid);
        """;

    /// <summary>The migrations in order; index <c>n</c> takes version <c>n</c> to <c>n + 1</c>.</summary>
    public static IReadOnlyList<string> Migrations { get; } = [V1, V2, V3, V4, V5];

    /// <summary>The version this build writes.</summary>
    public static int CurrentVersion => Migrations.Count;
}
