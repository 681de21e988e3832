using System.Runtime.CompilerServices;

namespace Kait.Sdk.Pipeline;

/// <summary>
/// Route and fallback: the last stage before a request may go upstream, so it reserves the budget first (through the
/// accounting stage's scope); then it calls the decided target, and when that is the LiteLLM proxy and it cannot be
/// reached (no connection: nothing was sent) it switches the call to the provider's bridge
/// (<see cref="LlmCall.TrySwitchToFallback"/>). A stream falls back only before its first chunk. The target that
/// served a reply is <see cref="LlmCall.Target"/> afterwards.
/// </summary>
internal sealed class RouteStage(CallStage next) : DelegatingCallStage(next)
{
    public override Task<CallReply> SendAsync(LlmCall call, CancellationToken cancellationToken)
    {
        var reserving = ReserveAsync(call, cancellationToken);

        // No budget to wait for and no fallback to catch: pass the call on without a state machine of this stage's own
        // (benchmarks/README.md: the stack's allocations).
        return reserving.IsCompletedSuccessfully && !call.MayFallBack
            ? Next.SendAsync(call, cancellationToken)
            : SendSlowAsync(reserving, call, cancellationToken);
    }

    private async Task<CallReply> SendSlowAsync(ValueTask reserving, LlmCall call, CancellationToken cancellationToken)
    {
        await reserving.ConfigureAwait(false);
        try
        {
            return await Next.SendAsync(call, cancellationToken).ConfigureAwait(false);
        }
        catch (ProviderUnavailableException ex) when (ex.Unreachable && call.TrySwitchToFallback())
        {
            return await Next.SendAsync(call, cancellationToken).ConfigureAwait(false);
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
                yield return chunk;
                more = await chunks.MoveNextAsync().ConfigureAwait(false);
            }
        }
    }

    private static ValueTask ReserveAsync(LlmCall call, CancellationToken cancellationToken) =>
        call.Books?.ReserveAsync(cancellationToken) ?? ValueTask.CompletedTask;
}
