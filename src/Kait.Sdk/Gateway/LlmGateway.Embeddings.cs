using Kait.Sdk.Embeddings;

namespace Kait.Sdk;

/// <summary>Embeddings on the gateway's routes.</summary>
public sealed partial class LlmGateway
{
    /// <summary>The embeddings router (set by <c>AddKaitSdk</c>).</summary>
    internal EmbeddingRouter? Embeddings { get; init; }

    /// <inheritdoc />
    public Task<LlmEmbeddings> EmbedAsync(ModelAlias modelAlias, IReadOnlyList<string> inputs, LlmCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelAlias);
        ArgumentNullException.ThrowIfNull(inputs);
        var router = Embeddings ?? throw new InvalidOperationException("This gateway was built without embeddings; use services.AddKaitSdk(configuration).");
        var effective = Catalog.TryResolve(modelAlias.Name, out var known) ? known : modelAlias;
        return router.EmbedAsync(effective, inputs, options ?? LlmCallOptions.None, cancellationToken);
    }
}
