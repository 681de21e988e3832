namespace Kait.Sdk.Costs;

/// <summary>How a call ended. Stored as <c>ok</c>, <c>error</c>, <c>cancelled</c> or <c>possibly-billed</c>.</summary>
public enum LlmCallStatus
{
    /// <summary><c>ok</c>: the call answered (a cache hit too).</summary>
    Ok = 0,

    /// <summary><c>error</c>: the call failed; see <see cref="LlmCallRecord.ErrorType"/> and <see cref="LlmCallRecord.HttpStatus"/>.</summary>
    Error,

    /// <summary><c>cancelled</c>: the caller cancelled it.</summary>
    Cancelled,

    /// <summary><c>possibly-billed</c>: the call failed (or was cancelled) after a request may have reached the provider
    /// (an attempt timed out after sending, the connection closed before the answer, a stream broke), so the provider may
    /// have charged for it. Its cost is Kait's estimate (<see cref="CostSource.Estimated"/>) and counts against the
    /// budgets; <see cref="LlmCallRecord.ErrorType"/> says what happened.</summary>
    PossiblyBilled,
}
