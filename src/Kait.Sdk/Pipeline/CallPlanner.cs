using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Kait.Sdk.Routing;
using Kait.Sdk.Translation;
using Kait.Sdk.Transport;
using Kait.Sdk.Transport.Dtos;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kait.Sdk.Pipeline;

/// <summary>
/// Decides a call once: the route (the proxy when <c>KAIT_LITELLM_ENABLED</c>, else the provider's bridge), the base
/// URL, the credential (a virtual key, else the master key, for the proxy; the provider key for a bridge) and the wire
/// request, serialized to the bytes that are sent. The fallback target (a bridge when the proxy cannot be reached) is
/// decided the same way, when it is needed.
/// </summary>
/// <remarks>
/// The cache key hashes the request bytes, less the fields that only say how the answer is delivered, so that a chat
/// reply can serve a stream and the reverse:
/// <list type="bullet">
/// <item><c>stream</c>: one body or server-sent events, the same answer;</item>
/// <item><c>stream_options</c>: Kait always asks for the usage chunk of a stream;</item>
/// <item><c>cache</c> (LiteLLM's controls): they tell the proxy's own cache what to do; Kait's cache honours the same
/// controls itself, and <see cref="LlmCacheControl.Namespace"/> prefixes the key.</item>
/// </list>
/// Every other field, a future one included, is in the key without key code.
/// <para>What each wire gets, per model (<see cref="ModelCapabilityCatalog"/>, <see cref="AnthropicParameterRules"/>):
/// the proxy gets <c>max_tokens</c> (LiteLLM's input, which it maps per provider, to <c>max_completion_tokens</c> for
/// OpenAI's reasoning models); the OpenAI bridge <c>max_completion_tokens</c> (OpenAI's reasoning models answer 400 to
/// <c>max_tokens</c>); the Anthropic bridge <c>anthropic-version</c> from <see cref="KaitOptions.AnthropicVersion"/> (in
/// the key: it is a header the server reads), sampling only as that version and Claude allow, and native structured
/// output where the model supports it.</para>
/// </remarks>
internal sealed partial class CallPlanner(IOptions<KaitOptions> options, DirectRouteResolver resolver, ILogger<CallPlanner> logger, ModelCapabilityCatalog? capabilities = null)
{
    private readonly ModelCapabilityCatalog capabilities = capabilities ?? ModelCapabilityCatalog.ConfigOnly;

    private const string ProxyUpstream = "LiteLLM proxy";
    private const string AnthropicVersionHeader = "anthropic-version";

    private KaitOptions Settings => options.Value;

    /// <summary>A chat call (<paramref name="stream"/>: streamed).</summary>
    public LlmCall Chat(ModelAlias alias, IReadOnlyList<LlmMessage> messages, LlmCallOptions callOptions, bool stream)
    {
        var kind = stream ? CallKind.Stream : CallKind.Chat;
        ProxyExtensions.Tags(callOptions); // checked on every route: they are booked in the ledger
        var target = Settings.Proxy.Enabled
            ? ProxyChat(alias, messages, callOptions, stream)
            : DirectChat(alias, resolver.Resolve(alias), messages, callOptions, stream);
        return new LlmCall(kind, alias, callOptions, target, Settings.Proxy.Enabled ? FallbackChat : null) { Messages = messages };
    }

    /// <summary>An embeddings call.</summary>
    public LlmCall Embeddings(ModelAlias alias, IReadOnlyList<string> inputs, LlmCallOptions callOptions)
    {
        ProxyExtensions.Tags(callOptions);
        var target = Settings.Proxy.Enabled
            ? ProxyEmbeddings(alias, inputs, callOptions)
            : DirectEmbeddings(alias, resolver.Resolve(alias), inputs, callOptions);
        return new LlmCall(CallKind.Embeddings, alias, callOptions, target, Settings.Proxy.Enabled ? FallbackEmbeddings : null) { Inputs = inputs };
    }

    private CallTarget ProxyChat(ModelAlias alias, IReadOnlyList<LlmMessage> messages, LlmCallOptions callOptions, bool stream)
    {
        capabilities.CheckReasoning(callOptions, alias.Deployments, alias.Name);
        if (alias.Deployments.Any(d => string.Equals(d.Provider, "anthropic", StringComparison.OrdinalIgnoreCase)))
        {
            AnthropicParameterRules.CheckSampling(callOptions, apiVersion: null, alias.Name);
        }

        var request = OpenAITranslator.ToRequest(alias.Name, messages, callOptions, stream: false, includeMetadata: true);
        var cache = request.Cache;
        request.Cache = null;
        var keyBody = Serialize(request, KaitJsonContext.Default.OpenAIChatRequest);
        var body = keyBody;
        if (stream || cache is not null)
        {
            // The delivery fields (see the remarks): sent, not hashed.
            request.Cache = cache;
            request.Stream = stream ? true : null;
            request.StreamOptions = stream ? new OpenAIStreamOptions { IncludeUsage = true } : null;
            body = Serialize(request, KaitJsonContext.Default.OpenAIChatRequest);
        }

        return ProxyTarget(alias, callOptions, body, keyBody);
    }

    private CallTarget ProxyEmbeddings(ModelAlias alias, IReadOnlyList<string> inputs, LlmCallOptions callOptions)
    {
        var body = Serialize(new OpenAIEmbeddingRequest { Model = alias.Name, Input = inputs, User = callOptions.User }, KaitJsonContext.Default.OpenAIEmbeddingRequest);
        return ProxyTarget(alias, callOptions, body, body);
    }

    private CallTarget ProxyTarget(ModelAlias alias, LlmCallOptions callOptions, byte[] body, byte[] keyBody)
    {
        var deployment = alias.Deployments.Count > 0 ? alias.Deployments[0] : null;
        return new CallTarget
        {
            Route = LlmRoute.Proxy,
            Api = WireApi.Proxy,
            Upstream = ProxyUpstream,
            BaseUrl = Settings.Proxy.BaseUrl,
            Credential = string.IsNullOrEmpty(callOptions.VirtualKey) ? Settings.Proxy.MasterKey : callOptions.VirtualKey,
            Provider = deployment?.Provider,
            Deployment = deployment,
            Body = RawFields.Merge(body, callOptions.ExtraBody),
            KeyBody = RawFields.Merge(keyBody, callOptions.ExtraBody),
            Headers = HttpExchange.ExtraHeaders(callOptions),
        };
    }

    private CallTarget DirectChat(ModelAlias alias, DirectTarget direct, IReadOnlyList<LlmMessage> messages, LlmCallOptions callOptions, bool stream)
    {
        byte[] body, keyBody;
        string? structured = null;
        var headers = HttpExchange.ExtraHeaders(callOptions);
        capabilities.CheckReasoning(callOptions, direct.Deployment, alias.Name);
        if (direct.Bridge == DirectBridge.Anthropic)
        {
            // A caller's own anthropic-version header (ExtraHeaders) wins over the setting, for the rules too.
            var version = headers.TryGetValue(AnthropicVersionHeader, out var own) ? own : Settings.AnthropicVersion;
            AnthropicParameterRules.CheckSampling(callOptions, version, alias.Name);
            var native = AnthropicParameterRules.UsesNativeStructuredOutput(callOptions, capabilities.For(direct.Deployment));
            var shaped = native ? callOptions with { ResponseFormat = null } : callOptions;
            AnthropicParameterRules.CheckThinking(shaped, alias.Name);
            var request = AnthropicTranslator.ToRequest(direct.Deployment.ProviderModel, messages, shaped, Settings.AnthropicDefaultMaxTokens, stream: false);
            request.OutputConfig = native ? AnthropicParameterRules.OutputConfig(callOptions.ResponseFormat!) : null;
            keyBody = body = Serialize(request, KaitJsonContext.Default.AnthropicMessagesRequest);
            if (stream)
            {
                request.Stream = true;
                body = Serialize(request, KaitJsonContext.Default.AnthropicMessagesRequest);
            }

            structured = AnthropicRequestShapes.StructuredToolName(shaped);

            // The version is a header the server reads (so in the key).
            if (own is null)
            {
                headers = new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase) { [AnthropicVersionHeader] = version };
            }
        }
        else
        {
            var request = OpenAITranslator.ToRequest(direct.Deployment.ProviderModel, messages, callOptions, stream: false, includeMetadata: false);

            // OpenAI's own name for the limit: its reasoning models (o-series, gpt-5) answer 400 to max_tokens.
            (request.MaxCompletionTokens, request.MaxTokens) = (request.MaxTokens, null);
            keyBody = body = Serialize(request, KaitJsonContext.Default.OpenAIChatRequest);
            if (stream)
            {
                request.Stream = true;
                request.StreamOptions = new OpenAIStreamOptions { IncludeUsage = true };
                body = Serialize(request, KaitJsonContext.Default.OpenAIChatRequest);
            }
        }

        return DirectTarget(direct, callOptions, headers, body, keyBody, structured);
    }

    private static CallTarget DirectEmbeddings(ModelAlias alias, DirectTarget direct, IReadOnlyList<string> inputs, LlmCallOptions callOptions)
    {
        if (direct.Bridge != DirectBridge.OpenAI)
        {
            throw new NoDirectRouteException($"'{alias.Name}' is served by {direct.Provider}, which has no embeddings bridge; use the LiteLLM proxy.")
            {
                Provider = direct.Provider,
            };
        }

        var body = Serialize(new OpenAIEmbeddingRequest { Model = direct.Deployment.ProviderModel, Input = inputs, User = callOptions.User }, KaitJsonContext.Default.OpenAIEmbeddingRequest);
        return DirectTarget(direct, callOptions, HttpExchange.ExtraHeaders(callOptions), body, body, null);
    }

    private static CallTarget DirectTarget(DirectTarget direct, LlmCallOptions callOptions, IDictionary<string, string> headers, byte[] body, byte[] keyBody, string? structured) => new()
    {
        Route = LlmRoute.Direct,
        Api = direct.Bridge == DirectBridge.Anthropic ? WireApi.Anthropic : WireApi.OpenAI,
        Upstream = direct.Provider,
        BaseUrl = direct.BaseUrl,
        Credential = direct.ApiKey,
        Provider = direct.Provider,
        Deployment = direct.Deployment,
        Body = RawFields.Merge(body, callOptions.ExtraBody),
        KeyBody = RawFields.Merge(keyBody, callOptions.ExtraBody),
        Headers = headers,
        StructuredTool = structured,
    };

    private CallTarget? FallbackChat(LlmCall call) =>
        FallbackDirect(call) is { } direct ? DirectChat(call.Alias, direct, call.Messages, call.Options, call.Kind == CallKind.Stream) : null;

    private CallTarget? FallbackEmbeddings(LlmCall call) =>
        FallbackDirect(call) is { Bridge: DirectBridge.OpenAI } direct ? DirectEmbeddings(call.Alias, direct, call.Inputs, call.Options) : null;

    /// <summary>The bridge to call when the proxy cannot be reached (<c>KAIT_LITELLM_FALLBACK</c>), logged either way.</summary>
    private DirectTarget? FallbackDirect(LlmCall call)
    {
        if (!Settings.Proxy.Fallback)
        {
            return null;
        }

        var target = resolver.TryResolve(call.Alias, out var why);
        if (target is null)
        {
            LogNoFallback(logger, Settings.Proxy.BaseUrl, call.Alias.Name, why?.Message ?? string.Empty);
            return null;
        }

        LogFallback(logger, Settings.Proxy.BaseUrl, call.Alias.Name, target.Provider);
        return target;
    }

    private static byte[] Serialize<T>(T request, JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(request, type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The LiteLLM proxy at {ProxyUrl} is unreachable; calling '{Alias}' directly at {Provider} instead")]
    private static partial void LogFallback(ILogger logger, Uri proxyUrl, string alias, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The LiteLLM proxy at {ProxyUrl} is unreachable and '{Alias}' cannot be called directly: {Reason}")]
    private static partial void LogNoFallback(ILogger logger, Uri proxyUrl, string alias, string reason);
}
