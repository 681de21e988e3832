using System.Net.Http;

namespace Kait.Sdk.Costs;

/// <summary>Whether a failed attempt may have been billed by the provider: its request may have reached it and no
/// error answer says it was refused.</summary>
internal static class BillingRisk
{
    /// <summary>
    /// True (possibly billed) for: a stream that broke (<see cref="StreamInterruptedException"/>), a timeout
    /// (<see cref="LlmTimeoutException"/>, a gateway's 504, or any attempt timeout), a connection closed before the
    /// answer or a reply broken or malformed after a success status (<see cref="ProviderUnavailableException"/> without
    /// an error status), a cancellation while the attempt was in flight, and any failure it does not know (a careful
    /// default). False (not billed) for: a server's error answer (4xx, 5xx other than timeouts; providers do not charge
    /// for those), a server that could not be reached (<see cref="ProviderUnavailableException.Unreachable"/>: nothing
    /// was sent), Kait's own refusals and configuration errors (a <see cref="KaitException"/> without a status).
    /// </summary>
    /// <param name="error">What the attempt threw.</param>
    public static bool MayHaveBeenBilled(Exception error) => error switch
    {
        StreamInterruptedException or LlmTimeoutException => true,
        ProviderUnavailableException { Unreachable: true } => false,
        ProviderUnavailableException { StatusCode: null or (>= 200 and < 300) } => true,
        KaitException => false,
        OperationCanceledException => true,
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } => false,
        _ => true,
    };
}
