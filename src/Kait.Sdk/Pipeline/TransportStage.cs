using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Kait.Sdk.Transport;

namespace Kait.Sdk.Pipeline;

/// <summary>
/// The last stage: sends the call's request bytes, as they are (with <c>Content-Length</c>), to its target through
/// that API's Refit client, with the credential in that API's header only, and reads the reply. The clients' handlers
/// (see <c>AddKaitSdk</c>) add the <c>User-Agent</c>, follow no redirect and redact keys from their logs.
/// </summary>
internal sealed class TransportStage(IHttpClientFactory factory, TimeProvider time, WireLimits limits) : CallStage
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    private readonly RefitClientCache<ILiteLlmProxyApi> proxy = new(factory, KaitHttpClients.LiteLlm, time);
    private readonly RefitClientCache<IOpenAIApi> openAI = new(factory, KaitHttpClients.OpenAI, time);
    private readonly RefitClientCache<IAnthropicApi> anthropic = new(factory, KaitHttpClients.Anthropic, time);

    public override async Task<CallReply> SendAsync(LlmCall call, CancellationToken cancellationToken)
    {
        var target = call.Target;
        var response = await PostAsync(call, cancellationToken).ConfigureAwait(false);
        return target.Api switch
        {
            WireApi.Anthropic => await AnthropicWire.ReadAsync(response, target.StructuredTool, limits, time, target.Credential, cancellationToken).ConfigureAwait(false),
            _ when call.Kind == CallKind.Embeddings => await OpenAIWire.ReadEmbeddingsAsync(response, target.Upstream, limits, time, target.Credential, cancellationToken).ConfigureAwait(false),
            _ => await OpenAIWire.ReadAsync(response, target.Upstream, limits, time, target.Credential, cancellationToken).ConfigureAwait(false),
        };
    }

    public override async IAsyncEnumerable<CallChunk> StreamAsync(LlmCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var target = call.Target;
        var response = await PostAsync(call, cancellationToken).ConfigureAwait(false);
        var chunks = target.Api == WireApi.Anthropic
            ? AnthropicWire.StreamAsync(response, target.StructuredTool, limits, time, target.Credential, cancellationToken)
            : OpenAIWire.StreamAsync(response, target.Upstream, limits, time, target.Credential, cancellationToken);
        await foreach (var chunk in chunks.ConfigureAwait(false))
        {
            yield return chunk;
        }
    }

    private Task<HttpResponseMessage> PostAsync(LlmCall call, CancellationToken cancellationToken)
    {
        var target = call.Target;
        var body = new ReadOnlyMemoryContent(target.Body);
        body.Headers.ContentType = Json;
        var embeddings = call.Kind == CallKind.Embeddings;
        var sending = target.Api switch
        {
            WireApi.Proxy => embeddings
                ? proxy.Get(target.BaseUrl).EmbeddingsAsync(body, Bearer(target.Credential), target.Headers, cancellationToken)
                : proxy.Get(target.BaseUrl).ChatCompletionsAsync(body, Bearer(target.Credential), target.Headers, cancellationToken),
            WireApi.OpenAI => embeddings
                ? openAI.Get(target.BaseUrl).EmbeddingsAsync(body, Bearer(target.Credential), target.Headers, cancellationToken)
                : openAI.Get(target.BaseUrl).ChatCompletionsAsync(body, Bearer(target.Credential), target.Headers, cancellationToken),
            _ => anthropic.Get(target.BaseUrl).MessagesAsync(body, target.Credential, target.Headers, cancellationToken),
        };
        return HttpExchange.SendAsync(sending, target.Upstream, target.BaseUrl, cancellationToken);
    }

    /// <summary>The <c>Authorization</c> value of a key.</summary>
    internal static string? Bearer(string? key) => key is null ? null : "Bearer " + key;
}
