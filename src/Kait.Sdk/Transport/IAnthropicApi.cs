using Refit;

namespace Kait.Sdk.Transport;

/// <summary>Anthropic's Messages API (<c>{base}/v1/messages</c>, as the Anthropic SDK builds it).</summary>
internal interface IAnthropicApi
{
    /// <summary>The <c>anthropic-version</c> every request carries.</summary>
    public const string Version = "2023-06-01";

    /// <summary><c>POST /v1/messages</c>, plain or with <c>stream: true</c>.</summary>
    [Post("/v1/messages")]
    [Headers("anthropic-version: " + Version)]
    Task<HttpResponseMessage> MessagesAsync(
        [Body] HttpContent body,
        [Header("x-api-key")] string? apiKey,
        [HeaderCollection] IDictionary<string, string> headers,
        CancellationToken cancellationToken);
}
