using Refit;

namespace Kait.Sdk.Http;

/// <summary>
/// OpenAI's chat completions and embeddings, raw, beside the gateway's direct OpenAI bridge. Resolve it from the
/// container after <c>AddKaitSdk</c>; it calls <c>OPENAI_BASE_URL</c> (else <c>https://api.openai.com/v1</c>; the base
/// includes <c>/v1</c>, as the OpenAI SDK's does) with <c>Authorization: Bearer OPENAI_API_KEY</c>, the key added only
/// to requests for that host, never across a redirect (none is followed), and redacted from HttpClientFactory's logs.
/// The response comes back as it came, for the caller to read and dispose, whatever its status.
/// </summary>
public interface IOpenAIHttpApi
{
    /// <summary><c>POST {base}/chat/completions</c>, plain or with <c>"stream": true</c>.</summary>
    /// <param name="body">The request JSON.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/chat/completions")]
    Task<HttpResponseMessage> ChatCompletionsAsync([Body] HttpContent body, CancellationToken cancellationToken = default);

    /// <summary><c>POST {base}/embeddings</c>.</summary>
    /// <param name="body">The request JSON.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/embeddings")]
    Task<HttpResponseMessage> EmbeddingsAsync([Body] HttpContent body, CancellationToken cancellationToken = default);
}
