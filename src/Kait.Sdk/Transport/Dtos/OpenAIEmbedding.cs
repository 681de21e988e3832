namespace Kait.Sdk.Transport.Dtos;

/// <summary>An embeddings request.</summary>
internal sealed class OpenAIEmbeddingRequest
{
    public required string Model { get; init; }

    public required IReadOnlyList<string> Input { get; init; }

    public string? User { get; init; }
}

/// <summary>An embeddings response.</summary>
internal sealed class OpenAIEmbeddingResponse
{
    public string? Model { get; init; }

    public IReadOnlyList<OpenAIEmbeddingItem>? Data { get; init; }

    public OpenAIUsage? Usage { get; init; }
}

/// <summary>One embedding.</summary>
internal sealed class OpenAIEmbeddingItem
{
    public int Index { get; init; }

    public float[]? Embedding { get; init; }
}
