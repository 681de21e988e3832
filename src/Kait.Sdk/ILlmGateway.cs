namespace Kait.Sdk;

/// <summary>Chat with a model alias, through the LiteLLM proxy or straight at the provider (see <see cref="LlmGateway"/>).</summary>
public interface ILlmGateway
{
    /// <summary>The aliases this gateway knows.</summary>
    IModelCatalog Catalog { get; }

    /// <summary>The alias named by <c>KAIT_LITELLM_CLAUDE_MODEL</c> (default <c>claude-default</c>).</summary>
    /// <exception cref="KaitConfigurationException">The variable names an unknown alias.</exception>
    ModelAlias Claude { get; }

    /// <summary>The alias named by <c>KAIT_LITELLM_OPENAI_MODEL</c> (default <c>openai-default</c>).</summary>
    /// <exception cref="KaitConfigurationException">The variable names an unknown alias.</exception>
    ModelAlias OpenAI { get; }

    /// <summary>A whole reply.</summary>
    /// <param name="modelAlias">The alias (<c>Models.ClaudeFast</c>).</param>
    /// <param name="messages">The chat.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<LlmResult> ChatAsync(ModelAlias modelAlias, IReadOnlyList<LlmMessage> messages, LlmCallOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>A whole reply, the alias given by name (checked against the catalogue: an unknown one throws
    /// <see cref="UnknownModelAliasException"/> with the known aliases and the nearest).</summary>
    /// <param name="aliasName">The alias name.</param>
    /// <param name="messages">The chat.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<LlmResult> ChatAsync([ModelAliasName] string aliasName, IReadOnlyList<LlmMessage> messages, LlmCallOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>A streamed reply: text deltas, then a final delta with the <see cref="LlmResult"/>.</summary>
    /// <param name="modelAlias">The alias.</param>
    /// <param name="messages">The chat.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    IAsyncEnumerable<LlmDelta> StreamChatAsync(ModelAlias modelAlias, IReadOnlyList<LlmMessage> messages, LlmCallOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>A streamed reply, the alias given by name (checked against the catalogue).</summary>
    /// <param name="aliasName">The alias name.</param>
    /// <param name="messages">The chat.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    IAsyncEnumerable<LlmDelta> StreamChatAsync([ModelAliasName] string aliasName, IReadOnlyList<LlmMessage> messages, LlmCallOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Embeddings of <paramref name="inputs"/> (<c>/v1/embeddings</c>) through the proxy when it is in use,
    /// else through OpenAI's bridge. Gateways that do not embed throw <see cref="NotSupportedException"/>.</summary>
    /// <param name="modelAlias">An embedding alias.</param>
    /// <param name="inputs">The texts.</param>
    /// <param name="options">Per-call options (user, timeout, extra headers, virtual key).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<LlmEmbeddings> EmbedAsync(ModelAlias modelAlias, IReadOnlyList<string> inputs, LlmCallOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException(GetType().Name + " does not compute embeddings.");
}
