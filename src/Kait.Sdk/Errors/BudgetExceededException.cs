namespace Kait.Sdk;

/// <summary>A spending limit was reached: LiteLLM's <c>budget_exceeded</c>, or Kait's own cost tracking.</summary>
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

    /// <summary>Creates the exception for a spend over a limit.</summary>
    /// <param name="spendUsd">What was spent, in USD.</param>
    /// <param name="limitUsd">The limit, in USD.</param>
    /// <param name="message">The message; null for a default naming both amounts.</param>
    public BudgetExceededException(decimal? spendUsd, decimal? limitUsd, string? message = null)
        : base(message ?? FormattableString.Invariant($"Budget exceeded: spent {spendUsd} USD of a {limitUsd} USD limit."))
    {
        SpendUsd = spendUsd;
        LimitUsd = limitUsd;
    }

    /// <summary>What was spent, in USD, when known.</summary>
    public decimal? SpendUsd { get; init; }

    /// <summary>The limit, in USD, when known.</summary>
    public decimal? LimitUsd { get; init; }
}
