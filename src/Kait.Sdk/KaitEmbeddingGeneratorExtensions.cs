using Microsoft.Extensions.AI;

namespace Kait.Sdk;

/// <summary>Turns the gateway into an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>.</summary>
public static class KaitEmbeddingGeneratorExtensions
{
    /// <summary>An embedding generator calling <paramref name="modelAlias"/>.</summary>
    /// <param name="gateway">The gateway.</param>
    /// <param name="modelAlias">The embedding alias.</param>
    public static IEmbeddingGenerator<string, Embedding<float>> AsEmbeddingGenerator(this ILlmGateway gateway, ModelAlias modelAlias) =>
        new KaitEmbeddingGenerator(gateway, modelAlias);

    /// <summary>An embedding generator calling the alias named <paramref name="aliasName"/> (checked now).</summary>
    /// <param name="gateway">The gateway.</param>
    /// <param name="aliasName">The alias name.</param>
    public static IEmbeddingGenerator<string, Embedding<float>> AsEmbeddingGenerator(this ILlmGateway gateway, [ModelAliasName] string aliasName)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        return new KaitEmbeddingGenerator(gateway, gateway.Catalog.Resolve(aliasName));
    }
}
