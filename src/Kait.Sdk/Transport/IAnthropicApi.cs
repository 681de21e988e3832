using Refit;

namespace Kait.Sdk.Transport;

/// <summary>Anthropic's Messages API (<c>{base}/v1/messages</c>, as the Anthropic SDK builds it).</summary>
internal interface IAnthropicApi
{
    /// <summary><c>POST /v1/messages</c>, plain or with <c>stream: true</c>; <c>anthropic-version</c> is one of the
    /// <paramref name="headers"/> (the planner's, from <see cref="KaitOptions.AnthropicVersion"/>).</summary>
    [Post("/v1/messages")]
    Task<HttpResponseMessage> MessagesAsync(
        [Body] HttpContent body,
        [Header("x-api-key")] string? apiKey,
        [HeaderCollection] IDictionary<string, string> headers,
        CancellationToken cancellationToken);
}
