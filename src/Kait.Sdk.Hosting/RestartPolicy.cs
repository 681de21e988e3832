namespace Kait.Sdk.Hosting;

/// <summary>Bounded exponential backoff: at most N restarts within a sliding window, delays doubling up to a cap.</summary>
internal sealed class RestartPolicy(TimeSpan initialDelay, TimeSpan maxDelay, int maxRestarts, TimeSpan window, TimeProvider time)
{
    private readonly Queue<DateTimeOffset> restarts = new();

    /// <summary>Restarts counted in the current window.</summary>
    public int RestartsInWindow
    {
        get
        {
            Prune(time.GetUtcNow());
            return restarts.Count;
        }
    }

    /// <summary>Records a restart and gives its delay, or <see langword="false"/> when the budget is spent.</summary>
    public bool TryNext(out TimeSpan delay)
    {
        var now = time.GetUtcNow();
        Prune(now);
        if (restarts.Count >= maxRestarts)
        {
            delay = TimeSpan.Zero;
            return false;
        }

        var exponent = Math.Min(restarts.Count, 30);
        var ticks = initialDelay.Ticks * Math.Pow(2, exponent);
        delay = ticks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)ticks);
        restarts.Enqueue(now);
        return true;
    }

    private void Prune(DateTimeOffset now)
    {
        while (restarts.Count > 0 && now - restarts.Peek() >= window)
        {
            restarts.Dequeue();
        }
    }
}
