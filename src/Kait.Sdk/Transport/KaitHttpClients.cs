using Refit;

namespace Kait.Sdk.Transport;

/// <summary>The names of Kait's HttpClientFactory clients (configure them further with
/// <c>services.AddHttpClient(name)</c>) and the Refit settings they share.</summary>
public static class KaitHttpClients
{
    /// <summary>The LiteLLM proxy's client.</summary>
    public const string LiteLlm = "Kait.LiteLlm";

    /// <summary>Anthropic's client.</summary>
    public const string Anthropic = "Kait.Anthropic";

    /// <summary>OpenAI's client.</summary>
    public const string OpenAI = "Kait.OpenAI";

    /// <summary>Headers that carry a credential: redacted from HttpClientFactory's logs, never settable through
    /// <see cref="LlmCallOptions.ExtraHeaders"/>.</summary>
    internal static readonly string[] CredentialHeaders = ["Authorization", "x-api-key", "x-litellm-api-key", "api-key"];

    /// <summary>The first <c>User-Agent</c> product: <c>Kait.Sdk/&lt;version&gt;</c>.</summary>
    internal static System.Net.Http.Headers.ProductInfoHeaderValue Product { get; } = new(
        "Kait.Sdk",
        (typeof(KaitHttpClients).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false) is [System.Reflection.AssemblyInformationalVersionAttribute info, ..]
            ? info.InformationalVersion.Split('+')[0]
            : typeof(KaitHttpClients).Assembly.GetName().Version?.ToString()) ?? "0.0.0");

    /// <summary>The runtime, as the OpenAI .NET SDK says it: <c>(.NET 10.0.x; linux-x64)</c>.</summary>
    internal static System.Net.Http.Headers.ProductInfoHeaderValue Runtime { get; } = new(
        "(.NET " + Environment.Version.ToString() + "; " + System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier + ")");

    /// <summary>Refit with the source-generated JSON context.</summary>
    internal static RefitSettings RefitSettings { get; } = RefitSettings.ForJsonContext(KaitJsonContext.Default);

    /// <summary>A Refit client of <paramref name="name"/>'s HttpClient at <paramref name="baseUrl"/>.</summary>
    internal static T Create<T>(IHttpClientFactory factory, string name, Uri baseUrl)
    {
        var client = factory.CreateClient(name);
        client.BaseAddress = baseUrl;
        return RestService.ForGenerated<T>(client, RefitSettings);
    }
}
