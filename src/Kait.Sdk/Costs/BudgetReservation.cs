namespace Kait.Sdk.Costs;

/// <summary>
/// An estimate held against the budgets while a call is in flight (<see cref="BudgetGuard.ReserveAsync"/>).
/// Settle it with the call's actual cost once known; disposing it unsettled releases the estimate without spending
/// (the call was never sent). Settling or disposing a second time does nothing.
/// </summary>
internal sealed class BudgetReservation : IDisposable
{
    private readonly BudgetGuard? guard;
    private int done;

    internal BudgetReservation(BudgetGuard? guard, decimal estimatedCostUsd)
    {
        this.guard = guard;
        EstimatedCostUsd = estimatedCostUsd;
    }

    /// <summary>The estimate held.</summary>
    public decimal EstimatedCostUsd { get; }

    /// <summary>Replaces the estimate with the call's actual cost; a null (unknown) cost counts as the estimate.</summary>
    /// <param name="actualCostUsd">The call's cost (0 for a cache hit or a failure that cost nothing), or null when unknown.</param>
    public void Settle(decimal? actualCostUsd)
    {
        if (Interlocked.Exchange(ref done, 1) == 0)
        {
            guard?.Release(EstimatedCostUsd, actualCostUsd ?? EstimatedCostUsd);
        }
    }

    /// <summary>Releases the estimate without spending, unless already settled.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref done, 1) == 0)
        {
            guard?.Release(EstimatedCostUsd, 0m);
        }
    }
}
