namespace Kait.Sdk.Pipeline;

/// <summary>
/// The request pipeline, built once: <see cref="AccountingStage"/> → <see cref="CacheStage"/> →
/// <see cref="RouteStage"/> → <see cref="ResilienceStage"/> → <see cref="TransportStage"/>, each one file, the same for
/// chat, streams and embeddings. <see cref="Planner"/> decides each call before it enters.
/// </summary>
internal sealed class CallPipeline
{
    private readonly AccountingStage head;

    public CallPipeline(CallPlanner planner, Func<CallStage, AccountingStage> accounting, Func<CallStage, CacheStage> cache, Func<CallStage, ResilienceStage> resilience, TransportStage transport, TimeProvider time)
    {
        Planner = planner;
        Time = time;
        head = accounting(cache(new RouteStage(resilience(transport))));
    }

    public CallPlanner Planner { get; }

    /// <summary>The first stage.</summary>
    public CallStage Head => head;

    public TimeProvider Time { get; }

    /// <summary>Decides a call; a failure to decide it (an alias without a key, say) is booked like any failed call.</summary>
    public LlmCall Plan(ModelAlias alias, Func<CallPlanner, LlmCall> plan)
    {
        try
        {
            return plan(Planner);
        }
        catch (Exception ex) when (ex is KaitException or ArgumentException)
        {
            head.BookUnplanned(alias, ex);
            throw;
        }
    }
}
