namespace Kait.Sdk.Transport.Dtos;

/// <summary>An OpenAI chat completions request (also what the LiteLLM proxy takes, with its extensions).</summary>
internal sealed class OpenAIChatRequest
{
    public required string Model { get; init; }

    public required IReadOnlyList<OpenAIMessage> Messages { get; init; }

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public int? MaxTokens { get; init; }

    public IReadOnlyList<string>? Stop { get; init; }

    public long? Seed { get; init; }

    public string? User { get; init; }

    /// <summary>LiteLLM's request metadata (sent to the proxy only).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>LiteLLM's per-request cache controls (sent to the proxy only).</summary>
    public OpenAICacheControl? Cache { get; init; }

    public bool? Stream { get; init; }

    public OpenAIStreamOptions? StreamOptions { get; init; }
}

/// <summary><c>stream_options</c>.</summary>
internal sealed class OpenAIStreamOptions
{
    public bool IncludeUsage { get; init; }
}

/// <summary>One chat message on the OpenAI wire.</summary>
internal sealed class OpenAIMessage
{
    public string? Role { get; init; }

    public string? Content { get; init; }
}

/// <summary>LiteLLM's <c>cache</c> request field.</summary>
internal sealed class OpenAICacheControl
{
    [System.Text.Json.Serialization.JsonPropertyName("no-cache")]
    public bool? NoCache { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("no-store")]
    public bool? NoStore { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("ttl")]
    public double? Ttl { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("s-maxage")]
    public double? SMaxAge { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("namespace")]
    public string? Namespace { get; init; }
}
