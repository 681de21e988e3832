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
