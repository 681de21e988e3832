using Refit;

namespace Kait.Sdk.Http;

/// <summary>
/// The LiteLLM proxy's HTTP API, raw, beside the gateway: for an endpoint Kait does not wrap, or to see exactly what the
/// proxy answers. Resolve it from the container after <c>AddKaitSdk</c>; it calls <c>KAIT_LITELLM_URL</c> (else
/// <c>http://127.0.0.1:KAIT_LITELLM_PORT</c>) with <c>Authorization: Bearer KAIT_LITELLM_MASTER_KEY</c> when a master
/// key is set, added only to requests for that host, never across a redirect (none is followed), and redacted from
/// HttpClientFactory's logs. Bodies are the proxy's own JSON (OpenAI's shapes); every method returns the response as it
/// came, for the caller to read and dispose, whatever its status.
/// </summary>
public interface ILiteLlmProxyHttpApi
{
    /// <summary><c>POST /v1/chat/completions</c>, plain or with <c>"stream": true</c> (then read the body as server-sent events).</summary>
    /// <param name="body">The request JSON.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/v1/chat/completions")]
    Task<HttpResponseMessage> ChatCompletionsAsync([Body] HttpContent body, CancellationToken cancellationToken = default);

    /// <summary><c>POST /v1/embeddings</c>.</summary>
    /// <param name="body">The request JSON.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/v1/embeddings")]
    Task<HttpResponseMessage> EmbeddingsAsync([Body] HttpContent body, CancellationToken cancellationToken = default);

    /// <summary><c>GET /v1/models</c>: the model groups the caller may use.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/v1/models")]
    Task<HttpResponseMessage> ModelsAsync(CancellationToken cancellationToken = default);

    /// <summary><c>GET /model/info</c>: each deployment with its parameters (keys masked by LiteLLM).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/model/info")]
    Task<HttpResponseMessage> ModelInfoAsync(CancellationToken cancellationToken = default);

    /// <summary><c>GET /health/readiness</c>: the proxy, its database and cache.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/health/readiness")]
    Task<HttpResponseMessage> ReadinessAsync(CancellationToken cancellationToken = default);

    /// <summary><c>GET</c> any other path of the proxy (<c>spend/logs</c>, <c>key/info</c>, …), relative to its base URL.</summary>
    /// <param name="path">The path, without the leading slash (it may hold slashes and a query is not part of it).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/{**path}")]
    Task<HttpResponseMessage> GetAsync(string path, CancellationToken cancellationToken = default);

    /// <summary><c>POST</c> to any other path of the proxy (<c>key/generate</c>, …), relative to its base URL.</summary>
    /// <param name="path">The path, without the leading slash.</param>
    /// <param name="body">The request body.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/{**path}")]
    Task<HttpResponseMessage> PostAsync(string path, [Body] HttpContent body, CancellationToken cancellationToken = default);
}
