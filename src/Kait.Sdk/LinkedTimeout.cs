namespace Kait.Sdk;

/// <summary>
/// A token that is the caller's, cancelled too when <see cref="Duration"/> runs out on the injected clock: one
/// <see cref="CancellationTokenSource"/> per scope (linked to the caller's token only when that one can be cancelled),
/// and the system clock's own timer when the clock is <see cref="TimeProvider.System"/>.
/// </summary>
internal abstract class LinkedTimeout : IDisposable
{
    private readonly CancellationTokenSource source;
    private readonly CancellationToken caller;
    private readonly ITimer? timer;

    protected LinkedTimeout(TimeSpan duration, TimeProvider time, CancellationToken caller)
    {
        this.caller = caller;
        Duration = duration;
        source = caller.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(caller) : new CancellationTokenSource();
        if (duration == Timeout.InfiniteTimeSpan || duration <= TimeSpan.Zero)
        {
            return;
        }

        if (ReferenceEquals(time, TimeProvider.System))
        {
            source.CancelAfter(duration);
        }
        else
        {
            timer = time.CreateTimer(static state => ((LinkedTimeout)state!).Fire(), this, duration, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>How long the scope may last.</summary>
    public TimeSpan Duration { get; }

    /// <summary>The caller's token, also cancelled when the time runs out.</summary>
    public CancellationToken Token => source.Token;

    /// <summary>True when the time ran out (the caller did not cancel).</summary>
    public bool Expired => source.IsCancellationRequested && !caller.IsCancellationRequested;

    /// <summary>The time no longer applies (the caller's token still does).</summary>
    public void StopTimer()
    {
        if (timer is null)
        {
            TryStop();
        }
        else
        {
            timer.Dispose();
        }
    }

    public void Dispose()
    {
        timer?.Dispose();
        source.Dispose();
        GC.SuppressFinalize(this);
    }

    private void TryStop()
    {
        try
        {
            source.CancelAfter(Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Already over.
        }
    }

    private void Fire()
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The scope ended as the timer fired.
        }
    }
}
