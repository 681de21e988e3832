using System.Globalization;

namespace Kait.Sdk;

/// <summary>A call was refused before any HTTP request because the spend of the current budget period
/// (<c>KAIT_BUDGET_DAILY_USD</c> or <c>KAIT_BUDGET_MONTHLY_USD</c>, UTC) has reached its limit.</summary>
public sealed class BudgetExceededException : KaitException
{
    /// <summary>Creates the exception.</summary>
    public BudgetExceededException()
        : this(0m, 0m, string.Empty)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public BudgetExceededException(string message)
        : base(message)
    {
        Period = string.Empty;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public BudgetExceededException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Period = string.Empty;
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

    /// <summary>What the period has spent, USD.</summary>
    public decimal SpentUsd { get; }

    /// <summary>The period's limit, USD.</summary>
    public decimal LimitUsd { get; }

    /// <summary><c>daily</c> or <c>monthly</c> (UTC day or month).</summary>
    public string Period { get; }
}
