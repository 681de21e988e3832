using Refit;

namespace Kait.Sdk.Transport;

/// <summary>OpenAI's chat completions (<c>{base}/chat/completions</c>; the base includes <c>/v1</c>, as the OpenAI SDK's).</summary>
internal interface IOpenAIApi
{
    /// <summary><c>POST /chat/completions</c>, plain or with <c>stream: true</c>.</summary>
    [Post("/chat/completions")]
    Task<HttpResponseMessage> ChatCompletionsAsync(
        [Body] HttpContent body,
        [Header("Authorization")] string? authorization,
        [HeaderCollection] IDictionary<string, string> headers,
        CancellationToken cancellationToken);

    /// <summary><c>POST /embeddings</c>.</summary>
    [Post("/embeddings")]
    Task<HttpResponseMessage> EmbeddingsAsync(
        [Body] HttpContent body,
        [Header("Authorization")] string? authorization,
        [HeaderCollection] IDictionary<string, string> headers,
        CancellationToken cancellationToken);
}
