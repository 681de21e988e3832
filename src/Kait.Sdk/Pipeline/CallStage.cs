namespace Kait.Sdk.Pipeline;

/// <summary>
/// One stage of the request pipeline. Every call, whatever its kind (chat, stream, embeddings), passes the same
/// stages in the same order: accounting → cache → route and fallback → resilience → transport (see
/// <see cref="CallPipeline"/>). A whole reply (chat, embeddings) goes through <see cref="SendAsync"/>, a stream through
/// <see cref="StreamAsync"/>.
/// </summary>
internal abstract class CallStage
{
    /// <summary>A whole reply.</summary>
    public abstract Task<CallReply> SendAsync(LlmCall call, CancellationToken cancellationToken);

    /// <summary>A streamed reply: text chunks, then one chunk with the whole reply.</summary>
    public abstract IAsyncEnumerable<CallChunk> StreamAsync(LlmCall call, CancellationToken cancellationToken);
}

/// <summary>A stage that wraps the next one (Microsoft.Extensions.AI's <c>DelegatingChatClient</c>, for calls): by
/// default it passes the call on unchanged.</summary>
internal abstract class DelegatingCallStage(CallStage next) : CallStage
{
    /// <summary>The stage this one wraps.</summary>
    protected CallStage Next { get; } = next;

    /// <inheritdoc />
    public override Task<CallReply> SendAsync(LlmCall call, CancellationToken cancellationToken) => Next.SendAsync(call, cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<CallChunk> StreamAsync(LlmCall call, CancellationToken cancellationToken) => Next.StreamAsync(call, cancellationToken);
}
