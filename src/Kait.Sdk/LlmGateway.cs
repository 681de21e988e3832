using System.Runtime.CompilerServices;
using Kait.Sdk.Config;
using Kait.Sdk.Pipeline;

namespace Kait.Sdk;

/// <summary>
/// The runtime's front door: resolves an alias, has <see cref="CallPlanner"/> decide the call once (route, target,
/// credential, the request's bytes), and passes it down the one pipeline every call takes — accounting → cache →
/// route and fallback → resilience → transport (<see cref="CallPipeline"/>) — returning one <see cref="LlmResult"/>
/// shape whatever the route. Get it from DI (<c>services.AddKaitSdk(configuration)</c>).
/// </summary>
public sealed class LlmGateway : ILlmGateway
{
    private readonly CallPipeline pipeline;
    private readonly KaitOptions settings;
    private ModelAlias? claude;
    private ModelAlias? openAI;

    internal LlmGateway(CallPipeline pipeline, IModelCatalog catalog, KaitOptions settings)
    {
        this.pipeline = pipeline;
        this.settings = settings;
        Catalog = catalog;

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
        CheckMessages(messages);
        var alias = Known(modelAlias);
        var callOptions = options ?? LlmCallOptions.None;
        using var deadline = Deadline(callOptions, cancellationToken);
        try
        {
            var call = pipeline.Plan(alias, p => p.Chat(alias, messages, callOptions, stream: false));
            return ToResult(call, await pipeline.Head.SendAsync(call, deadline.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException ex) when (deadline.Expired)
        {
            throw deadline.TimeoutError(alias.Name, ex);
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerable<LlmDelta> StreamChatAsync([ModelAliasName] string aliasName, IReadOnlyList<LlmMessage> messages, LlmCallOptions? options = null, CancellationToken cancellationToken = default) =>
        StreamChatAsync(Catalog.Resolve(aliasName), messages, options, cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<LlmDelta> StreamChatAsync(ModelAlias modelAlias, IReadOnlyList<LlmMessage> messages, LlmCallOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        CheckMessages(messages);
        var alias = Known(modelAlias);
        var callOptions = options ?? LlmCallOptions.None;
        using var deadline = Deadline(callOptions, cancellationToken);
        var call = pipeline.Plan(alias, p => p.Chat(alias, messages, callOptions, stream: true));
        var chunks = pipeline.Head.StreamAsync(call, deadline.Token).GetAsyncEnumerator(deadline.Token);
        await using (chunks.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await chunks.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (OperationCanceledException ex) when (deadline.Expired)
                {
                    throw deadline.TimeoutError(alias.Name, ex);
                }

                var chunk = chunks.Current;
                yield return chunk.Final is { } final ? new LlmDelta(string.Empty, ToResult(call, final)) : new LlmDelta(chunk.Text) { Reasoning = chunk.Reasoning ?? string.Empty, ReasoningBlock = chunk.ReasoningBlock };
            }
        }
    }

    /// <inheritdoc />
    public async Task<LlmEmbeddings> EmbedAsync(ModelAlias modelAlias, IReadOnlyList<string> inputs, LlmCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var alias = Known(modelAlias);
        var callOptions = options ?? LlmCallOptions.None;
        using var deadline = Deadline(callOptions, cancellationToken);
        try
        {
            var call = pipeline.Plan(alias, p => p.Embeddings(alias, inputs, callOptions));
            var reply = await pipeline.Head.SendAsync(call, deadline.Token).ConfigureAwait(false);
            return new LlmEmbeddings(reply.Vectors?.Select(v => new ReadOnlyMemory<float>(v)).ToArray() ?? [], reply.Usage.InputTokens, reply.CallId, reply.CostUsd)
            {
                Route = reply.Route,
                CostSource = reply.CostSource,
                Model = reply.ResponseModel ?? reply.Deployment?.ProviderModel,
            };
        }
        catch (OperationCanceledException ex) when (deadline.Expired)
        {
            throw deadline.TimeoutError(alias.Name, ex);
        }
    }

    private static LlmResult ToResult(LlmCall call, CallReply reply) => new()
    {
        Text = reply.Text,
        Usage = reply.Usage,
        Alias = call.Alias.Name,
        Provider = reply.Provider,
        ProviderModel = reply.ResponseModel ?? reply.Deployment?.ProviderModel,
        Route = reply.Route,
        CallId = reply.CallId,
        CostUsd = reply.CostUsd,
        CostSource = reply.CostSource,
        Cached = reply.Cached,
        Attempts = reply.Cached ? 0 : call.Attempts,
        ProxyRetries = reply.ProxyRetries,
        FinishReason = reply.FinishReason,
        ResponseId = reply.ResponseId,
        Refusal = reply.Refusal,
        ToolCalls = reply.ToolCalls,
        Reasoning = reply.Reasoning,
        ReasoningBlocks = reply.ReasoningBlocks,
        RateLimits = reply.RateLimits,
        ServedBy = reply.ServedBy,
        AdditionalFields = reply.AdditionalFields ?? Transport.EmptyFields.Instance,
    };

    private CallDeadline Deadline(LlmCallOptions options, CancellationToken cancellationToken)
    {
        if (options.Timeout is { } timeout && timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            // Zero or negative never silently means "no timeout": that is Timeout.InfiniteTimeSpan, said on purpose.
            throw new ArgumentOutOfRangeException(nameof(options), timeout, "LlmCallOptions.Timeout must be positive (or Timeout.InfiniteTimeSpan for none).");
        }

        return new(options.Timeout ?? settings.Resilience.RequestTimeout, pipeline.Time, cancellationToken);
    }

    private static void CheckMessages(IReadOnlyList<LlmMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            throw new ArgumentException("A chat needs at least one message.", nameof(messages));
        }
    }

    /// <summary>The catalogue's definition wins (it holds the run-time config); an alias it does not know is used as given.</summary>
    private ModelAlias Known(ModelAlias alias)
    {
        ArgumentNullException.ThrowIfNull(alias);
        return Catalog.TryResolve(alias.Name, out var known) ? known : alias;
    }

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
}
