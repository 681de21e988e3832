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

    /// <summary><c>GET /user/daily/activity</c>: spend per day, with a breakdown by model group, model and key; paginated
    /// (https://docs.litellm.ai/docs/proxy/cost_tracking#daily-spend-breakdown-api).</summary>
    [Get("/user/daily/activity")]
    Task<HttpResponseMessage> UserDailyActivityAsync(
        [Header("Authorization")] string? authorization,
        [AliasAs("start_date")] string startDate,
        [AliasAs("end_date")] string endDate,
        [AliasAs("model")] string? model,
        [AliasAs("api_key")] string? apiKey,
        [AliasAs("user_id")] string? userId,
        [AliasAs("page")] int page,
        [AliasAs("page_size")] int pageSize,
        CancellationToken cancellationToken);

    /// <summary><c>GET /tag/daily/activity</c>: spend per day and tag (https://docs.litellm.ai/docs/proxy/tag_budgets).</summary>
    [Get("/tag/daily/activity")]
    Task<HttpResponseMessage> TagDailyActivityAsync(
        [Header("Authorization")] string? authorization,
        [AliasAs("start_date")] string startDate,
        [AliasAs("end_date")] string endDate,
        [AliasAs("tags")] string? tags,
        [AliasAs("page")] int page,
        [AliasAs("page_size")] int pageSize,
        CancellationToken cancellationToken);

    /// <summary><c>GET /key/info?key=</c> (the key's hash: the key itself never goes into a URL;
    /// https://docs.litellm.ai/docs/proxy/virtual_keys).</summary>
    [Get("/key/info")]
    Task<HttpResponseMessage> KeyInfoAsync([Header("Authorization")] string? authorization, [AliasAs("key")] string keyHash, CancellationToken cancellationToken);

    /// <summary><c>POST /key/generate</c>.</summary>
    [Post("/key/generate")]
    Task<HttpResponseMessage> KeyGenerateAsync([Body] HttpContent body, [Header("Authorization")] string? authorization, CancellationToken cancellationToken);

    /// <summary><c>POST /key/delete</c>.</summary>
    [Post("/key/delete")]
    Task<HttpResponseMessage> KeyDeleteAsync([Body] HttpContent body, [Header("Authorization")] string? authorization, CancellationToken cancellationToken);
}
