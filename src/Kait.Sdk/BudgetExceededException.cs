using System.Globalization;

namespace Kait.Sdk;

/// <summary>A spending limit was reached: Kait's own budget (<c>KAIT_BUDGET_DAILY_USD</c> / <c>KAIT_BUDGET_MONTHLY_USD</c>,
/// UTC periods; the call was refused before any HTTP request), or LiteLLM's <c>budget_exceeded</c> for a key or team.</summary>
public sealed class BudgetExceededException : KaitException
{
    /// <summary>Creates the exception.</summary>
    public BudgetExceededException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public BudgetExceededException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public BudgetExceededException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a period whose spend reached its limit.</summary>
    /// <param name="spentUsd">What the period has spent (settled calls plus calls in flight), USD.</param>
    /// <param name="limitUsd">The period's limit, USD.</param>
    /// <param name="period"><c>daily</c> or <c>monthly</c> (UTC).</param>
    public BudgetExceededException(decimal spentUsd, decimal limitUsd, string period)
        : base(string.Create(
            CultureInfo.InvariantCulture,
            $"The {period} LLM budget is spent: ${spentUsd:0.######} of ${limitUsd:0.######} (UTC). The call was not sent."))
    {
        SpentUsd = spentUsd;
        LimitUsd = limitUsd;
        Period = period;
    }

    /// <summary>What was spent, USD, when known.</summary>
    public decimal? SpentUsd { get; init; }

    /// <summary>The limit, USD, when known.</summary>
    public decimal? LimitUsd { get; init; }

    /// <summary><c>daily</c> or <c>monthly</c> for Kait's own budgets; null for a limit the proxy enforced.</summary>
    public string? Period { get; init; }
}
