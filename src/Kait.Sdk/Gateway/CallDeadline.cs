namespace Kait.Sdk;

/// <summary>A call's token: the caller's, cancelled too when the per-call timeout (on <see cref="TimeProvider"/>) runs out.</summary>
internal sealed class CallDeadline : IDisposable
{
    private readonly CancellationTokenSource timeout;
    private readonly CancellationTokenSource linked;
    private readonly CancellationToken caller;

    public CallDeadline(TimeSpan duration, TimeProvider time, CancellationToken caller)
    {
        this.caller = caller;
        Duration = duration;
        timeout = duration == Timeout.InfiniteTimeSpan ? new CancellationTokenSource() : new CancellationTokenSource(duration, time);
        linked = CancellationTokenSource.CreateLinkedTokenSource(caller, timeout.Token);
    }

    public TimeSpan Duration { get; }

    public CancellationToken Token => linked.Token;

    /// <summary>True when the timeout, not the caller, cancelled.</summary>
    public bool Expired => timeout.IsCancellationRequested && !caller.IsCancellationRequested;

    public LlmTimeoutException TimeoutError(string alias, Exception inner) =>
        new(FormattableString.Invariant($"The call to '{alias}' did not finish within {Duration.TotalSeconds:0.###} s."), inner);

    public void Dispose()
    {
        linked.Dispose();
        timeout.Dispose();
    }
}
