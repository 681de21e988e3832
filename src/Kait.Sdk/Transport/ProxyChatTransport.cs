using System.Runtime.CompilerServices;
using Kait.Sdk.Translation;
using Microsoft.Extensions.Options;

namespace Kait.Sdk.Transport;

/// <summary>Chat through the LiteLLM proxy: the alias is the model; the master key (or a virtual key) is the Bearer.</summary>
internal sealed class ProxyChatTransport(IHttpClientFactory factory, IOptions<KaitOptions> options, TimeProvider time) : IChatTransport
{
    private const string Origin = "LiteLLM proxy";

    private readonly RefitClientCache<ILiteLlmProxyApi> clients = new(factory, KaitHttpClients.LiteLlm, time);

    public async Task<TransportResult> SendAsync(ChatCall call, CancellationToken cancellationToken)
    {
        var key = Key(call);
        var response = await PostAsync(call, key, stream: false, cancellationToken).ConfigureAwait(false);
        return await OpenAIWire.ReadAsync(response, Origin, time, key, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<TransportChunk> StreamAsync(ChatCall call, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = Key(call);
        var response = await PostAsync(call, key, stream: true, cancellationToken).ConfigureAwait(false);
        await foreach (var chunk in OpenAIWire.StreamAsync(response, Origin, time, key, cancellationToken).ConfigureAwait(false))
        {
            yield return chunk;
        }
    }

    internal static string? Bearer(string? key) => key is null ? null : "Bearer " + key;

    /// <summary>The call's credential: its virtual key, else the master key.</summary>
    private string? Key(ChatCall call) => string.IsNullOrEmpty(call.Options.VirtualKey) ? options.Value.Proxy.MasterKey : call.Options.VirtualKey;

    /// <summary>Posts the request (no state machine of its own: the caller awaits the exchange).</summary>
    private Task<HttpResponseMessage> PostAsync(ChatCall call, string? key, bool stream, CancellationToken cancellationToken)
    {
        var baseUrl = options.Value.Proxy.BaseUrl;
        var api = clients.Get(baseUrl);
        var request = OpenAITranslator.ToRequest(call.Alias.Name, call.Messages, call.Options, stream, includeMetadata: true);
        var headers = HttpExchange.ExtraHeaders(call.Options);
        return HttpExchange.SendAsync(api.ChatCompletionsAsync(request, BearerOf(key), headers, cancellationToken), Origin, baseUrl, cancellationToken);
    }

    /// <summary>The Authorization value; the master key's is made once (the options hold that key for the process's
    /// life anyway), a virtual key's per call.</summary>
    private string? BearerOf(string? key)
    {
        var made = masterBearer;
        if (made is not null && ReferenceEquals(made.Key, key))
        {
            return made.Value;
        }

        var value = Bearer(key);
        if (key is not null && ReferenceEquals(key, options.Value.Proxy.MasterKey))
        {
            masterBearer = new MadeBearer(key, value!);
        }

        return value;
    }

    private MadeBearer? masterBearer;

    private sealed record MadeBearer(string Key, string Value);
}
