using Kait.Sdk.Routing;
using Kait.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kait.Sdk.Http;

/// <summary>Registers <see cref="ILiteLlmProxyHttpApi"/>, <see cref="IAnthropicHttpApi"/> and <see cref="IOpenAIHttpApi"/>
/// as typed clients of named clients of their own (configured as Kait's other clients by <c>AddKaitSdk</c>: no redirect
/// followed, credentials redacted from logs), each with a <see cref="CredentialHandler"/> for its own host.</summary>
internal static class HttpApis
{
    public const string LiteLlm = "Kait.LiteLlm.HttpApi";
    public const string Anthropic = "Kait.Anthropic.HttpApi";
    public const string OpenAI = "Kait.OpenAI.HttpApi";

    public static void Add(IServiceCollection services)
    {
        services.AddHttpClient(LiteLlm).AddHttpMessageHandler(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<KaitOptions>>();
            return new CredentialHandler(settings.Value.Proxy.BaseUrl, "Authorization", () => settings.Value.Proxy.MasterKey);
        });
        services.AddHttpClient(Anthropic).AddHttpMessageHandler(sp =>
        {
            var environment = sp.GetRequiredService<KaitEnvironment>();
            return new CredentialHandler(AnthropicBase(environment), "x-api-key", () => environment.Get(KaitEnvironmentVariables.AnthropicApiKey));
        });
        services.AddHttpClient(OpenAI).AddHttpMessageHandler(sp =>
        {
            var environment = sp.GetRequiredService<KaitEnvironment>();
            return new CredentialHandler(OpenAIBase(environment), "Authorization", () => environment.Get(KaitEnvironmentVariables.OpenAIApiKey));
        });

        services.TryAddTransient(sp => KaitHttpClients.Create<ILiteLlmProxyHttpApi>(
            sp.GetRequiredService<IHttpClientFactory>(), LiteLlm, sp.GetRequiredService<IOptions<KaitOptions>>().Value.Proxy.BaseUrl));
        services.TryAddTransient(sp => KaitHttpClients.Create<IAnthropicHttpApi>(
            sp.GetRequiredService<IHttpClientFactory>(), Anthropic, AnthropicBase(sp.GetRequiredService<KaitEnvironment>())));
        services.TryAddTransient(sp => KaitHttpClients.Create<IOpenAIHttpApi>(
            sp.GetRequiredService<IHttpClientFactory>(), OpenAI, OpenAIBase(sp.GetRequiredService<KaitEnvironment>())));
    }

    private static Uri AnthropicBase(KaitEnvironment environment) =>
        BaseUrl(environment, KaitEnvironmentVariables.AnthropicBaseUrl, DirectRouteResolver.AnthropicPublic);

    private static Uri OpenAIBase(KaitEnvironment environment) =>
        BaseUrl(environment, KaitEnvironmentVariables.OpenAIBaseUrl, DirectRouteResolver.OpenAIPublic);

    private static Uri BaseUrl(KaitEnvironment environment, string variable, Uri fallback)
    {
        if (environment.Get(variable) is not { } configured)
        {
            return fallback;
        }

        // Refit appends each path to the base: no trailing slash, so /v1 stays in OpenAI's.
        return Uri.TryCreate(configured.TrimEnd('/'), UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
            ? url
            : throw new KaitConfigurationException($"{variable} is not an absolute http(s) URL.") { Variable = variable };
    }
}
