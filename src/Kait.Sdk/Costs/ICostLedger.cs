namespace Kait.Sdk.Costs;

/// <summary>Reads the cost ledger: the query side for reports, the <c>kait costs</c> command and budgets.</summary>
public interface ICostLedger
{
    /// <summary>Totals per group over <c>[fromUtc, toUtc)</c>, ordered by key. Whole UTC days come from the daily
    /// rollup, whole hours of a partial day from the hourly rollup, and only the partial hours at the very ends from
    /// the calls themselves, so any range is exact and fast.</summary>
    /// <param name="groupBy">Day, alias, model or route.</param>
    /// <param name="fromUtc">Start, inclusive.</param>
    /// <param name="toUtc">End, exclusive.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    Task<IReadOnlyList<CostTotals>> GetTotalsAsync(CostGroupBy groupBy, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken = default);

    /// <summary>The totals of every call in <c>[fromUtc, toUtc)</c>, keyed <c>total</c>.</summary>
    /// <param name="fromUtc">Start, inclusive.</param>
    /// <param name="toUtc">End, exclusive.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    Task<CostTotals> GetSummaryAsync(DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken = default);

    /// <summary>The most recent calls in <c>[fromUtc, toUtc)</c>, newest first.</summary>
    /// <param name="fromUtc">Start, inclusive.</param>
    /// <param name="toUtc">End, exclusive.</param>
    /// <param name="limit">At most this many.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    Task<IReadOnlyList<LlmCallRecord>> GetCallsAsync(DateTimeOffset fromUtc, DateTimeOffset toUtc, int limit = 100, CancellationToken cancellationToken = default);
}
