namespace Kait.Sdk.Costs;

/// <summary>How a call ended. Stored as <c>ok</c>, <c>error</c> or <c>cancelled</c>.</summary>
public enum LlmCallStatus
{
    /// <summary><c>ok</c>: the call answered (a cache hit too).</summary>
    Ok = 0,

    /// <summary><c>error</c>: the call failed; see <see cref="LlmCallRecord.ErrorType"/> and <see cref="LlmCallRecord.HttpStatus"/>.</summary>
    Error,

    /// <summary><c>cancelled</c>: the caller cancelled it.</summary>
    Cancelled,
}
