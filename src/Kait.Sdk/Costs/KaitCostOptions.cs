using System.Globalization;

namespace Kait.Sdk.Costs;

/// <summary>Options of cost tracking and budgets. <see cref="ReadEnvironment"/> reads <c>KAIT_HOME</c>,
/// <c>KAIT_PRICE_MAP</c>, <c>KAIT_BUDGET_DAILY_USD</c> and <c>KAIT_BUDGET_MONTHLY_USD</c>.</summary>
public sealed class KaitCostOptions
{
    /// <summary>The ledger's file name inside the Kait home.</summary>
    public const string DefaultFileName = "llm_costs.db";

    /// <summary>Kait's home folder; null: <c>~/.kait</c>. Set from <c>KAIT_HOME</c>.</summary>
    public string? KaitHome { get; set; }

    /// <summary>The ledger file; null: <c>llm_costs.db</c> in <see cref="KaitHome"/>.</summary>
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

    /// <summary>The ledger file: <see cref="DatabasePath"/>, else <c>llm_costs.db</c> in <see cref="KaitHome"/>, else in <c>~/.kait</c>.</summary>
    public string ResolveDatabasePath()
    {
        if (!string.IsNullOrWhiteSpace(DatabasePath))
        {
            return Path.GetFullPath(DatabasePath);
        }

        var home = string.IsNullOrWhiteSpace(KaitHome)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kait")
            : KaitHome;
        return Path.GetFullPath(Path.Combine(home, DefaultFileName));
    }

    /// <summary>Reads <c>KAIT_HOME</c>, <c>KAIT_PRICE_MAP</c>, <c>KAIT_BUDGET_DAILY_USD</c> and
    /// <c>KAIT_BUDGET_MONTHLY_USD</c> through <paramref name="environment"/>; a variable that is unset or empty leaves
    /// its option as it is.</summary>
    /// <param name="environment">Looks a variable up (<see cref="Environment.GetEnvironmentVariable(string)"/> in production).</param>
    /// <returns>This instance.</returns>
    /// <exception cref="KaitException">A budget variable is not a non-negative invariant number.</exception>
    public KaitCostOptions ReadEnvironment(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment("KAIT_HOME") is { Length: > 0 } home)
        {
            KaitHome = home;
        }

        if (environment("KAIT_PRICE_MAP") is { Length: > 0 } priceMap)
        {
            PriceMapPath = priceMap;
        }

        DailyBudgetUsd = ReadBudget(environment, "KAIT_BUDGET_DAILY_USD") ?? DailyBudgetUsd;
        MonthlyBudgetUsd = ReadBudget(environment, "KAIT_BUDGET_MONTHLY_USD") ?? MonthlyBudgetUsd;
        return this;
    }

    private static decimal? ReadBudget(Func<string, string?> environment, string name)
    {
        var text = environment(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0m)
        {
            return value;
        }

        throw new KaitException($"{name}='{text}' is not an amount of USD (a non-negative number such as 5 or 12.50).");
    }
}
