using System.Globalization;
using System.Net.Http.Headers;

namespace Kait.Sdk.Transport;

/// <summary>Reads the LiteLLM proxy's response headers.</summary>
internal static class ProxyHeaders
{
    public const string CallId = "x-litellm-call-id";
    public const string ResponseCost = "x-litellm-response-cost";
    public const string AttemptedRetries = "x-litellm-attempted-retries";

    /// <summary>The first value of <paramref name="name"/>, or null.</summary>
    public static string? Get(HttpResponseHeaders headers, string name)
    {
        if (headers.NonValidated.TryGetValues(name, out var values))
        {
            foreach (var value in values)
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    return value;
                }
            }
        }

        return null;
    }

    /// <summary>A non-negative integer header; null when absent or not one.</summary>
    public static int? ParseCount(string? value) =>
        int.TryParse(value?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : null;

    /// <summary>The proxy's call id, cost header (as sent: the accounting stage parses it once, with
    /// <see cref="Costs.ProxyCostHeader.TryParse"/>) and retry count from <paramref name="headers"/> (all null without
    /// headers).</summary>
    public static (string? CallId, string? Cost, int? Retries) Read(HttpResponseHeaders? headers) => headers is null
        ? default
        : (Get(headers, CallId), Get(headers, ResponseCost), ParseCount(Get(headers, AttemptedRetries)));
}
