namespace Kait.Sdk.Transport.Dtos;

/// <summary>An embeddings request.</summary>
internal sealed class OpenAIEmbeddingRequest
{
    public required string Model { get; set; }

    public required IReadOnlyList<string> Input { get; set; }

    public string? User { get; set; }
}

/// <summary>An embeddings response.</summary>
internal sealed class OpenAIEmbeddingResponse
{
    public string? Model { get; set; }

    public IReadOnlyList<OpenAIEmbeddingItem>? Data { get; set; }

    public OpenAIUsage? Usage { get; set; }

    /// <summary>An error sent with a 200 status.</summary>
    public System.Text.Json.JsonElement? Error { get; set; }
}

/// <summary>One embedding.</summary>
internal sealed class OpenAIEmbeddingItem
{
    public int Index { get; set; }

    public float[]? Embedding { get; set; }
}
