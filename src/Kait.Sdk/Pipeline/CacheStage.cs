using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Kait.Sdk.Caching;

namespace Kait.Sdk.Pipeline;

/// <summary>
/// The response cache as a stage. The key is the request itself (<see cref="CacheKeys"/>); an entry is the whole reply
/// (<see cref="CachedResponse"/>), so a hit is the same answer as the call that stored it, for chat, streams (replayed
/// word by word) and embeddings alike. Identical calls in flight at once — chat or stream — make one upstream call:
/// the others wait for it and are served its answer as hits. Errors are never cached.
/// </summary>
internal sealed class CacheStage(CallStage next, ResponseCache cache, TimeProvider time) : DelegatingCallStage(next)
{
    /// <summary>Calls in flight by key: the first caller of a key calls upstream, later identical ones wait for it.</summary>
    private readonly ConcurrentDictionary<string, Flight> flights = new(StringComparer.Ordinal);

    public override Task<CallReply> SendAsync(LlmCall call, CancellationToken cancellationToken) =>
        Uses(call) ? CachedAsync(call, cancellationToken) : Next.SendAsync(call, cancellationToken);

    private async Task<CallReply> CachedAsync(LlmCall call, CancellationToken cancellationToken)
    {
        var key = cache.Keys.For(call);
        while (true)
        {
            var (hit, flight) = await LookUpAsync(call, key, cancellationToken).ConfigureAwait(false);
            if (hit is not null)
            {
                return hit.ToReply();
            }

            if (flight is null)
            {
                continue; // the call this one waited for was given up by its caller: look again
            }

            try
            {
                var reply = await Next.SendAsync(call, cancellationToken).ConfigureAwait(false);
                await CompleteAsync(call, key, flight, reply, cancellationToken).ConfigureAwait(false);
                return reply;
            }
            catch (Exception ex)
            {
                Abandon(key, flight, ex);
                throw;
            }
        }
    }

    public override IAsyncEnumerable<CallChunk> StreamAsync(LlmCall call, CancellationToken cancellationToken) =>
        Uses(call) ? CachedStreamAsync(call, cancellationToken) : Next.StreamAsync(call, cancellationToken);

    private async IAsyncEnumerable<CallChunk> CachedStreamAsync(LlmCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = cache.Keys.For(call);
        Flight? flight = null;
        while (flight is null)
        {
            (var hit, flight) = await LookUpAsync(call, key, cancellationToken).ConfigureAwait(false);
            if (hit is not null)
            {
                if (hit.Reasoning is { Length: > 0 } reasoning)
                {
                    yield return new CallChunk(string.Empty, null, reasoning);
                }

                foreach (var block in hit.ReasoningBlocks ?? [])
                {
                    yield return new CallChunk(string.Empty, null, null, new LlmReasoningBlock(block.Text, block.Signature) { RedactedData = block.RedactedData });
                }

                foreach (var piece in Replay(hit.Text))
                {
                    yield return new CallChunk(piece, null);
                }

                yield return new CallChunk(string.Empty, hit.ToReply());
                yield break;
            }
        }

        // This caller streams upstream; identical callers meanwhile wait for its whole reply.
        var completed = false;
        var chunks = Next.StreamAsync(call, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await chunks.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception ex)
                {
                    Abandon(key, flight, ex);
                    throw;
                }

                var chunk = chunks.Current;
                if (chunk.Final is { } final)
                {
                    await CompleteAsync(call, key, flight, final, cancellationToken).ConfigureAwait(false);
                    completed = true;
                }

                yield return chunk;
            }
        }
        finally
        {
            if (!completed)
            {
                // The reader stopped early (or the stream ended without a reply): the waiting callers call themselves.
                Abandon(key, flight, new OperationCanceledException("The stream this call waited for was given up."));
            }

            await chunks.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Neither read nor written (<c>no-cache</c> and <c>no-store</c>, or the cache off): the stage stands aside.</summary>
    private bool Uses(LlmCall call) => cache.Enabled && call.Options.Cache is not { NoCache: true, NoStore: true };

    /// <summary>A stored answer; else the answer of an identical call in flight; else this caller's own flight (it
    /// must call upstream). (null, null): the call waited for was given up, look again.</summary>
    private async Task<(CachedResponse? Hit, Flight? Own)> LookUpAsync(LlmCall call, string key, CancellationToken cancellationToken)
    {
        var control = call.Options.Cache;
        var read = !(control?.NoCache ?? false);
        if (read && await cache.TryGetAsync(key, control, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            return (stored, null);
        }

        var mine = new Flight();
        if (!read)
        {
            return (null, mine); // no-cache: never served another caller's answer, nor waited for one
        }

        var current = flights.GetOrAdd(key, mine);
        if (ReferenceEquals(current, mine))
        {
            return (null, mine);
        }

        try
        {
            return (await current.Answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, null);
        }
    }

    private async Task CompleteAsync(LlmCall call, string key, Flight flight, CallReply reply, CancellationToken cancellationToken)
    {
        var entry = CachedResponse.From(key, reply, call.Target, time.GetUtcNow());
        try
        {
            if (!(call.Options.Cache?.NoStore ?? false))
            {
                await cache.StoreAsync(key, call.Options.Cache, entry, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            flights.TryRemove(new KeyValuePair<string, Flight>(key, flight));
            flight.Answer.TrySetResult(entry);
        }
    }

    private void Abandon(string key, Flight flight, Exception error)
    {
        flights.TryRemove(new KeyValuePair<string, Flight>(key, flight));
        if (error is OperationCanceledException)
        {
            flight.Answer.TrySetCanceled();
        }
        else
        {
            flight.Answer.TrySetException(error);
            _ = flight.Answer.Task.Exception; // observed: no caller may be waiting
        }
    }

    /// <summary>A cached text replayed as the chunks of a stream (word by word).</summary>
    private static IEnumerable<string> Replay(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]) && i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]))
            {
                yield return text[start..(i + 1)];
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }

    /// <summary>One upstream call that identical callers wait for.</summary>
    private sealed class Flight
    {
        public TaskCompletionSource<CachedResponse> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
