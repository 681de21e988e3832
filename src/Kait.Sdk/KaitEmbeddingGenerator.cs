using Microsoft.Extensions.AI;

namespace Kait.Sdk;

/// <summary>An <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over <see cref="ILlmGateway.EmbedAsync"/> for one
/// alias. <see cref="EmbeddingGenerationOptions.ModelId"/>, when set, names another alias. The result's
/// <see cref="GeneratedEmbeddings{TEmbedding}.Usage"/> has the input tokens; its <c>AdditionalProperties</c> carry
/// <c>kait.route</c>, <c>kait.cost_usd</c>, <c>kait.cost_source</c> and <c>kait.call_id</c>.</summary>
public sealed class KaitEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly ILlmGateway gateway;
    private readonly ModelAlias modelAlias;

    /// <summary>Creates the generator.</summary>
    /// <param name="gateway">The gateway.</param>
    /// <param name="modelAlias">The embedding alias called when the options name none.</param>
    public KaitEmbeddingGenerator(ILlmGateway gateway, ModelAlias modelAlias)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(modelAlias);
        this.gateway = gateway;
        this.modelAlias = modelAlias;
        Metadata = new EmbeddingGeneratorMetadata("kait", null, modelAlias.Name);
    }

    /// <summary>Describes the generator: provider <c>kait</c>, the alias as model.</summary>
    public EmbeddingGeneratorMetadata Metadata { get; }

    /// <inheritdoc />
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var alias = options?.ModelId is { Length: > 0 } id && id != modelAlias.Name ? gateway.Catalog.Resolve(id) : modelAlias;
        var result = await gateway.EmbedAsync(alias, values.ToArray(), null, cancellationToken).ConfigureAwait(false);
        var createdAt = DateTimeOffset.UtcNow;
        var embeddings = result.Vectors.Select(v => new Embedding<float>(v) { ModelId = result.Model ?? alias.Name, CreatedAt = createdAt });
        var properties = new AdditionalPropertiesDictionary
        {
            ["kait.alias"] = alias.Name,
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

        return new GeneratedEmbeddings<Embedding<float>>(embeddings)
        {
            Usage = new UsageDetails { InputTokenCount = result.InputTokens, TotalTokenCount = result.InputTokens },
            AdditionalProperties = properties,
        };
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        AdapterServices.Get(serviceType, serviceKey, Metadata, gateway, this);

    /// <summary>Nothing to release: the gateway belongs to its container.</summary>
    public void Dispose()
    {
    }
}
