using System.Net;
using System.Reflection;
using Kait.Sdk.Errors;
using Kait.Sdk.Testing;

namespace Kait.Sdk.Tests;

/// <summary>No key ever reaches an error message, whatever a hostile server sends back or a URL holds.</summary>
public sealed class RedactionTests
{
    /// <summary>A key of no known shape: only "the secret given" can catch it.</summary>
    private const string Key = "vk-Zq9Xw3Rt7Lp2Mn8Bv4Cx6";

    private static readonly TimeProvider Time = TimeProvider.System;

    /// <summary>Every text a user or a log sees of <paramref name="error"/>.</summary>
    private static string Everything(KaitException error) => string.Join("\n", error.Message, error.ServerMessage, error.ToString());

    private static void AssertNoPartOf(string secret, string text, int minimum = 6)
    {
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        for (var i = 0; i + minimum <= secret.Length; i++)
        {
            Assert.DoesNotContain(secret.Substring(i, minimum), text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_body_echoing_the_key_keeps_the_error_but_not_the_key()
    {
        var body = $$$"""{"error":{"message":"Authentication Error, Invalid proxy server token passed. Received API Key = {{{Key}}}, Key Hash = 88dc28","type":"auth_error","code":"401"}}""";

        var error = ErrorMapper.FromResponse(HttpStatusCode.Unauthorized, body, null, "LiteLLM proxy", null, Time, Key);

        Assert.IsType<AuthenticationFailedException>(error);
        Assert.Contains("Invalid proxy server token passed", error.ServerMessage, StringComparison.Ordinal);
        AssertNoPartOf(Key, Everything(error));
    }

    [Theory]
    [InlineData(1990)] // the key starts before the cut at 2,000 characters and ends after it
    [InlineData(1998)]
    [InlineData(1980)]
    public void A_key_straddling_the_truncation_boundary_is_removed_whole(int offset)
    {
        var message = new string('x', offset) + Key + new string('y', 3000);
        var body = $$$"""{"error":{"message":"{{{message}}}"}}""";

        var error = ErrorMapper.FromResponse(HttpStatusCode.InternalServerError, body, null, "anthropic", null, Time, Key);

        Assert.True(error.ServerMessage!.Length <= 2001); // still cut: bounded
        AssertNoPartOf(Key, Everything(error), minimum: 4);
    }

    [Fact]
    public void A_body_cut_short_by_the_server_in_the_middle_of_the_key_loses_that_half_too()
    {
        var error = ErrorMapper.FromResponse(HttpStatusCode.BadGateway, "upstream said: bad key " + Key[..11], null, "LiteLLM proxy", null, Time, Key);

        AssertNoPartOf(Key, Everything(error), minimum: 4);
        Assert.Contains("upstream said: bad key", error.ServerMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_hidden_by_JSON_escapes_is_found_once_the_body_is_read()
    {
        var escaped = string.Concat(Key.Select(c => $"\\u{(int)c:x4}"));
        var body = $$$"""{"error":{"message":"bad key {{{escaped}}}"}}""";

        var error = ErrorMapper.FromResponse(HttpStatusCode.Unauthorized, body, null, "openai", null, Time, Key);

        AssertNoPartOf(Key, Everything(error));
    }

    [Theory]
    [InlineData("""{"detail":"Forbidden: Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.abc123"}""", "eyJhbGciOiJIUzI1NiJ9")]
    [InlineData("""{"error":{"message":"header x-api-key: sk-ant-api03-AAAABBBBCCCCDDDD was rejected"}}""", "sk-ant-api03-AAAABBBBCCCCDDDD")]
    [InlineData("""{"error":{"message":"could not reach https://svc-user:hunter2-pass@upstream.internal:8443/v1"}}""", "hunter2-pass")]
    [InlineData("""{"error":{"message":"bad request {\"api_key\": \"0123456789abcdefSECRET\"}"}}""", "0123456789abcdefSECRET")]
    [InlineData("""{"error":{"message":"google said: key AIzaSyA1234567890abcdefghijklmnopqrstu invalid"}}""", "AIzaSyA1234567890abcdefghijklmnopqrstu")]
    [InlineData("""{"error":{"message":"worker env: ANTHROPIC_API_KEY=q7Wd0Lx2Pz9Vb4Kc, DEBUG=1"}}""", "q7Wd0Lx2Pz9Vb4Kc")]
    [InlineData("""{"error":{"message":"oauth failed for client_secret=Mv3nX8rT5yQ2wE7u"}}""", "Mv3nX8rT5yQ2wE7u")]
    public void Credentials_of_every_shape_are_removed_even_when_nobody_named_them(string body, string credential)
    {
        var error = ErrorMapper.FromResponse(HttpStatusCode.Forbidden, body, null, "LiteLLM proxy", null, Time);

        AssertNoPartOf(credential, Everything(error));
        Assert.Contains("***", error.ServerMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stream_error_echoing_the_key_in_its_type_or_message_keeps_neither()
    {
        var error = ErrorMapper.FromStreamError("invalid_" + Key, "the key " + Key + " is revoked", null, "anthropic", null, Key);

        AssertNoPartOf(Key, Everything(error));
    }

    [Fact]
    public void An_error_about_a_URL_with_user_and_password_never_shows_them()
    {
        var url = new Uri("http://kait:s3cr3t-Passw0rd@127.0.0.1:4000/");
        var cause = new HttpRequestException($"Connection refused ({url})");

        var error = new ProviderUnavailableException($"LiteLLM proxy at {url} could not be reached: {cause.Message}", cause) { Unreachable = true };

        AssertNoPartOf("s3cr3t-Passw0rd", Everything(error));
        Assert.Contains("127.0.0.1:4000", error.Message, StringComparison.Ordinal);
        Assert.Equal("http://127.0.0.1:4000/", Redaction.SafeUrl(url));
    }

    [Fact]
    public async Task A_proxy_URL_with_credentials_is_refused_without_echoing_them()
    {
        await using var proxy = await FakeLiteLlmProxy.StartAsync();
        var env = TestData.ProxyEnv(proxy);
        env["KAIT_LITELLM_URL"] = $"http://kait:s3cr3t-Passw0rd@127.0.0.1:{TestData.ClosedPort()}";
        env["KAIT_LITELLM_FALLBACK"] = "false";
        env["KAIT_RETRIES"] = "0";
        using var harness = Harness.Create(env);

        // The settings refuse a proxy URL that carries credentials (they would go to every request's logs and errors).
        var error = Assert.Throws<KaitConfigurationException>(() => harness.Gateway);

        Assert.Equal("KAIT_LITELLM_URL", error.Variable);
        AssertNoPartOf("s3cr3t-Passw0rd", Everything(error));
        Assert.Empty(proxy.Requests);
    }

    [Fact]
    public void Call_options_never_print_the_virtual_key_and_print_everything_else()
    {
        var options = new LlmCallOptions { VirtualKey = Key, MaxTokens = 64, User = "user-7", Temperature = 0.5 };

        var text = options.ToString();

        AssertNoPartOf(Key, text);
        Assert.Contains("VirtualKey = ***", text, StringComparison.Ordinal);
        Assert.Contains("MaxTokens = 64", text, StringComparison.Ordinal);
        foreach (var property in typeof(LlmCallOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            Assert.Contains(property.Name + " = ", text, StringComparison.Ordinal); // a member added later is printed too
        }

        Assert.Contains("VirtualKey = ,", LlmCallOptions.None.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Redaction_leaves_ordinary_error_text_and_variable_names_alone()
    {
        const string Text = "Check the provider's API key variable named in the config (api_key: os.environ/ANTHROPIC_API_KEY); max_tokens: 4096.";

        Assert.Equal(Text, Redaction.Redact(Text));
    }
}
