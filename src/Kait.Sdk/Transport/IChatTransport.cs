namespace Kait.Sdk.Transport;

/// <summary>
/// One route's wire call. The gateway resolves the route, then calls the transport of <see cref="ChatTransports"/>;
/// this is the seam where a resilience pipeline or a response cache wraps the call (a decorator implementing this
/// interface around the one it replaces).
/// </summary>
internal interface IChatTransport
{
    /// <summary>A whole reply. Throws a <see cref="KaitException"/>; <see cref="ProviderUnavailableException.Unreachable"/>
    /// when no response came.</summary>
    Task<TransportResult> SendAsync(ChatCall call, CancellationToken cancellationToken);

    /// <summary>A streamed reply; the last chunk carries the result.</summary>
    IAsyncEnumerable<TransportChunk> StreamAsync(ChatCall call, CancellationToken cancellationToken);
}

/// <summary>The transport of each route. Replace this registration to decorate them.</summary>
/// <param name="Proxy">The LiteLLM proxy.</param>
/// <param name="Anthropic">Anthropic's bridge.</param>
/// <param name="OpenAI">OpenAI's bridge.</param>
internal sealed record ChatTransports(IChatTransport Proxy, IChatTransport Anthropic, IChatTransport OpenAI);
