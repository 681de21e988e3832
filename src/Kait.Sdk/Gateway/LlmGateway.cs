using System.Runtime.CompilerServices;
using Kait.Sdk.Caching;
using Kait.Sdk.Config;
using Kait.Sdk.Routing;
using Kait.Sdk.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kait.Sdk;

/// <summary>
/// The runtime heart: resolves an alias, picks the route (the LiteLLM proxy when <c>KAIT_LITELLM_ENABLED</c>, else the
/// provider's direct bridge; the bridge as a fallback when the proxy cannot be reached), calls it and returns one
/// <see cref="LlmResult"/> shape whatever the route. Get it from DI (<c>services.AddKaitSdk(configuration)</c>).
/// </summary>
public sealed partial class LlmGateway : ILlmGateway
{
    private readonly ChatTransports transports;
    private readonly DirectRouteResolver resolver;
    private readonly KaitOptions settings;
    private readonly CallAccounting accounting;
    private readonly TimeProvider time;
    private readonly ResponseCache cache;
    private readonly ILogger<LlmGateway> logger;
    private ModelAlias? claude;
    private ModelAlias? openAI;

    internal LlmGateway(ChatTransports transports, DirectRouteResolver resolver, IModelCatalog catalog, IOptions<KaitOptions> options, CallAccounting accounting, TimeProvider time, ResponseCache cache, ILogger<LlmGateway> logger)
    {
        this.cache = cache;
        this.transports = transports;
        this.resolver = resolver;
        Catalog = catalog;
        settings = options.Value;
        this.accounting = accounting;
        this.time = time;
        this.logger = logger;

        // A variable that is set is checked now; a default when first used.
        if (settings.ClaudeModel is not null)
        {
            claude = ResolveConfigured(settings.ClaudeModel, KaitEnvironmentVariables.ClaudeModel);
        }

        if (settings.OpenAIModel is not null)
        {
            openAI = ResolveConfigured(settings.OpenAIModel, KaitEnvironmentVariables.OpenAIModel);
        }
    }

    /// <inheritdoc />
    public IModelCatalog Catalog { get; }

    /// <inheritdoc />
    public ModelAlias Claude => claude ??= ResolveConfigured(settings.EffectiveClaudeModel, KaitEnvironmentVariables.ClaudeModel);

    /// <inheritdoc />
    public ModelAlias OpenAI => openAI ??= ResolveConfigured(settings.EffectiveOpenAIModel, KaitEnvironmentVariables.OpenAIModel);

    /// <inheritdoc />
    public Task<LlmResult> ChatAsync([ModelAliasName] string aliasName, IReadOnlyList<LlmMessage> messages, LlmCallOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatAsync(Catalog.Resolve(aliasName), messages, options, cancellationToken);

    /// <inheritdoc />
    public async Task<LlmResult> ChatAsync(ModelAlias modelAlias, IReadOnlyList<LlmMessage> messages, LlmCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (effective, callOptions) = Prepare(modelAlias, messages, options);
        using var scope = accounting.Begin(effective);
        try
        {
            var result = await ChatCoreAsync(effective, messages, callOptions, scope, cancellationToken).ConfigureAwait(false);
            scope.Succeeded(result); // one ledger row per call, a cache hit included (0 USD, CostSource.Cache)
            return result;
        }
        catch (Exception ex)
        {
            scope.Failed(ex);
            throw;
        }
    }

    private async Task<LlmResult> ChatCoreAsync(ModelAlias effective, IReadOnlyList<LlmMessage> messages, LlmCallOptions callOptions, CallAccounting.CallScope scope, CancellationToken cancellationToken)
    {
        using var deadline = new CallDeadline(callOptions.Timeout ?? settings.Resilience.RequestTimeout, time, cancellationToken);
        try
        {
            if (!cache.Enabled || callOptions.Cache is { NoCache: true, NoStore: true })
            {
                // No cache, or one the call neither reads nor writes: no key to compute.
                await scope.ReserveAsync(messages, callOptions, deadline.Token).ConfigureAwait(false);
                return await CallAsync(effective, messages, callOptions, deadline).ConfigureAwait(false);
            }

            return await CachedCallAsync(effective, messages, callOptions, scope, deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (deadline.Expired)
        {
            throw deadline.TimeoutError(effective.Name, ex);
        }
    }

    /// <summary>A call through the response cache (its own method: the factory's closure is made only here).</summary>
    private async Task<LlmResult> CachedCallAsync(ModelAlias effective, IReadOnlyList<LlmMessage> messages, LlmCallOptions callOptions, CallAccounting.CallScope scope, CallDeadline deadline)
    {
        var (route, key) = CacheKey(effective, messages, callOptions);
        LlmResult? fresh = null;
        var (response, hit) = await cache.GetOrCallAsync(
            key,
            callOptions.Cache,
            async _ =>
            {
                // The budget is checked after the cache lookup missed (a hit costs nothing), before any upstream call.
                await scope.ReserveAsync(messages, callOptions, deadline.Token).ConfigureAwait(false);
                fresh = await CallAsync(effective, messages, callOptions, deadline).ConfigureAwait(false);
                return CachedResponse.From(fresh, time.GetUtcNow());
            },
            deadline.Token).ConfigureAwait(false);

        return hit || fresh is null ? response.ToHit(effective.Name, route) : fresh;
    }

    private async Task<LlmResult> CallAsync(ModelAlias effective, IReadOnlyList<LlmMessage> messages, LlmCallOptions callOptions, CallDeadline deadline)
    {
        if (!settings.Proxy.Enabled)
        {
            return await SendDirectAsync(effective, resolver.Resolve(effective), messages, callOptions, deadline.Token).ConfigureAwait(false);
        }

        try
        {
            LogCall(logger, effective.Name, "proxy");
            var result = await transports.Proxy.SendAsync(new ChatCall(effective, messages, callOptions, null), deadline.Token).ConfigureAwait(false);
            return Complete(effective, result, LlmRoute.Proxy, null);
        }
        catch (ProviderUnavailableException ex) when (ex.Unreachable && FallbackTarget(effective, ex) is { } direct)
        {
            var result = await SendDirectAsync(effective, direct, messages, callOptions, deadline.Token).ConfigureAwait(false);
            return result with { Attempts = result.Attempts + AttemptsOf(ex) };
        }
    }

    /// <summary>The route the call would take and its cache key (the credential enters it only behind the install's salt).</summary>
    private (LlmRoute Route, string Key) CacheKey(ModelAlias alias, IReadOnlyList<LlmMessage> messages, LlmCallOptions options)
    {
        if (settings.Proxy.Enabled)
        {
            var credential = string.IsNullOrEmpty(options.VirtualKey) ? settings.Proxy.MasterKey : options.VirtualKey;
            return (LlmRoute.Proxy, cache.Keys.For(alias, LlmRoute.Proxy, settings.Proxy.BaseUrl, null, credential, messages, options, settings.AnthropicDefaultMaxTokens));
        }

        var direct = resolver.Resolve(alias);
        return (LlmRoute.Direct, cache.Keys.For(alias, LlmRoute.Direct, null, direct, direct.ApiKey, messages, options, settings.AnthropicDefaultMaxTokens));
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

    /// <inheritdoc />
    public IAsyncEnumerable<LlmDelta> StreamChatAsync([ModelAliasName] string aliasName, IReadOnlyList<LlmMessage> messages, LlmCallOptions? options = null, CancellationToken cancellationToken = default) =>
        StreamChatAsync(Catalog.Resolve(aliasName), messages, options, cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<LlmDelta> StreamChatAsync(ModelAlias modelAlias, IReadOnlyList<LlmMessage> messages, LlmCallOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (effective, callOptions) = Prepare(modelAlias, messages, options);
        using var scope = accounting.Begin(effective);
        using var deadline = new CallDeadline(callOptions.Timeout ?? settings.Resilience.RequestTimeout, time, cancellationToken);
        string? key = null;
        if (cache.Enabled && callOptions.Cache is not { NoCache: true, NoStore: true })
        {
            (var route, key) = CacheKey(effective, messages, callOptions);
            var cached = await Booked(GuardAsync(new ValueTask<CachedResponse?>(cache.TryGetAsync(key, callOptions.Cache, deadline.Token)), effective, deadline), scope).ConfigureAwait(false);
            if (cached is not null)
            {
                foreach (var piece in Replay(cached.Text))
                {
                    yield return new LlmDelta(piece);
                }

                var hit = cached.ToHit(effective.Name, route);
                scope.Succeeded(hit); // a hit is booked too (0 USD, CostSource.Cache)
                yield return new LlmDelta(string.Empty, hit);
                yield break;
            }
        }

        // The budget is checked after the cache lookup missed, before the upstream call.
        await Booked(scope.ReserveAsync(messages, callOptions, deadline.Token).AsTask(), scope).ConfigureAwait(false);
        var opened = await Booked(OpenStreamAsync(effective, messages, callOptions, deadline), scope).ConfigureAwait(false);
        var chunks = opened.Chunks;
        await using (chunks.ConfigureAwait(false))
        {
            var more = opened.HasFirst;
            while (more)
            {
                var chunk = chunks.Current;
                if (chunk.Final is { } final)
                {
                    var result = Complete(effective, opened.PriorAttempts == 0 ? final : final with { Attempts = final.Attempts + opened.PriorAttempts }, opened.Route, opened.Direct);
                    if (key is not null)
                    {
                        // A stream is cached as its assembled result (errors never reach this line).
                        await cache.StoreAsync(key, callOptions.Cache, CachedResponse.From(result, time.GetUtcNow()), deadline.Token).ConfigureAwait(false);
                    }

                    scope.Succeeded(result);
                    yield return new LlmDelta(string.Empty, result);
                }
                else
                {
                    yield return new LlmDelta(chunk.Text);
                }

                more = await Booked(GuardAsync(chunks.MoveNextAsync(), effective, deadline), scope).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Awaits a stream step; a failure is booked on the call before it reaches the caller.</summary>
    private static async Task<T> Booked<T>(Task<T> step, CallAccounting.CallScope scope)
    {
        try
        {
            return await step.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            scope.Failed(ex);
            throw;
        }
    }

    private static async Task Booked(Task step, CallAccounting.CallScope scope)
    {
        try
        {
            await step.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            scope.Failed(ex);
            throw;
        }
    }

    private async Task<(IAsyncEnumerator<TransportChunk> Chunks, bool HasFirst, LlmRoute Route, DirectTarget? Direct, int PriorAttempts)> OpenStreamAsync(
        ModelAlias alias, IReadOnlyList<LlmMessage> messages, LlmCallOptions options, CallDeadline deadline)
    {
        DirectTarget direct;
        var prior = 0;
        if (settings.Proxy.Enabled)
        {
            LogCall(logger, alias.Name, "proxy");
            var chunks = transports.Proxy.StreamAsync(new ChatCall(alias, messages, options, null), deadline.Token).GetAsyncEnumerator(deadline.Token);
            try
            {
                // Only a failure before the first byte can fall back: nothing has reached the caller yet.
                var first = await GuardAsync(chunks.MoveNextAsync(), alias, deadline).ConfigureAwait(false);
                return (chunks, first, LlmRoute.Proxy, null, 0);
            }
            catch (ProviderUnavailableException ex) when (ex.Unreachable && FallbackTarget(alias, ex) is { } target)
            {
                await chunks.DisposeAsync().ConfigureAwait(false);
                direct = target;
                prior = AttemptsOf(ex);
            }
            catch
            {
                await chunks.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        else
        {
            direct = resolver.Resolve(alias);
        }

        LogCall(logger, alias.Name, direct.Provider);
        var directChunks = Transport(direct).StreamAsync(new ChatCall(alias, messages, options, direct), deadline.Token).GetAsyncEnumerator(deadline.Token);
        try
        {
            var hasFirst = await GuardAsync(directChunks.MoveNextAsync(), alias, deadline).ConfigureAwait(false);
            return (directChunks, hasFirst, LlmRoute.Direct, direct, prior);
        }
        catch
        {
            await directChunks.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<T> GuardAsync<T>(ValueTask<T> move, ModelAlias alias, CallDeadline deadline)
    {
        try
        {
            return await move.ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (deadline.Expired)
        {
            throw deadline.TimeoutError(alias.Name, ex);
        }
    }

    private async Task<LlmResult> SendDirectAsync(ModelAlias alias, DirectTarget direct, IReadOnlyList<LlmMessage> messages, LlmCallOptions options, CancellationToken cancellationToken)
    {
        LogCall(logger, alias.Name, direct.Provider);
        var result = await Transport(direct).SendAsync(new ChatCall(alias, messages, options, direct), cancellationToken).ConfigureAwait(false);
        return Complete(alias, result, LlmRoute.Direct, direct);
    }

    private IChatTransport Transport(DirectTarget direct) => direct.Bridge == DirectBridge.Anthropic ? transports.Anthropic : transports.OpenAI;

    private DirectTarget? FallbackTarget(ModelAlias alias, ProviderUnavailableException failure)
    {
        if (!settings.Proxy.Fallback)
        {
            return null;
        }

        var target = resolver.TryResolve(alias, out var why);
        if (target is null)
        {
            LogNoFallback(logger, settings.Proxy.BaseUrl, alias.Name, why?.Message ?? string.Empty);
            return null;
        }

        LogFallback(logger, settings.Proxy.BaseUrl, alias.Name, target.Provider, failure.Message);
        return target;
    }

    private (ModelAlias Alias, LlmCallOptions Options) Prepare(ModelAlias alias, IReadOnlyList<LlmMessage> messages, LlmCallOptions? options)
    {
        ArgumentNullException.ThrowIfNull(alias);
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            throw new ArgumentException("A chat needs at least one message.", nameof(messages));
        }

        // The catalogue's definition wins (it holds the run-time config); an alias it does not know is used as given.
        var effective = Catalog.TryResolve(alias.Name, out var known) ? known : alias;
        return (effective, options ?? LlmCallOptions.None);
    }

    private LlmResult Complete(ModelAlias alias, TransportResult result, LlmRoute route, DirectTarget? direct)
    {
        var deployment = direct?.Deployment ?? (alias.Deployments.Count > 0 ? alias.Deployments[0] : null);
        var cost = accounting.Price(deployment, result);
        return new LlmResult
        {
            Text = result.Text,
            Usage = result.Usage,
            Alias = alias.Name,
            Provider = direct?.Provider ?? deployment?.Provider,
            ProviderModel = result.ResponseModel ?? deployment?.ProviderModel,
            Route = route,
            CallId = result.CallId,
            CostUsd = cost.CostUsd,
            CostSource = cost.Source,
            Cached = false,
            Attempts = result.Attempts,
            ProxyRetries = result.ProxyRetries,
            FinishReason = result.FinishReason,
            ResponseId = result.ResponseId,
            ToolCalls = result.ToolCalls,
        };
    }

    /// <summary>How many attempts a failed call made (set by the resilience decorator).</summary>
    private static int AttemptsOf(Exception error) => error.Data[Resilience.ResilientChatTransport.AttemptsKey] is int attempts ? attempts : 1;

    private ModelAlias ResolveConfigured(string name, string variable)
    {
        if (Catalog.TryResolve(name, out var alias))
        {
            return alias;
        }

        var known = Catalog.Aliases.Select(a => a.Name).ToArray();
        var nearest = AliasMatcher.Nearest(name, known);
        throw new KaitConfigurationException(
            $"{variable}='{name}' is not a known model alias." + (nearest is null ? string.Empty : $" Did you mean '{nearest}'?")
            + " Known aliases: " + string.Join(", ", known) + ".")
        {
            Variable = variable,
        };
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Calling '{Alias}' via {Route}")]
    private static partial void LogCall(ILogger logger, string alias, string route);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The LiteLLM proxy at {ProxyUrl} is unreachable; calling '{Alias}' directly at {Provider} instead ({Reason})")]
    private static partial void LogFallback(ILogger logger, Uri proxyUrl, string alias, string provider, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The LiteLLM proxy at {ProxyUrl} is unreachable and '{Alias}' cannot be called directly: {Reason}")]
    private static partial void LogNoFallback(ILogger logger, Uri proxyUrl, string alias, string reason);
}
