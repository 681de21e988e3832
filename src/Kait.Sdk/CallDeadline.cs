namespace Kait.Sdk;

/// <summary>A call's token: the caller's, cancelled too when the per-call timeout (on <see cref="TimeProvider"/>) runs out.</summary>
internal sealed class CallDeadline(TimeSpan duration, TimeProvider time, CancellationToken caller) : LinkedTimeout(duration, time, caller)
{
    public LlmTimeoutException TimeoutError(string alias, Exception inner) =>
        new(FormattableString.Invariant($"The call to '{alias}' did not finish within {Duration.TotalSeconds:0.###} s."), inner);
}
