using System.Runtime.CompilerServices;
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
    private readonly ICostCalculator costCalculator;
    private readonly TimeProvider time;
    private readonly ILogger<LlmGateway> logger;
    private ModelAlias? claude;
    private ModelAlias? openAI;

    internal LlmGateway(ChatTransports transports, DirectRouteResolver resolver, IModelCatalog catalog, IOptions<KaitOptions> options, ICostCalculator costCalculator, TimeProvider time, ILogger<LlmGateway> logger)
    {
        this.transports = transports;
        this.resolver = resolver;
        Catalog = catalog;
        settings = options.Value;
        this.costCalculator = costCalculator;
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
        using var deadline = new CallDeadline(callOptions.Timeout ?? settings.RequestTimeout, time, cancellationToken);
        try
        {
            if (!settings.LiteLlmEnabled)
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
        catch (OperationCanceledException ex) when (deadline.Expired)
        {
            throw deadline.TimeoutError(effective.Name, ex);
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerable<LlmDelta> StreamChatAsync([ModelAliasName] string aliasName, IReadOnlyList<LlmMessage> messages, LlmCallOptions? options = null, CancellationToken cancellationToken = default) =>
        StreamChatAsync(Catalog.Resolve(aliasName), messages, options, cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<LlmDelta> StreamChatAsync(ModelAlias modelAlias, IReadOnlyList<LlmMessage> messages, LlmCallOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (effective, callOptions) = Prepare(modelAlias, messages, options);
        using var deadline = new CallDeadline(callOptions.Timeout ?? settings.RequestTimeout, time, cancellationToken);
        var opened = await OpenStreamAsync(effective, messages, callOptions, deadline).ConfigureAwait(false);
        var chunks = opened.Chunks;
        await using (chunks.ConfigureAwait(false))
        {
            var more = opened.HasFirst;
            while (more)
            {
                var chunk = chunks.Current;
                yield return chunk.Final is { } final
                    ? new LlmDelta(string.Empty, Complete(effective, final with { Attempts = final.Attempts + opened.PriorAttempts }, opened.Route, opened.Direct))
                    : new LlmDelta(chunk.Text);
                more = await GuardAsync(chunks.MoveNextAsync(), effective, deadline).ConfigureAwait(false);
            }
        }
    }

    private async Task<(IAsyncEnumerator<TransportChunk> Chunks, bool HasFirst, LlmRoute Route, DirectTarget? Direct, int PriorAttempts)> OpenStreamAsync(
        ModelAlias alias, IReadOnlyList<LlmMessage> messages, LlmCallOptions options, CallDeadline deadline)
    {
        DirectTarget direct;
        var prior = 0;
        if (settings.LiteLlmEnabled)
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

    private static async Task<bool> GuardAsync(ValueTask<bool> move, ModelAlias alias, CallDeadline deadline)
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
        if (!settings.LiteLlmFallback)
        {
            return null;
        }

        var target = resolver.TryResolve(alias, out var why);
        if (target is null)
        {
            LogNoFallback(logger, settings.ProxyBaseUrl, alias.Name, why?.Message ?? string.Empty);
            return null;
        }

        LogFallback(logger, settings.ProxyBaseUrl, alias.Name, target.Provider, failure.Message);
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
        var cost = result.ProxyCostUsd is { } proxyCost
            ? new CostEstimate(proxyCost, CostSource.ProxyHeader)
            : costCalculator.Estimate(alias.Name, deployment, result.ResponseModel, result.Usage);
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
