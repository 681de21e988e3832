using Refit;

namespace Kait.Sdk.Transport;

/// <summary>The LiteLLM proxy's OpenAI-compatible surface. Every call returns the raw response so the caller reads the
/// <c>x-litellm-*</c> headers, maps errors itself and streams bodies.</summary>
internal interface ILiteLlmProxyApi
{
    /// <summary><c>POST /v1/chat/completions</c>, plain or with <c>stream: true</c>.</summary>
    [Post("/v1/chat/completions")]
    Task<HttpResponseMessage> ChatCompletionsAsync(
        [Body] HttpContent body,
        [Header("Authorization")] string? authorization,
        [HeaderCollection] IDictionary<string, string> headers,
        CancellationToken cancellationToken);

    /// <summary><c>POST /v1/embeddings</c>.</summary>
    [Post("/v1/embeddings")]
    Task<HttpResponseMessage> EmbeddingsAsync(
        [Body] HttpContent body,
        [Header("Authorization")] string? authorization,
        [HeaderCollection] IDictionary<string, string> headers,
        CancellationToken cancellationToken);

    /// <summary><c>GET /v1/models</c>.</summary>
    [Get("/v1/models")]
    Task<HttpResponseMessage> ModelsAsync([Header("Authorization")] string? authorization, CancellationToken cancellationToken);

    /// <summary><c>GET /model/info</c>.</summary>
    [Get("/model/info")]
    Task<HttpResponseMessage> ModelInfoAsync([Header("Authorization")] string? authorization, CancellationToken cancellationToken);

    /// <summary><c>GET /health/liveliness</c> (no auth).</summary>
    [Get("/health/liveliness")]
    Task<HttpResponseMessage> LivelinessAsync(CancellationToken cancellationToken);

    /// <summary><c>GET /health/readiness</c> (no auth).</summary>
    [Get("/health/readiness")]
    Task<HttpResponseMessage> ReadinessAsync(CancellationToken cancellationToken);
}
