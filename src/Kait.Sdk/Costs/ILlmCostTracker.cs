namespace Kait.Sdk.Costs;

/// <summary>Records ledger rows off the hot path (<see cref="LlmCostTracker"/>); the seam a gateway depends on.</summary>
public interface ILlmCostTracker
{
    /// <summary>Queues a row; returns at once unless the queue is full, then waits for room. Never throws for a database problem.</summary>
    /// <param name="row">The call.</param>
    /// <param name="cancellationToken">Stops waiting for room; the row is then not recorded.</param>
    ValueTask RecordAsync(LlmCallRecord row, CancellationToken cancellationToken = default);

    /// <summary>Queues a row without waiting; false (logged and counted) when the queue is full.</summary>
    /// <param name="row">The call.</param>
    bool TryRecord(LlmCallRecord row);

    /// <summary>Completes when every row recorded before the call is committed.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    Task FlushAsync(CancellationToken cancellationToken = default);
}
