using Kait.Sdk.Routing;

namespace Kait.Sdk.Transport;

/// <summary>One chat call as a transport sees it.</summary>
/// <param name="Alias">The alias (the proxy is called with its name).</param>
/// <param name="Messages">The chat.</param>
/// <param name="Options">Per-call options.</param>
/// <param name="Direct">For a direct bridge: where it goes and with which key; null on the proxy route.</param>
internal sealed record ChatCall(ModelAlias Alias, IReadOnlyList<LlmMessage> Messages, LlmCallOptions Options, DirectTarget? Direct);

/// <summary>A streamed piece: text, or (last) the whole result.</summary>
internal readonly record struct TransportChunk(string Text, TransportResult? Final);
