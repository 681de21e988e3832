using Refit;

namespace Kait.Sdk.Http;

/// <summary>
/// Anthropic's Messages API, raw, beside the gateway's direct Claude bridge. Resolve it from the container after
/// <c>AddKaitSdk</c>; it calls <c>ANTHROPIC_BASE_URL</c> (else <c>https://api.anthropic.com</c>) with
/// <c>anthropic-version: 2023-06-01</c> and <c>x-api-key: ANTHROPIC_API_KEY</c>, the key added only to requests for
/// that host, never across a redirect (none is followed), and redacted from HttpClientFactory's logs. The response comes
/// back as it came, for the caller to read and dispose, whatever its status.
/// </summary>
public interface IAnthropicHttpApi
{
    /// <summary><c>POST /v1/messages</c>, plain or with <c>"stream": true</c> (then read the body as server-sent events).</summary>
    /// <param name="body">The request JSON (Anthropic's Messages shape).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/v1/messages")]
    [Headers("anthropic-version: 2023-06-01")]
    Task<HttpResponseMessage> MessagesAsync([Body] HttpContent body, CancellationToken cancellationToken = default);
}
