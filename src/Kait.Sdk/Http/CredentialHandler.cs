using System.Net.Http.Headers;

namespace Kait.Sdk.Http;

/// <summary>Adds one credential header to the requests for one origin (scheme, host and port of the base URL) and to no
/// other: a request elsewhere leaves with every credential header removed. The value is read per request.</summary>
internal sealed class CredentialHandler(Uri origin, string header, Func<string?> value) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var name in Transport.KaitHttpClients.CredentialHeaders)
        {
            request.Headers.Remove(name);
        }

        if (request.RequestUri is { } target && SameOrigin(target, origin) && value() is { Length: > 0 } secret)
        {
            if (string.Equals(header, "Authorization", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(header, secret);
            }
        }

        return base.SendAsync(request, cancellationToken);
    }

    internal static bool SameOrigin(Uri a, Uri b) =>
        a.IsAbsoluteUri && b.IsAbsoluteUri
        && string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;
}
