using System.Runtime.CompilerServices;

namespace Kait.Sdk.Pipeline;

/// <summary>
/// Route and fallback: the last stage before a request may go upstream, so it reserves the budget first (through the
/// accounting stage's scope); then it calls the decided target, and when that is the LiteLLM proxy and it cannot be
/// reached (no connection: nothing was sent) it switches the call to the provider's bridge
/// (<see cref="LlmCall.TrySwitchToFallback"/>). A stream falls back only before its first chunk.
/// </summary>
internal sealed class RouteStage(CallStage next) : DelegatingCallStage(next)
{
    public override async Task<CallReply> SendAsync(LlmCall call, CancellationToken cancellationToken)
    {
        await ReserveAsync(call, cancellationToken).ConfigureAwait(false);
        try
        {
            return Served(call, await Next.SendAsync(call, cancellationToken).ConfigureAwait(false));
        }
        catch (ProviderUnavailableException ex) when (ex.Unreachable && call.TrySwitchToFallback())
        {
            return Served(call, await Next.SendAsync(call, cancellationToken).ConfigureAwait(false));
        }
    }

    public override async IAsyncEnumerable<CallChunk> StreamAsync(LlmCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await ReserveAsync(call, cancellationToken).ConfigureAwait(false);
        var chunks = Next.StreamAsync(call, cancellationToken).GetAsyncEnumerator(cancellationToken);
        bool more;
        try
        {
            // Only a failure before the first chunk can fall back: nothing has reached the caller yet.
            more = await chunks.MoveNextAsync().ConfigureAwait(false);
        }
        catch (ProviderUnavailableException ex) when (ex.Unreachable && call.TrySwitchToFallback())
        {
            await chunks.DisposeAsync().ConfigureAwait(false);
            chunks = Next.StreamAsync(call, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                more = await chunks.MoveNextAsync().ConfigureAwait(false);
            }
            catch
            {
                await chunks.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch
        {
            await chunks.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await using (chunks.ConfigureAwait(false))
        {
            while (more)
            {
                var chunk = chunks.Current;
                yield return chunk.Final is { } final ? new CallChunk(chunk.Text, Served(call, final)) : chunk;
                more = await chunks.MoveNextAsync().ConfigureAwait(false);
            }
        }
    }

    private static ValueTask ReserveAsync(LlmCall call, CancellationToken cancellationToken) =>
        call.Books?.ReserveAsync(cancellationToken) ?? ValueTask.CompletedTask;

    /// <summary>The reply, marked with the target that served it.</summary>
    private static CallReply Served(LlmCall call, CallReply reply) => reply with
    {
        Route = call.Target.Route,
        Provider = call.Target.Provider,
        Deployment = call.Target.Deployment,
    };
}
