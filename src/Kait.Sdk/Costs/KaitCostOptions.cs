namespace Kait.Sdk.Costs;

/// <summary>Options of cost tracking and budgets: the <see cref="KaitOptions.Costs"/> section (<c>Kait:Costs</c>,
/// <c>KAIT_PRICE_MAP</c>, <c>KAIT_BUDGET_DAILY_USD</c>, <c>KAIT_BUDGET_MONTHLY_USD</c>). In a container they are
/// read by <see cref="KaitOptionsLoader"/> and the ledger is <see cref="KaitPaths.LedgerFile"/>.</summary>
public sealed class KaitCostOptions
{
    /// <summary>The ledger file; null: <see cref="KaitPaths.LedgerFile"/> (<c>$KAIT_HOME/llm_costs.db</c>). Set it in code
    /// only, to keep a ledger apart (tests, tools).</summary>
    public string? DatabasePath { get; set; }

    /// <summary>A LiteLLM-format price map (JSON); null: none. Set from <c>KAIT_PRICE_MAP</c>.</summary>
    public string? PriceMapPath { get; set; }

    /// <summary>The UTC day's spending limit in USD; null: none. Set from <c>KAIT_BUDGET_DAILY_USD</c>.</summary>
    public decimal? DailyBudgetUsd { get; set; }

    /// <summary>The UTC month's spending limit in USD; null: none. Set from <c>KAIT_BUDGET_MONTHLY_USD</c>.</summary>
    public decimal? MonthlyBudgetUsd { get; set; }

    /// <summary>
    /// Whether an attempt that may already have been billed (it timed out after sending, or the connection closed before
    /// the answer) may be retried. Default true, as the official OpenAI and Anthropic clients do: a failed call is usually
    /// retried by its caller anyway, so not retrying saves nothing but turns a passing fault into an error. Every such
    /// attempt is booked at the call's estimate, and with a budget set a retry goes only if the budget admits one more
    /// estimate, so a budget caps what duplicates can cost. Set false where a duplicate costs more than a failure (long,
    /// expensive generations).
    /// </summary>
    public bool RetryAfterPossibleBilling { get; set; } = true;

    /// <summary>The longest a recorded row waits in memory while the database can be written (rows are written as
    /// soon as the writer is free, so in practice far less), and how often a failed write is retried. Default 250 ms.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How many rows may wait in memory for the writer (the bounded queue); past it
    /// <see cref="LlmCostTracker.RecordAsync"/> waits and <see cref="LlmCostTracker.TryRecord"/> refuses. Default 10,000.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>The most rows one transaction writes. Default 1,000.</summary>
    public int MaxBatchSize { get; set; } = 1_000;

    /// <summary>How long one write waits for a lock held by another connection before it counts as failed
    /// (whole seconds, at least 1). Default 1.</summary>
    public int BusyTimeoutSeconds { get; set; } = 1;

    /// <summary>The ledger file: <see cref="DatabasePath"/> (absolute), else <c>llm_costs.db</c> in <c>~/.kait</c>.
    /// Options from a container always carry <see cref="DatabasePath"/> (<see cref="KaitPaths.LedgerFile"/>).</summary>
    public string ResolveDatabasePath() =>
        string.IsNullOrWhiteSpace(DatabasePath) ? new KaitPaths(KaitPaths.DefaultHome).LedgerFile : Path.GetFullPath(DatabasePath);

    /// <summary>Copies <paramref name="source"/> (the settings' section) into this instance, with the files under
    /// <paramref name="paths"/>: the ledger defaults to <see cref="KaitPaths.LedgerFile"/>, and <c>~</c> and relative
    /// paths are resolved.</summary>
    internal void CopyFrom(KaitCostOptions source, KaitPaths paths)
    {
        DatabasePath = string.IsNullOrWhiteSpace(source.DatabasePath) ? paths.LedgerFile : paths.Resolve(source.DatabasePath);
        PriceMapPath = string.IsNullOrWhiteSpace(source.PriceMapPath) ? null : paths.Resolve(source.PriceMapPath);
        DailyBudgetUsd = source.DailyBudgetUsd;
        MonthlyBudgetUsd = source.MonthlyBudgetUsd;
        FlushInterval = source.FlushInterval;
        QueueCapacity = source.QueueCapacity;
        MaxBatchSize = source.MaxBatchSize;
        BusyTimeoutSeconds = source.BusyTimeoutSeconds;
        RetryAfterPossibleBilling = source.RetryAfterPossibleBilling;
    }
}
