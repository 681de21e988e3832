using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Kait.Sdk;

/// <summary>An <see cref="IChatClient"/> over <see cref="ILlmGateway"/> for one alias, usable in <c>ChatClientBuilder</c>
/// pipelines. <see cref="ChatOptions.ModelId"/>, when set, names another alias. Each response's
/// <see cref="ChatResponse.RawRepresentation"/> is the <see cref="LlmResult"/>; its <c>AdditionalProperties</c> carry
/// <c>kait.route</c>, <c>kait.cost_usd</c>, <c>kait.cost_source</c> and <c>kait.call_id</c>.</summary>
public sealed class KaitChatClient : IChatClient
{
    private readonly ILlmGateway gateway;
    private readonly ModelAlias modelAlias;

    /// <summary>Creates the client.</summary>
    /// <param name="gateway">The gateway.</param>
    /// <param name="modelAlias">The alias called when the options name none.</param>
    public KaitChatClient(ILlmGateway gateway, ModelAlias modelAlias)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(modelAlias);
        this.gateway = gateway;
        this.modelAlias = modelAlias;
        Metadata = new ChatClientMetadata("kait", null, modelAlias.Name);
    }

    /// <summary>Describes the client: provider <c>kait</c>, the alias as model.</summary>
    public ChatClientMetadata Metadata { get; }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = await gateway.ChatAsync(Alias(options), Messages(messages, options), KaitChatMapper.ToOptions(options, this), cancellationToken).ConfigureAwait(false);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, KaitChatMapper.ToContents(result)) { RawRepresentation = result })
        {
            ModelId = result.ProviderModel ?? result.Alias,
            ResponseId = result.ResponseId,
            FinishReason = ToFinishReason(result.FinishReason),
            Usage = ToUsage(result.Usage),
            RawRepresentation = result,
            AdditionalProperties = ToProperties(result),
        };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var delta in gateway.StreamChatAsync(Alias(options), Messages(messages, options), KaitChatMapper.ToOptions(options, this), cancellationToken).ConfigureAwait(false))
        {
            if (delta.Result is { } result)
            {
                // Tool calls are assembled from their streamed fragments and arrive whole, with the usage, at the end.
                yield return new ChatResponseUpdate(ChatRole.Assistant, [.. result.ToolCalls.Select(KaitChatMapper.ToFunctionCall), new UsageContent(ToUsage(result.Usage))])
                {
                    ModelId = result.ProviderModel ?? result.Alias,
                    ResponseId = result.ResponseId,
                    FinishReason = ToFinishReason(result.FinishReason),
                    RawRepresentation = result,
                    AdditionalProperties = ToProperties(result),
                };
            }
            else if (delta.ReasoningBlock is { } block)
            {
                // A block's signature (its text was streamed just before): M.E.AI merges it into that text.
                yield return new ChatResponseUpdate(ChatRole.Assistant, [KaitChatMapper.ToReasoningContent(block with { Text = string.Empty })]) { RawRepresentation = delta };
            }
            else if (delta.Reasoning.Length > 0)
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, [new TextReasoningContent(delta.Reasoning), .. delta.Text.Length > 0 ? [new TextContent(delta.Text)] : Array.Empty<AIContent>()]) { RawRepresentation = delta };
            }
            else
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, delta.Text) { RawRepresentation = delta };
            }
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        AdapterServices.Get(serviceType, serviceKey, Metadata, gateway, this);

    /// <summary>Nothing to release: the gateway belongs to its container.</summary>
    public void Dispose()
    {
    }

    private static List<LlmMessage> Messages(IEnumerable<ChatMessage> messages, ChatOptions? options) =>
        KaitChatMapper.WithInstructions(KaitChatMapper.ToMessages(messages), options);

    private ModelAlias Alias(ChatOptions? options) =>
        options?.ModelId is { Length: > 0 } id && id != modelAlias.Name ? gateway.Catalog.Resolve(id) : modelAlias;

    private static UsageDetails ToUsage(LlmUsage usage) => new()
    {
        InputTokenCount = usage.InputTokens,
        OutputTokenCount = usage.OutputTokens,
        TotalTokenCount = usage.TotalTokens,
        CachedInputTokenCount = usage.CachedInputTokens,
        ReasoningTokenCount = usage.ReasoningTokens,
        AdditionalCounts = usage.CacheCreationInputTokens > 0 ? new AdditionalPropertiesDictionary<long> { ["cache_creation_input_tokens"] = usage.CacheCreationInputTokens } : null,
    };

    private static ChatFinishReason? ToFinishReason(string? reason) => reason switch
    {
        null => null,
        "stop" => ChatFinishReason.Stop,
        "length" => ChatFinishReason.Length,
        "tool_calls" => ChatFinishReason.ToolCalls,
        "content_filter" => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(reason),
    };

    private static AdditionalPropertiesDictionary ToProperties(LlmResult result)
    {
        var properties = new AdditionalPropertiesDictionary
        {
            ["kait.alias"] = result.Alias,
            ["kait.route"] = result.Route.ToName(),
            ["kait.cost_source"] = result.CostSource.ToName(),
        };
        if (result.CostUsd is { } cost)
        {
            properties["kait.cost_usd"] = cost;
        }

        if (result.CallId is { } callId)
        {
            properties["kait.call_id"] = callId;
        }

        if (result.RateLimits is { } limits)
        {
            properties["kait.rate_limits"] = limits;
        }

        if (result.ServedBy is { } servedBy)
        {
            properties["kait.served_by"] = servedBy;
        }

        foreach (var (name, value) in result.AdditionalFields)
        {
            properties.TryAdd(name, value);
        }

        return properties;
    }
}
