namespace Kait.Sdk.Costs;

/// <summary>The budget guard's running totals at one moment (UTC day and month).</summary>
/// <param name="DaySpentUsd">Settled spend of the current UTC day.</param>
/// <param name="MonthSpentUsd">Settled spend of the current UTC month.</param>
/// <param name="InFlightUsd">Estimates reserved by calls not yet settled.</param>
/// <param name="DailyLimitUsd">The daily limit, or null.</param>
/// <param name="MonthlyLimitUsd">The monthly limit, or null.</param>
public sealed record BudgetSnapshot(decimal DaySpentUsd, decimal MonthSpentUsd, decimal InFlightUsd, decimal? DailyLimitUsd, decimal? MonthlyLimitUsd);
